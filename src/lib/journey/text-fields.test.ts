import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { journeyToDoc, patchItem, readJourney } from './document';
import { emptyJourney } from './schema';
import { collaborativeText, settleStringsFromTexts, settleTextFields, spliceText, textChanges, typeText } from './text-fields';
import { newTouchpoint } from './touchpoint';

function board(): Y.Doc {
	return journeyToDoc({
		...emptyJourney('Board'),
		stages: [{ id: 's1', name: 'Stage', order: 1 }],
		lanes: [{ id: 'l1', name: 'Lane', order: 1, type: 'touchpoints' }],
		touchpoints: [newTouchpoint({ id: 'tp-1', stageId: 's1', laneId: 'l1', title: 'Card' })]
	});
}

const card = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('touchpoints').get('tp-1')!;

/** A copy of `doc` as another client. */
function copy(doc: Y.Doc): Y.Doc {
	const other = new Y.Doc();
	Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
	return other;
}

/** A server-side copy that settles every transaction it receives, as the sync server does. */
function settlingServer(doc: Y.Doc): Y.Doc {
	const server = copy(doc);
	const touchpoints = server.getMap('touchpoints');
	server.on('afterTransaction', (transaction: Y.Transaction) => {
		if (transaction.origin !== 'client') return;
		const changes = textChanges(transaction, touchpoints);
		queueMicrotask(() => server.transact(() => settleTextFields(changes)));
	});
	return server;
}

/** Types `text` one character at a time at the end of the field as one person's editor would. */
function typeAtEnd(doc: Y.Doc, text: string): void {
	for (const char of text) typeText(card(doc), 'title', collaborativeText(card(doc), 'title')!.toString() + char);
}

describe('spliceText', () => {
	it('changes only the differing middle, so text typed around it is kept', () => {
		const doc = new Y.Doc();
		const text = doc.getText('t');
		text.insert(0, 'hello world');
		spliceText(text, 'hello brave world');
		expect(text.toString()).toBe('hello brave world');
		spliceText(text, 'hello world!');
		expect(text.toString()).toBe('hello world!');
		spliceText(text, '');
		expect(text.toString()).toBe('');
	});

	it('puts an ambiguous change where the caret says it was typed', () => {
		const doc = new Y.Doc();
		const text = doc.getText('t');
		text.insert(0, 'ab b');
		const spaceBefore = text.toString();
		// A space typed at index 2, in front of the existing one (caret after it at 3).
		spliceText(text, 'ab  b', 3);
		expect(text.toString()).toBe('ab  b');
		const inserted = text.toDelta();
		expect(inserted).toEqual([{ insert: 'ab  b' }]);
		// The new space is the one at index 2: deleting index 3 leaves the original's neighbour.
		text.delete(0, text.length);
		text.insert(0, spaceBefore);
		const events: unknown[] = [];
		text.observe((event) => events.push(event.delta));
		spliceText(text, 'ab  b', 3);
		expect(events).toEqual([[{ retain: 2 }, { insert: ' ' }]]);
		events.length = 0;
		spliceText(text, 'ab b', 2);
		expect(events).toEqual([[{ retain: 2 }, { delete: 1 }]]);
	});
});

describe('collaborative title', () => {
	it('two people typing at once each keep their run of characters together, and the string follows the text', async () => {
		const alice = board();
		typeText(card(alice), 'title', 'Card');
		const bob = copy(alice);
		const server = settlingServer(alice);
		typeAtEnd(alice, ' by Alice');
		typeAtEnd(bob, ' by Bob');
		for (const client of [alice, bob]) Y.applyUpdate(server, Y.encodeStateAsUpdate(client), 'client');
		await Promise.resolve();
		for (const client of [alice, bob]) Y.applyUpdate(client, Y.encodeStateAsUpdate(server));

		const merged = collaborativeText(card(server), 'title')!.toString();
		expect(['Card by Alice by Bob', 'Card by Bob by Alice']).toContain(merged);
		for (const doc of [server, alice, bob]) {
			expect(collaborativeText(card(doc), 'title')!.toString()).toBe(merged);
			expect(readJourney(doc).touchpoints[0].title).toBe(merged);
		}
	});

	it('takes a plain string written by an integration into the text', async () => {
		const doc = board();
		typeText(card(doc), 'title', 'Card typed');
		const server = settlingServer(doc);
		const integration = copy(doc);
		patchItem(integration, 'touchpoints', 'tp-1', { title: 'Renamed by the CRM' });
		Y.applyUpdate(server, Y.encodeStateAsUpdate(integration), 'client');
		await Promise.resolve();
		expect(collaborativeText(card(server), 'title')!.toString()).toBe('Renamed by the CRM');
		expect(readJourney(server).touchpoints[0].title).toBe('Renamed by the CRM');
	});

	it('undoes one person’s typing, string and text together', () => {
		const doc = board();
		const undo = new Y.UndoManager([doc.getMap('touchpoints')], { captureTimeout: 0 });
		typeText(card(doc), 'title', 'Card A');
		undo.stopCapturing();
		typeText(card(doc), 'title', 'Card AB');
		undo.undo();
		expect(collaborativeText(card(doc), 'title')!.toString()).toBe('Card A');
		expect(card(doc).get('title')).toBe('Card A');
	});
});

describe('settling an update another sync process stored', () => {
	/**
	 * A sync process's document: its own writers' transactions (origin 'client') are settled both
	 * ways, those it applies from another process (origin 'elsewhere') only string from text.
	 * `writes` counts the settle transactions that wrote something.
	 */
	function syncProcess(doc: Y.Doc) {
		const server = copy(doc);
		const touchpoints = server.getMap('touchpoints');
		const counts = { writes: 0 };
		server.on('afterTransaction', (transaction: Y.Transaction) => {
			if (transaction.origin !== 'client' && transaction.origin !== 'elsewhere') return;
			const changes = textChanges(transaction, touchpoints);
			const settle = transaction.origin === 'client' ? settleTextFields : settleStringsFromTexts;
			queueMicrotask(() => server.transact(() => settle(changes) && (counts.writes += 1)));
		});
		return { doc: server, counts };
	}

	/** Sends what `from` has that `to` lacks, as another process's stored update. */
	const relay = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), 'elsewhere');
	const inStep = (doc: Y.Doc) => collaborativeText(card(doc), 'title')!.toString() === card(doc).get('title');

	it('two processes each settle their own writer, then the merge: the string takes the merged text on both, and they stop', async () => {
		const alice = board();
		typeText(card(alice), 'title', 'Card');
		const bob = copy(alice);
		const [a, b] = [syncProcess(alice), syncProcess(alice)];
		typeAtEnd(alice, ' by Alice');
		typeAtEnd(bob, ' by Bob');
		Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(alice), 'client');
		Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(bob), 'client');
		await Promise.resolve();
		// Each process's own settle and its writer's typing reach the other together.
		relay(a.doc, b.doc);
		relay(b.doc, a.doc);
		await Promise.resolve();
		const merged = collaborativeText(card(a.doc), 'title')!.toString();
		expect(['Card by Alice by Bob', 'Card by Bob by Alice']).toContain(merged);
		for (const process of [a, b]) {
			expect(collaborativeText(card(process.doc), 'title')!.toString()).toBe(merged);
			expect(card(process.doc).get('title')).toBe(merged);
		}
		// Both wrote the merged string; each hears the other's write and finds nothing to do.
		const writes = a.counts.writes + b.counts.writes;
		for (let round = 0; round < 3; round++) {
			relay(a.doc, b.doc);
			relay(b.doc, a.doc);
			await Promise.resolve();
		}
		expect(a.counts.writes + b.counts.writes).toBe(writes);
		expect(inStep(a.doc) && inStep(b.doc)).toBe(true);
		expect(card(a.doc).get('title')).toBe(card(b.doc).get('title'));
	});

	it('a stale string from the other process never overwrites the text typed here since', async () => {
		const alice = board();
		typeText(card(alice), 'title', 'Card by Alice');
		const a = syncProcess(alice);
		// The other process's settle: the string as it stood before this process's latest typing.
		const elsewhere = copy(alice);
		Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(alice), 'client');
		typeAtEnd(alice, ' and more');
		Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(alice), 'client');
		await Promise.resolve();
		elsewhere.transact(() => card(elsewhere).set('title', 'Card by Alice'));
		relay(elsewhere, a.doc);
		await Promise.resolve();
		expect(collaborativeText(card(a.doc), 'title')!.toString()).toBe('Card by Alice and more');
		expect(card(a.doc).get('title')).toBe('Card by Alice and more');
	});

	it('a plain-string write settled by its own process arrives with its text and is kept', async () => {
		const doc = board();
		typeText(card(doc), 'title', 'Card typed');
		const [a, b] = [syncProcess(doc), syncProcess(doc)];
		const integration = copy(doc);
		patchItem(integration, 'touchpoints', 'tp-1', { title: 'Renamed by the CRM' });
		Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(integration), 'client');
		await Promise.resolve();
		relay(b.doc, a.doc);
		await Promise.resolve();
		for (const process of [a, b]) {
			expect(collaborativeText(card(process.doc), 'title')!.toString()).toBe('Renamed by the CRM');
			expect(card(process.doc).get('title')).toBe('Renamed by the CRM');
		}
		expect(a.counts.writes).toBe(0);
	});
});
