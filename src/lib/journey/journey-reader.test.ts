import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import bankBranch from './templates/bank-branch.json';
import { collectionMap, deleteTouchpoint, patchItem, putItem, readJourney, writeJourney } from './document';
import { JourneyReader } from './journey-reader';
import { parseJourney } from './schema';

function bankBranchDoc(): Y.Doc {
	const parsed = parseJourney(bankBranch);
	if (!parsed.ok) throw new Error(parsed.error);
	const doc = new Y.Doc();
	writeJourney(doc, parsed.value);
	return doc;
}

describe('JourneyReader', () => {
	it('reads what readJourney reads, after every kind of edit', () => {
		const doc = bankBranchDoc();
		const reader = new JourneyReader(doc);
		expect(reader.read()).toEqual(readJourney(doc));
		patchItem(doc, 'touchpoints', 't3', { title: 'Renamed', emotion: -2 });
		expect(reader.read()).toEqual(readJourney(doc));
		deleteTouchpoint(doc, 't8');
		expect(reader.read()).toEqual(readJourney(doc));
		putItem(doc, 'stages', { id: 's9', name: 'After', order: 9 });
		collectionMap(doc, 'lanes').delete('l3');
		doc.getMap('board').set('title', 'New title');
		expect(reader.read()).toEqual(readJourney(doc));
	});

	it('keeps unchanged items as the same objects and notices remote updates', () => {
		const doc = bankBranchDoc();
		const reader = new JourneyReader(doc);
		const before = reader.read();
		expect(reader.stale).toBe(false);
		const remote = new Y.Doc();
		Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
		patchItem(remote, 'touchpoints', 't5', { x: 1111 });
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote, Y.encodeStateVector(doc)));
		expect(reader.stale).toBe(true);
		const after = reader.read();
		const find = (journey: typeof before, id: string) => journey.touchpoints.find((t) => t.id === id);
		expect(find(after, 't5')?.x).toBe(1111);
		expect(find(after, 't4')).toBe(find(before, 't4'));
		expect(find(after, 't5')).not.toBe(find(before, 't5'));
	});

	it('keeps the arrays of collections an edit did not touch, and still equals readJourney', () => {
		const doc = bankBranchDoc();
		const reader = new JourneyReader(doc);
		const before = reader.read();
		patchItem(doc, 'touchpoints', 't5', { x: 5 });
		const after = reader.read();
		expect(after).toEqual(readJourney(doc));
		expect(after.stages).toBe(before.stages);
		expect(after.lanes).toBe(before.lanes);
		expect(after.links).toBe(before.links);
		expect(after.evidence).toBe(before.evidence);
		expect(after.touchpoints).not.toBe(before.touchpoints);
		expect(reader.read()).toBe(after);
	});

	it('drops links and evidence of a card moved to a stage that does not exist, and orders new ids like readJourney', () => {
		const doc = bankBranchDoc();
		const reader = new JourneyReader(doc);
		const journey = reader.read();
		const linked = journey.links[0]?.source ?? journey.evidence[0]?.touchpointId ?? 't1';
		patchItem(doc, 'touchpoints', linked, { stageId: 'no-such-stage' });
		expect(reader.read()).toEqual(readJourney(doc));
		const touchpoint = journey.touchpoints[0];
		for (const id of ['t10b', 't2b', 't100', 'T3']) putItem(doc, 'touchpoints', { ...touchpoint, id, x: touchpoint.x });
		expect(reader.read()).toEqual(readJourney(doc));
	});
});
