import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { analyzeJourney, divergence, paradoxes, peakEnd, segmentAnalyses, weightedGaps } from './analysis';
import { collectionMap, deleteSegment, journeyToDoc, readJourney, setSegmentValue } from './document';
import { shapeProblem } from './document-shape';
import { JourneyReader } from './journey-reader';
import { effectiveValue, journeyForSegment, segmentKey } from './segments';
import { emptyJourney, LIMITS, parseJourney, SEGMENT_FIELDS, type Journey, type Segment, type Touchpoint } from './schema';
import { newTouchpoint } from './touchpoint';
import { templateJourney } from './templates';
import { compareJourneys } from './compare';

const STAGE = { id: 's1', name: 'Visit', order: 1 };
const LANE = { id: 'l1', name: 'Touchpoints', order: 1, type: 'touchpoints' as const };

function touchpoint(id: string, x: number, fields: Partial<Touchpoint> = {}): Touchpoint {
	return newTouchpoint({ id, stageId: 's1', laneId: 'l1', title: id, x, ...fields });
}

function segment(id: string, order: number, name = id): Segment {
	return { id, name, order };
}

function journey(touchpoints: Touchpoint[], segments: Segment[]): Journey {
	return { ...emptyJourney('Segments'), stages: [STAGE], lanes: [LANE], touchpoints, segments };
}

/** The bank branch's queue: the gold card waits less than the regular customer, and is less satisfied. */
const QUEUE = journey(
	[
		touchpoint('greeting', 0, { title: 'Greeting', emotion: 1, expectation: 5, experience: 6 }),
		touchpoint('queue', 100, {
			title: 'Queueing',
			emotion: -1,
			expectation: 4,
			experience: 4,
			bySegment: { gold: { expectation: 9, experience: 7, emotion: -3 } }
		})
	],
	[segment('regular', 2, 'Regular'), segment('gold', 1, 'Gold card')]
);

describe('effective values', () => {
	it('takes the segment’s own value when stored, else the touchpoint’s', () => {
		const queue = QUEUE.touchpoints[1];
		expect(effectiveValue(queue, 'expectation', 'gold')).toBe(9);
		expect(effectiveValue(queue, 'expectation', 'regular')).toBe(4);
		expect(effectiveValue(queue, 'importance', 'gold')).toBeUndefined();
	});
});

describe('per-segment analysis', () => {
	it('gives each segment, in segment order, its peak–end and gaps from effective values (inherited where not stored)', () => {
		const [gold, regular] = segmentAnalyses(QUEUE);
		expect(gold.segmentId).toBe('gold');
		expect(gold.name).toBe('Gold card');
		expect(gold.peakEnd.peak).toEqual({ touchpointId: 'queue', emotion: -3 });
		expect(gold.peakEnd.remembered).toBe(-3);
		expect(gold.peakEnd.average).toBe(-1);
		expect(gold.gaps.map((gap) => [gap.touchpointId, gap.satisfaction])).toEqual([
			['greeting', 1],
			['queue', -2]
		]);
		// Regular stores nothing: everything inherited.
		expect(regular.peakEnd).toStrictEqual(peakEnd(QUEUE));
		expect(regular.gaps).toStrictEqual(weightedGaps(QUEUE));
	});

	it('finds the gold-card paradox: better served at the queue, less satisfied', () => {
		expect(paradoxes(QUEUE)).toStrictEqual([
			{ touchpointId: 'queue', title: 'Queueing', segmentId: 'gold', comparedWith: 'regular', experience: [7, 4], satisfaction: [-2, 0] }
		]);
	});

	it('lists divergence by spread, then journey order, emotion before satisfaction', () => {
		expect(divergence(QUEUE)).toStrictEqual([
			{
				touchpointId: 'queue',
				title: 'Queueing',
				field: 'emotion',
				low: { segmentId: 'gold', value: -3 },
				high: { segmentId: 'regular', value: -1 },
				spread: 2
			},
			{
				touchpointId: 'queue',
				title: 'Queueing',
				field: 'satisfaction',
				low: { segmentId: 'gold', value: -2 },
				high: { segmentId: 'regular', value: 0 },
				spread: 2
			}
		]);
	});

	it('gives ties for low and high to the segment earlier in segment order (order, then id)', () => {
		const board = journey(
			[touchpoint('t1', 0, { emotion: 0, bySegment: { a: { emotion: 2 }, c: { emotion: 2 }, b: { emotion: -1 }, d: { emotion: -1 } } })],
			[segment('d', 1), segment('c', 1), segment('b', 2), segment('a', 3)]
		);
		// Segment order: c, d (same order, by id), b, a.
		expect(divergence(board)).toStrictEqual([
			{
				touchpointId: 't1',
				title: 't1',
				field: 'emotion',
				low: { segmentId: 'd', value: -1 },
				high: { segmentId: 'c', value: 2 },
				spread: 3
			}
		]);
	});

	it('sorts equal spreads by journey order and needs at least two segments with a value', () => {
		const board = journey(
			[
				touchpoint('late', 200, { bySegment: { a: { emotion: 1 }, b: { emotion: 3 } } }),
				touchpoint('early', 0, { bySegment: { a: { emotion: -2 }, b: { emotion: 0 } } }),
				touchpoint('lonely', 100, { bySegment: { a: { emotion: 5 } } }),
				touchpoint('wide', 300, { bySegment: { a: { emotion: -5 }, b: { emotion: 5 } } })
			],
			[segment('a', 1), segment('b', 2)]
		);
		expect(divergence(board).map((entry) => [entry.touchpointId, entry.spread])).toEqual([
			['wide', 10],
			['early', 2],
			['late', 2]
		]);
	});

	it('leaves a segment without any emotion with no peak or end, and out of emotion divergence', () => {
		const board = journey(
			[
				touchpoint('t1', 0, { expectation: 5, experience: 5, bySegment: { felt: { emotion: 3 } } }),
				touchpoint('t2', 100, { expectation: 5, experience: 6 })
			],
			[segment('felt', 1), segment('numb', 2)]
		);
		const [felt, numb] = segmentAnalyses(board);
		expect(felt.peakEnd.end).toEqual({ touchpointId: 't1', emotion: 3 });
		expect(numb.peakEnd).toStrictEqual({ peak: null, end: null, remembered: null, average: null, balanceOk: null, endOk: null });
		expect(numb.gaps.map((gap) => gap.touchpointId)).toEqual(['t1', 't2']);
		expect(divergence(board)).toEqual([]);
	});

	it('sorts paradoxes by how much more satisfied the other segment is, then journey order, then segment order', () => {
		const board = journey(
			[
				touchpoint('t1', 0, {
					bySegment: { a: { experience: 8, expectation: 9 }, b: { experience: 5, expectation: 5 }, c: { experience: 6, expectation: 4 } }
				}),
				touchpoint('t2', 100, { bySegment: { a: { experience: 9, expectation: 12 - 3 }, b: { experience: 2, expectation: 0 } } })
			],
			[segment('a', 1), segment('b', 2), segment('c', 3)]
		);
		// t1: a (8, −1) vs b (5, 0): 1; a vs c (6, +2): 3. c (6, 2) vs b: c is more satisfied, no paradox. t2: a (9, 0) vs b (2, 2): 2.
		expect(paradoxes(board).map((entry) => [entry.touchpointId, entry.segmentId, entry.comparedWith])).toEqual([
			['t1', 'a', 'c'],
			['t2', 'a', 'b'],
			['t1', 'a', 'b']
		]);
	});

	it('answers empty lists on a board without segments', () => {
		const analysis = analyzeJourney(journey([touchpoint('t1', 0, { emotion: 2, expectation: 3, experience: 4 })], []));
		expect(analysis.segments).toEqual([]);
		expect(analysis.divergence).toEqual([]);
		expect(analysis.paradoxes).toEqual([]);
	});
});

/** A small seeded generator (mulberry32), so a failing case can be replayed from its seed. */
function seeded(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = Math.imul(state ^ (state >>> 15), 1 | state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

describe('a segment whose values are all inherited', () => {
	it('gets exactly the all-customers peak–end and gaps (200 random boards)', () => {
		for (let seed = 1; seed <= 200; seed++) {
			const random = seeded(seed);
			const maybe = (min: number, max: number) => (random() < 0.25 ? undefined : min + Math.floor(random() * (max - min + 1)));
			const touchpoints = Array.from({ length: 1 + Math.floor(random() * 12) }, (_, index) =>
				touchpoint(`t${index}`, Math.floor(random() * 5) * 100, {
					emotion: maybe(-5, 5),
					expectation: maybe(0, 10),
					experience: maybe(0, 10),
					importance: maybe(0, 10),
					ideal: maybe(0, 10),
					// Another segment's values must not leak into the inheriting one.
					bySegment: random() < 0.5 ? { other: { emotion: maybe(-5, 5) ?? 1, experience: maybe(0, 10) ?? 2 } } : undefined
				})
			);
			const board = journey(touchpoints, [segment('other', 1), segment('inherits', 2)]);
			const inherits = segmentAnalyses(board)[1];
			expect(inherits.peakEnd, `seed ${seed}`).toStrictEqual(peakEnd(board));
			expect(inherits.gaps, `seed ${seed}`).toStrictEqual(weightedGaps(board));
		}
	});
});

describe('segments in the document', () => {
	it('writes bySegment as <field>@<segmentId> keys and reads them back equal', () => {
		const doc = journeyToDoc(QUEUE);
		const queue = collectionMap(doc, 'touchpoints').get('queue')!;
		expect(queue.get(segmentKey('expectation', 'gold'))).toBe(9);
		expect(queue.has('bySegment')).toBe(false);
		const plain = (value: unknown) => JSON.parse(JSON.stringify(value));
		expect(plain(readJourney(doc))).toStrictEqual(plain({ ...QUEUE, segments: [QUEUE.segments[1], QUEUE.segments[0]] }));
		const reader = new JourneyReader(doc);
		expect(reader.read()).toStrictEqual(readJourney(doc));
	});

	it('merges two people setting different segments’ values of one card at once', () => {
		const first = journeyToDoc(QUEUE);
		const second = new Y.Doc();
		Y.applyUpdate(second, Y.encodeStateAsUpdate(first));
		setSegmentValue(first, 'queue', 'gold', 'emotion', -4);
		setSegmentValue(second, 'queue', 'regular', 'emotion', 0);
		Y.applyUpdate(first, Y.encodeStateAsUpdate(second));
		Y.applyUpdate(second, Y.encodeStateAsUpdate(first));
		const queue = readJourney(first).touchpoints.find((entry) => entry.id === 'queue')!;
		expect(queue.bySegment).toEqual({ gold: { expectation: 9, experience: 7, emotion: -4 }, regular: { emotion: 0 } });
		expect(readJourney(second)).toStrictEqual(readJourney(first));
	});

	it('deletes a segment with its values, and leaves values of an unknown segment out of the journey', () => {
		const doc = journeyToDoc(QUEUE);
		setSegmentValue(doc, 'queue', 'ghost', 'emotion', 2);
		expect(readJourney(doc).touchpoints[1].bySegment).toEqual({ gold: { expectation: 9, experience: 7, emotion: -3 } });
		deleteSegment(doc, 'gold');
		const read = readJourney(doc);
		expect(read.segments.map((entry) => entry.id)).toEqual(['regular']);
		expect(read.touchpoints[1].bySegment).toBeUndefined();
		expect(collectionMap(doc, 'touchpoints').get('queue')!.has(segmentKey('emotion', 'gold'))).toBe(false);
	});

	it('reports an out-of-range segment value as an invalid field instead of throwing', () => {
		const doc = journeyToDoc(QUEUE);
		collectionMap(doc, 'touchpoints').get('queue')!.set(segmentKey('emotion', 'gold'), 99);
		const read = readJourney(doc);
		expect(read.invalidFields).toEqual([{ touchpointId: 'queue', field: 'emotion@gold' }]);
		expect(read.touchpoints[1].bySegment).toEqual({ gold: { expectation: 9, experience: 7 } });
		expect(new JourneyReader(doc).read().invalidFields).toEqual(read.invalidFields);
	});
});

describe('the document shape with segments', () => {
	function problemOf(change: (doc: Y.Doc) => void): string | null {
		const doc = journeyToDoc(QUEUE);
		const since = Y.decodeStateVector(Y.encodeStateVector(doc));
		change(doc);
		return shapeProblem(doc, since);
	}

	it('takes segments and per-segment values of the segment fields', () => {
		expect(
			problemOf((doc) => {
				const map = new Y.Map<unknown>();
				collectionMap(doc, 'segments').set('vip', map);
				map.set('id', 'vip');
				map.set('name', 'VIP');
				map.set('order', 3);
				map.set('color', '#7b3294');
			})
		).toBeNull();
		for (const field of SEGMENT_FIELDS) expect(problemOf((doc) => setSegmentValue(doc, 'greeting', 'gold', field, 3))).toBeNull();
	});

	it('refuses a per-segment key of another field, a wrong type, and an empty segment id', () => {
		const queue = (doc: Y.Doc) => collectionMap(doc, 'touchpoints').get('queue')!;
		expect(problemOf((doc) => queue(doc).set('title@gold', 'x'))).toBe('touchpoints.queue.title@gold: not a field of the journey document');
		expect(problemOf((doc) => queue(doc).set('emotion@gold', 'high'))).toBe('touchpoints.queue.emotion@gold: a number expected');
		expect(problemOf((doc) => queue(doc).set('emotion@', 1))).toBe('touchpoints.queue.emotion@: not a field of the journey document');
		expect(problemOf((doc) => collectionMap(doc, 'segments').get('gold')!.set('order', 'first'))).toBe(
			'segments.gold.order: a number expected'
		);
	});

	it('refuses more segments than a board may have, and more per-segment values than they can hold', () => {
		expect(
			problemOf((doc) => {
				for (let index = 0; index <= LIMITS.segments; index++) collectionMap(doc, 'segments').set(`extra${index}`, new Y.Map());
			})
		).toBe(`segments: at most ${LIMITS.segments} items`);
		expect(
			problemOf((doc) => {
				for (let index = 0; index <= LIMITS.segments * SEGMENT_FIELDS.length; index++)
					setSegmentValue(doc, 'greeting', `s${index}`, 'emotion', 1);
			})
		).toBe(`touchpoints.greeting: at most ${LIMITS.segments * SEGMENT_FIELDS.length} per-segment values`);
	});
});

describe('segments in journey JSON', () => {
	it('round-trips segments and bySegment through parse and the document', () => {
		const json = JSON.parse(JSON.stringify(readJourney(journeyToDoc(QUEUE))));
		const parsed = parseJourney(json);
		expect(parsed.ok).toBe(true);
		if (parsed.ok) expect(readJourney(journeyToDoc(parsed.value))).toStrictEqual(readJourney(journeyToDoc(QUEUE)));
	});

	it('refuses a bySegment key naming no segment, and an out-of-range value, with the path', () => {
		const json = JSON.parse(JSON.stringify(QUEUE));
		json.touchpoints[1].bySegment.vip = { emotion: 1 };
		expect(parseJourney(json)).toEqual({ ok: false, error: 'touchpoints[1].bySegment.vip: no segment "vip"' });
		const outOfRange = JSON.parse(JSON.stringify(QUEUE));
		outOfRange.touchpoints[1].bySegment.gold.expectation = 11;
		expect(parseJourney(outOfRange)).toEqual({ ok: false, error: 'touchpoints[1].bySegment.gold.expectation: must be from 0 to 10' });
		const unknownField = JSON.parse(JSON.stringify(QUEUE));
		unknownField.touchpoints[1].bySegment.gold.title = 'x';
		expect(parseJourney(unknownField).ok).toBe(false);
	});

	it('takes a journey without segments as one with none', () => {
		const { segments: _segments, ...old } = JSON.parse(JSON.stringify(journey([touchpoint('t1', 0)], [])));
		const parsed = parseJourney(old);
		expect(parsed.ok && parsed.value.segments).toEqual([]);
	});

	it('shows the journey as one segment sees it', () => {
		expect(journeyForSegment(QUEUE, 'gold').touchpoints[1]).toMatchObject({ expectation: 9, experience: 7, emotion: -3 });
		expect(journeyForSegment(QUEUE, 'gold').touchpoints[1].bySegment).toBeUndefined();
		expect(journeyForSegment(QUEUE, 'gold').touchpoints[0]).toBe(QUEUE.touchpoints[0]);
		expect(journeyForSegment(QUEUE, 'gold').touchpoints[1]).toBe(journeyForSegment(QUEUE, 'gold').touchpoints[1]);
	});
});

describe('the templates’ segments', () => {
	it('give the bank branch VIP, gold-card and regular customers in both languages, telling the case', () => {
		expect(templateJourney('bank-branch', 'x', 'en').segments.map((entry) => entry.name)).toEqual([
			'VIP customers',
			'Gold-card customers',
			'Regular customers'
		]);
		const zh = templateJourney('bank-branch', 'x', 'zh-CN');
		expect(zh.segments.map((entry) => entry.name)).toEqual(['贵宾客户', '金卡客户', '普通客户']);
		const analysis = analyzeJourney(zh);
		const [vip, gold] = analysis.segments;
		expect(vip.peakEnd.peak).toEqual({ touchpointId: 't5', emotion: 5 });
		expect(vip.gaps.slice(0, 2).map((gap) => gap.touchpointId)).toEqual(['t11', 't12']);
		expect(gold.peakEnd.peak).toEqual({ touchpointId: 't8', emotion: -5 });
		expect(gold.peakEnd.remembered).toBeLessThan(0);
		expect(analysis.paradoxes[0]).toStrictEqual({
			touchpointId: 't8',
			title: zh.touchpoints.find((touchpoint) => touchpoint.id === 't8')!.title,
			segmentId: 'seg-gold',
			comparedWith: 'seg-regular',
			experience: [7, 4],
			satisfaction: [-2, 0]
		});
		// The all-customers view is the recorded case, unchanged.
		expect(analysis.peakEnd).toStrictEqual(analyzeJourney({ ...zh, segments: [] }).peakEnd);
	});

	it('offer two example segments on the lifecycle template', () => {
		expect(templateJourney('lifecycle', 'x', 'en').segments.map((entry) => entry.name)).toEqual(['New customers', 'Loyal customers']);
		expect(templateJourney('lifecycle', 'x', 'zh-CN').segments.map((entry) => entry.name)).toEqual(['新客户', '老客户']);
	});
});

describe('version comparison by segment', () => {
	it('gives each segment’s remembered score before and after, null where a version lacks the segment', () => {
		const after = { ...QUEUE, segments: [...QUEUE.segments, segment('vip', 0, 'VIP')] };
		const changedGold = {
			...after,
			touchpoints: after.touchpoints.map((entry) => (entry.id === 'queue' ? { ...entry, bySegment: { gold: { emotion: -1 } } } : entry))
		};
		expect(compareJourneys(QUEUE, changedGold).segments).toEqual([
			// Emotions 1 then −1: the peak is the earlier of the tie, the end −1, remembered 0.
			{ segmentId: 'vip', name: 'VIP', remembered: { before: null, after: 0, delta: null } },
			{ segmentId: 'gold', name: 'Gold card', remembered: { before: -3, after: 0, delta: 3 } },
			{ segmentId: 'regular', name: 'Regular', remembered: { before: 0, after: 0, delta: 0 } }
		]);
		expect(compareJourneys({ ...QUEUE, segments: [] }, { ...QUEUE, segments: [] }).segments).toEqual([]);
	});
});
