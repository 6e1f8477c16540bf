import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { analyzeJourney } from '../../journey/analysis';
import { compareJourneys } from '../../journey/compare';
import { journeyToDoc, readJourney } from '../../journey/document';
import { fixtureJourney } from '../../../../tests/support/fixtures';
import { journeyCsv } from '../../journey/export/csv';
import type { JourneyRead } from './derive';
import { deriveRead } from './derive';

// Keeps the byte-order mark the CSV starts with.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

describe('deriveRead', () => {
	test('reads the journey from stored updates, then the analysis and exports from its JSON', async () => {
		const doc = journeyToDoc(fixtureJourney('bank-branch.journey.json'));
		const journey = readJourney(doc);
		const read = (await deriveRead({ kind: 'journey', updates: [Y.encodeStateAsUpdate(doc)] })) as JourneyRead;
		expect(JSON.parse(decoder.decode(read.json))).toEqual(JSON.parse(JSON.stringify(journey)));
		expect(read.cards).toBe(15);
		const analysis = (await deriveRead({ kind: 'analysis', journey: read.json })) as Uint8Array;
		expect(JSON.parse(decoder.decode(analysis))).toEqual(JSON.parse(JSON.stringify(analyzeJourney(journey))));
		const csv = (await deriveRead({ kind: 'export', format: 'csv', journey: read.json, locale: 'en' })) as Uint8Array;
		expect(decoder.decode(csv)).toBe(journeyCsv(journey, 'en'));
	});

	test('a card with an unreadable title: the JSON leaves it out, the analysis marks it, every export reads it as untitled', async () => {
		const doc = journeyToDoc(fixtureJourney('bank-branch.journey.json'));
		const card = doc.getMap<Y.Map<unknown>>('touchpoints').values().next().value!;
		const title = new Y.Map<unknown>();
		card.set('title', title);
		title.set('text', 'not a title');
		const read = (await deriveRead({ kind: 'journey', updates: [Y.encodeStateAsUpdate(doc)] })) as JourneyRead;
		const served = JSON.parse(decoder.decode(read.json));
		expect(served.invalidFields).toEqual([{ touchpointId: card.get('id'), field: 'title' }]);
		const analysis = JSON.parse(decoder.decode((await deriveRead({ kind: 'analysis', journey: read.json })) as Uint8Array));
		expect(analysis.markings).toContainEqual({ touchpointId: card.get('id'), issue: 'invalid-field', field: 'title' });
		for (const format of ['csv', 'md', 'svg', 'pdf']) {
			const body = (await deriveRead({ kind: 'export', format, journey: read.json, locale: 'en' })) as Uint8Array;
			expect(body.byteLength, format).toBeGreaterThan(0);
		}
	});

	test('reads a saved version from its state, and compares two journeys as the compare view does', async () => {
		const before = fixtureJourney('bank-branch.journey.json');
		const after = structuredClone(before);
		after.touchpoints[0].emotion = before.touchpoints[0].emotion === 5 ? 4 : 5;
		const saved = (await deriveRead({ kind: 'version', state: Y.encodeStateAsUpdateV2(journeyToDoc(before)) })) as JourneyRead;
		expect(JSON.parse(decoder.decode(saved.json))).toEqual(JSON.parse(JSON.stringify(readJourney(journeyToDoc(before)))));
		const now = (await deriveRead({ kind: 'journey', updates: [Y.encodeStateAsUpdate(journeyToDoc(after))] })) as JourneyRead;
		const body = (await deriveRead({ kind: 'compare', before: saved.json, after: now.json })) as Uint8Array;
		const expected = compareJourneys(readJourney(journeyToDoc(before)), readJourney(journeyToDoc(after)));
		expect(JSON.parse(decoder.decode(body))).toEqual({ comparison: JSON.parse(JSON.stringify(expected)) });
	});

	test('an unknown export format fails', async () => {
		const read = (await deriveRead({ kind: 'journey', updates: [] })) as JourneyRead;
		await expect(deriveRead({ kind: 'export', format: 'gif', journey: read.json, locale: 'en' })).rejects.toThrow('gif');
	});
});
