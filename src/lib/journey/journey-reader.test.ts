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
});
