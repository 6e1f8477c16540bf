import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { analyzeJourney } from './analysis';
import { collectionMap, journeyToDoc, readJourney } from './document';
import { JourneyReader } from './journey-reader';
import { placement } from './placement';
import { parseJourney, type Journey } from './schema';
import bankBranch from './templates/bank-branch.json';

function bankBranchDoc(): Y.Doc {
	const parsed = parseJourney(bankBranch);
	if (!parsed.ok) throw new Error(parsed.error);
	return journeyToDoc(parsed.value);
}

/** Sets one field of touchpoint t3 to something no reader expects. */
function withT3(change: (card: Y.Map<unknown>) => void): Y.Doc {
	const doc = bankBranchDoc();
	change(collectionMap(doc, 'touchpoints').get('t3')!);
	return doc;
}

function nested(): Y.Map<unknown> {
	const map = new Y.Map<unknown>();
	map.set('text', 'not a title');
	return map;
}

/** What every reader sees of t3: the document reader, the canvas reader, the JSON and the analysis. */
function readT3(doc: Y.Doc) {
	const journey = readJourney(doc);
	const live = new JourneyReader(doc).read();
	const json = JSON.parse(JSON.stringify(journey)) as { touchpoints: Record<string, unknown>[] };
	return {
		journey,
		live,
		card: journey.touchpoints.find((touchpoint) => touchpoint.id === 't3')!,
		json: json.touchpoints.find((touchpoint) => touchpoint.id === 't3')!,
		markings: analyzeJourney(journey).markings.filter((marking) => marking.touchpointId === 't3')
	};
}

describe('tolerant reading', () => {
	const badFields: [string, string, (card: Y.Map<unknown>) => void][] = [
		['a Y.Map title', 'title', (card) => card.set('title', nested())],
		['a number title', 'title', (card) => card.set('title', 42)],
		['emotion 99', 'emotion', (card) => card.set('emotion', 99)],
		['no kind', 'kind', (card) => card.delete('kind')],
		['an unknown kind', 'kind', (card) => card.set('kind', 'delight')]
	];

	it.each(badFields)('keeps a card with %s, the field left out of its JSON and marked invalid-field', (_, field, change) => {
		const { journey, live, card, json, markings } = readT3(withT3(change));
		expect(journey.touchpoints).toHaveLength(15);
		expect(live).toEqual(journey);
		expect(live.invalidFields).toEqual([{ touchpointId: 't3', field }]);
		expect(card.title).toBeTypeOf('string');
		expect(json).not.toHaveProperty(field);
		expect(json.stageId).toBe('s2');
		expect(markings).toContainEqual({ touchpointId: 't3', issue: 'invalid-field', field });
	});

	it('reads a card with an unknown kind and no title as untitled and neutral', () => {
		const { card } = readT3(
			withT3((map) => {
				map.set('kind', 'delight');
				map.set('title', nested());
			})
		);
		expect({ title: card.title, kind: card.kind }).toEqual({ title: '', kind: 'neutral' });
	});

	it.each([
		['stage', 'stages', 's2'],
		['lane', 'lanes', 'l1']
	] as const)('keeps the cards of a deleted %s as unplaced, with the id they name', (_, collection, id) => {
		const doc = bankBranchDoc();
		collectionMap(doc, collection).delete(id);
		const journey = readJourney(doc);
		const live = new JourneyReader(doc).read();
		expect(live).toEqual(journey);
		expect(journey.touchpoints).toHaveLength(15);
		const unplaced = placement(journey).unplaced;
		expect(unplaced.length).toBeGreaterThan(0);
		expect(unplaced.every((touchpoint) => touchpoint.stageId === id || touchpoint.laneId === id)).toBe(true);
		const markings = analyzeJourney(journey).markings.filter((marking) => marking.issue === 'unplaced');
		expect(markings.map((marking) => marking.touchpointId)).toEqual(unplaced.map((touchpoint) => touchpoint.id));
	});

	it('reads a card whose stage id is a shared type as unplaced, the id left out and marked', () => {
		const { card, json, markings } = readT3(withT3((map) => map.set('stageId', nested())));
		expect(card.stageId).toBe('');
		expect(json).not.toHaveProperty('stageId');
		expect(markings.map((marking) => marking.issue)).toEqual(['unplaced', 'invalid-field']);
	});

	it('round-trips what it exports through import: unplaced and unreadable cards stay', () => {
		const doc = withT3((map) => map.set('title', nested()));
		collectionMap(doc, 'stages').delete('s5');
		const exported: unknown = JSON.parse(JSON.stringify(readJourney(doc)));
		const parsed = parseJourney(exported);
		if (!parsed.ok) throw new Error(parsed.error);
		const again: Journey = readJourney(journeyToDoc(parsed.value));
		expect(again.touchpoints).toHaveLength(15);
		expect(placement(again).unplaced.map((touchpoint) => touchpoint.stageId)).toEqual(['s5']);
		expect(again.touchpoints.find((touchpoint) => touchpoint.id === 't3')?.title).toBe('');
	});

	it('follows a live edit that breaks a field and one that mends it', () => {
		const doc = bankBranchDoc();
		const reader = new JourneyReader(doc);
		reader.read();
		const card = collectionMap(doc, 'touchpoints').get('t3')!;
		card.set('emotion', 99);
		expect(reader.read().invalidFields).toEqual([{ touchpointId: 't3', field: 'emotion' }]);
		card.set('emotion', 2);
		const mended = reader.read();
		expect(mended.invalidFields).toBeUndefined();
		expect(mended).toEqual(readJourney(doc));
	});

	it('skips an entry that is not a map without throwing', () => {
		const doc = bankBranchDoc();
		(collectionMap(doc, 'touchpoints') as Y.Map<unknown>).set('t99', 'text');
		expect(readJourney(doc).touchpoints).toHaveLength(15);
		expect(new JourneyReader(doc).read().touchpoints).toHaveLength(15);
	});
});
