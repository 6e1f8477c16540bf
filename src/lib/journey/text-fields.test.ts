import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { journeyToDoc, patchItem, readJourney } from './document';
import { emptyJourney } from './schema';
import { collaborativeText, settleTextFields, spliceText, textChanges, typeText } from './text-fields';
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
