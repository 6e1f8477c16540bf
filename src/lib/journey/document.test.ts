import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	collectionMap,
	deleteTouchpoint,
	journeyToDoc,
	patchItem,
	putItem,
	readCollection,
	readJourney,
	readTitle,
	writeJourney
} from './document';
import { journeyOrder } from './order';
import { parseJourney, type Journey, type Stage, type Touchpoint } from './schema';
import { readFixture } from '../../../tests/support/fixtures';
import { newTouchpoint } from './touchpoint';

const bankBranchJson: unknown = readFixture('bank-branch.journey.json');

/** The bank-branch fixture, parsed (a fresh copy each time). */
function bankBranch(): Journey {
	const parsed = parseJourney(bankBranchJson);
	if (!parsed.ok) throw new Error(parsed.error);
	return parsed.value;
}

/** Links and evidence are sets: compare them in id order. */
function withSetsSorted(journey: Journey): Journey {
	const byId = <T extends { id: string }>(items: T[]) => [...items].sort((a, b) => (a.id < b.id ? -1 : 1));
	return { ...journey, links: byId(journey.links), evidence: byId(journey.evidence) };
}

/** Sends each document's missing updates to the other. */
function exchange(a: Y.Doc, b: Y.Doc): void {
	const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
	const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
	Y.applyUpdate(b, toB);
	Y.applyUpdate(a, toA);
}

function touchpoint(id: string, stageId: string, x: number): Touchpoint {
	return newTouchpoint({ id, stageId, laneId: 'l1', title: id, x });
}

describe('writeJourney and readJourney', () => {
	it('round-trips the bank-branch fixture', () => {
		const input = bankBranch();
		const output = readJourney(journeyToDoc(input));
		expect(withSetsSorted(output)).toStrictEqual(withSetsSorted(input));
		// Everything but the order of the link and evidence sets is kept exactly.
		expect(output.stages).toStrictEqual(input.stages);
		expect(output.lanes).toStrictEqual(input.lanes);
		expect(output.touchpoints).toStrictEqual(input.touchpoints);
	});

	it('gives the same journey again after a second export and import', () => {
		const once = readJourney(journeyToDoc(bankBranch()));
		const twice = readJourney(journeyToDoc(once));
		expect(twice).toStrictEqual(once);
		expect(parseJourney(JSON.parse(JSON.stringify(twice)))).toEqual({ ok: true, value: twice });
	});

	it('stores each item as a nested Y.Map with absent fields left out', () => {
		const doc = journeyToDoc(bankBranch());
		const t1 = collectionMap(doc, 'touchpoints').get('t1');
		expect(t1).toBeInstanceOf(Y.Map);
		expect(t1?.get('title')).toBe('Location');
		expect(t1?.has('ideal')).toBe(false);
		expect(readTitle(doc)).toBe('Retail bank branch visit — gold-card customer');
	});

	it('replaces the previous content', () => {
		const doc = journeyToDoc(bankBranch());
		const smaller = { ...bankBranch(), title: 'Smaller', touchpoints: [], links: [], evidence: [] };
		writeJourney(doc, smaller);
		expect(readJourney(doc)).toStrictEqual(smaller);
	});

	it('keeps items with an invalid field, the field left out and reported', () => {
		const doc = journeyToDoc(bankBranch());
		collectionMap(doc, 'touchpoints').get('t3')?.set('emotion', 9);
		const read = readCollection(doc, 'touchpoints');
		expect(read).toHaveLength(15);
		const t3 = read.find((entry) => entry.item.id === 't3')!;
		expect(t3.item.emotion).toBeUndefined();
		expect(t3.invalidFields).toEqual(['emotion']);
	});

	it('drops links and evidence whose touchpoint is gone', () => {
		const doc = journeyToDoc(bankBranch());
		collectionMap(doc, 'touchpoints').delete('t8');
		const journey = readJourney(doc);
		expect(journey.links.some((link) => link.source === 't8' || link.target === 't8')).toBe(false);
		expect(journey.evidence.some((item) => item.touchpointId === 't8')).toBe(false);
		expect(parseJourney(journey).ok).toBe(true);
	});
});

describe('journeyOrder', () => {
	const stages: Stage[] = [
		{ id: 'later', name: 'Later', order: 2 },
		{ id: 'first', name: 'First', order: 1 }
	];

	it('sorts by stage order, then by x', () => {
		const sorted = journeyOrder(stages, [
			touchpoint('c', 'later', 10),
			touchpoint('b', 'first', 500),
			touchpoint('d', 'later', 300),
			touchpoint('a', 'first', -20)
		]);
		expect(sorted.map((item) => item.id)).toEqual(['a', 'b', 'c', 'd']);
	});

	it('puts touchpoints of an unknown stage last and breaks ties by id', () => {
		const sorted = journeyOrder(stages, [touchpoint('orphan', 'missing', 0), touchpoint('y', 'first', 100), touchpoint('x', 'first', 100)]);
		expect(sorted.map((item) => item.id)).toEqual(['x', 'y', 'orphan']);
	});

	it('does not change its input', () => {
		const input = [touchpoint('b', 'later', 0), touchpoint('a', 'first', 0)];
		journeyOrder(stages, input);
		expect(input.map((item) => item.id)).toEqual(['b', 'a']);
	});

	it('is the order readJourney returns', () => {
		const journey = bankBranch();
		const reversed = { ...journey, touchpoints: [...journey.touchpoints].reverse() };
		expect(readJourney(journeyToDoc(reversed)).touchpoints.map((item) => item.id)).toEqual(journey.touchpoints.map((item) => item.id));
	});
});

describe('deleteTouchpoint', () => {
	it('removes the touchpoint with its links and evidence, and nothing else', () => {
		const journey = bankBranch();
		const doc = journeyToDoc(journey);
		deleteTouchpoint(doc, 't8');
		expect(collectionMap(doc, 'touchpoints').has('t8')).toBe(false);
		expect([...collectionMap(doc, 'links').keys()].sort()).toEqual(
			journey.links
				.filter((link) => link.id !== 'k7' && link.id !== 'k8')
				.map((link) => link.id)
				.sort()
		);
		expect([...collectionMap(doc, 'evidence').keys()].sort()).toEqual(['e3', 'e4']);
		expect(collectionMap(doc, 'touchpoints').size).toBe(14);
	});

	it('is one transaction (one update for the other clients)', () => {
		const doc = journeyToDoc(bankBranch());
		let updates = 0;
		doc.on('update', () => updates++);
		deleteTouchpoint(doc, 't8');
		expect(updates).toBe(1);
	});
});

describe('patchItem', () => {
	it('sets fields in place and removes fields patched to undefined', () => {
		const doc = journeyToDoc(bankBranch());
		const before = collectionMap(doc, 'touchpoints').get('t1');
		expect(patchItem(doc, 'touchpoints', 't1', { title: 'Branch location', importance: undefined })).toBe(true);
		const after = collectionMap(doc, 'touchpoints').get('t1');
		expect(after).toBe(before);
		expect(after?.get('title')).toBe('Branch location');
		expect(after?.has('importance')).toBe(false);
	});

	it('ignores the id and reports a missing item', () => {
		const doc = journeyToDoc(bankBranch());
		patchItem(doc, 'touchpoints', 't1', { id: 'other' });
		expect(collectionMap(doc, 'touchpoints').get('t1')?.get('id')).toBe('t1');
		expect(patchItem(doc, 'touchpoints', 'nope', { title: 'x' })).toBe(false);
		expect(collectionMap(doc, 'touchpoints').has('nope')).toBe(false);
	});

	it('merges concurrent edits of different fields of one touchpoint from two documents', () => {
		const alice = journeyToDoc(bankBranch());
		const bob = new Y.Doc();
		Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice));

		patchItem(alice, 'touchpoints', 't8', { title: 'Queue at the counter', emotion: -5 });
		patchItem(bob, 'touchpoints', 't8', { kind: 'neutral', owner: 'Service design' });
		exchange(alice, bob);

		const expected = {
			...bankBranch().touchpoints.find((item) => item.id === 't8'),
			title: 'Queue at the counter',
			emotion: -5,
			kind: 'neutral',
			owner: 'Service design'
		};
		for (const doc of [alice, bob]) {
			expect(readJourney(doc).touchpoints.find((item) => item.id === 't8')).toStrictEqual(expected);
		}
		expect(readJourney(alice)).toStrictEqual(readJourney(bob));
	});

	it('keeps a concurrent evidence item added to a touchpoint another person renamed', () => {
		const alice = journeyToDoc(bankBranch());
		const bob = new Y.Doc();
		Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice));
		patchItem(alice, 'touchpoints', 't2', { title: 'Hours' });
		putItem(bob, 'evidence', { ...bankBranch().evidence[0], id: 'e9', touchpointId: 't2' });
		exchange(alice, bob);
		const journey = readJourney(alice);
		expect(journey.touchpoints.find((item) => item.id === 't2')?.title).toBe('Hours');
		expect(journey.evidence.map((item) => item.id)).toContain('e9');
	});
});
