import { describe, expect, it } from 'vitest';
import {
	analyzeJourney,
	evidenceCoverage,
	markingIssueOf,
	markingIssues,
	peakEnd,
	SUGGESTED_PEAK_THRESHOLD,
	weightedGapOf,
	weightedGaps
} from './analysis';
import { emptyJourney, JOURNEY_FORMAT, parseJourney, type Evidence, type Journey, type Touchpoint } from './schema';
import bankBranchTemplate from './templates/bank-branch.json';
import { fixtureJourney as loadFixture } from '../../../tests/support/fixtures';
import { newEvidence, newTouchpoint } from './touchpoint';

const STAGES = [
	{ id: 's1', name: 'Purchase', order: 1 },
	{ id: 's2', name: 'Usage', order: 2 },
	{ id: 's3', name: 'Service', order: 3 }
];

/** A touchpoint in stage s1 with no emotion and no scores unless given. */
function touchpoint(fields: Partial<Touchpoint> & { id: string }): Touchpoint {
	return newTouchpoint({ stageId: 's1', laneId: 'l1', title: fields.id, ...fields });
}

function evidence(id: string, touchpointId: string): Evidence {
	return newEvidence({ id, touchpointId, type: 'quote', text: 'A customer said so' });
}

function journey(touchpoints: Touchpoint[], evidenceItems: Evidence[] = []): Journey {
	return {
		...emptyJourney('Test'),
		stages: STAGES,
		lanes: [{ id: 'l1', name: 'Touchpoints', order: 1, type: 'touchpoints' }],
		touchpoints,
		evidence: evidenceItems
	};
}

/** Touchpoints with these emotions, left to right in stage s1. */
function curve(...emotions: (number | undefined)[]): Journey {
	return journey(emotions.map((emotion, index) => touchpoint({ id: `t${index + 1}`, emotion, x: index * 100 })));
}

describe('peakEnd', () => {
	it('takes the largest |emotion| as the peak and the last touchpoint as the end', () => {
		expect(peakEnd(curve(1, -2, 5, -1, 2))).toStrictEqual({
			peak: { touchpointId: 't3', emotion: 5 },
			end: { touchpointId: 't5', emotion: 2 },
			remembered: 3.5,
			average: 1,
			balanceOk: true,
			endOk: true
		});
	});

	it('counts a negative emotion as intense as a positive one', () => {
		const result = peakEnd(curve(3, -5, 4));
		expect(result.peak).toEqual({ touchpointId: 't2', emotion: -5 });
		expect(result.remembered).toBe(-0.5);
	});

	it('breaks a tie for the peak in favour of the earlier touchpoint in journey order', () => {
		expect(peakEnd(curve(2, 4, -4, 4)).peak).toEqual({ touchpointId: 't2', emotion: 4 });
		expect(peakEnd(curve(-4, 4)).peak).toEqual({ touchpointId: 't1', emotion: -4 });
	});

	it('uses journey order (stage order, then x), not the order of the array', () => {
		const shuffled = journey([
			touchpoint({ id: 'late', stageId: 's3', x: 0, emotion: 4 }),
			touchpoint({ id: 'early-right', stageId: 's1', x: 500, emotion: -4 }),
			touchpoint({ id: 'middle', stageId: 's2', x: 100, emotion: 1 }),
			touchpoint({ id: 'early-left', stageId: 's1', x: 10, emotion: 4 })
		]);
		const result = peakEnd(shuffled);
		expect(result.peak?.touchpointId).toBe('early-left');
		expect(result.end).toEqual({ touchpointId: 'late', emotion: 4 });
	});

	it('leaves touchpoints without an emotion out of peak, end and average', () => {
		const result = peakEnd(curve(undefined, -1, 3, undefined));
		expect(result.peak).toEqual({ touchpointId: 't3', emotion: 3 });
		expect(result.end).toEqual({ touchpointId: 't3', emotion: 3 });
		expect(result.average).toBe(1);
		expect(result.remembered).toBe(3);
	});

	it('shows the remembered score beside a different plain average', () => {
		// A mostly pleasant journey with a bad peak and a bad end is remembered as bad.
		const result = peakEnd(curve(2, 2, 2, 2, -5, 2, -1));
		expect(result.average).toBeCloseTo(4 / 7, 12);
		expect(result.remembered).toBe(-3);
		expect(result.endOk).toBe(false);
	});

	it('is all null when no touchpoint has an emotion', () => {
		const nothing = { peak: null, end: null, remembered: null, average: null, balanceOk: null, endOk: null };
		expect(peakEnd(curve())).toStrictEqual(nothing);
		expect(peakEnd(curve(undefined, undefined))).toStrictEqual(nothing);
	});

	it('checks that the worst negative emotion is no stronger than the best positive', () => {
		expect(peakEnd(curve(3, -3)).balanceOk).toBe(true);
		expect(peakEnd(curve(3, -4, 1)).balanceOk).toBe(false);
		expect(peakEnd(curve(5, -4)).balanceOk).toBe(true);
	});

	it('passes the balance check without negatives and fails it with negatives but no positive', () => {
		expect(peakEnd(curve(1, 2)).balanceOk).toBe(true);
		expect(peakEnd(curve(0, 0)).balanceOk).toBe(true);
		expect(peakEnd(curve(-1, 0)).balanceOk).toBe(false);
		expect(peakEnd(curve(-2)).balanceOk).toBe(false);
	});

	it('passes the end check at zero and above, fails it below', () => {
		expect(peakEnd(curve(-3, 0)).endOk).toBe(true);
		expect(peakEnd(curve(-3, 1)).endOk).toBe(true);
		expect(peakEnd(curve(3, -1)).endOk).toBe(false);
	});
});

describe('markingIssues', () => {
	it('flags a positive peak whose emotion is not positive', () => {
		expect(markingIssueOf(touchpoint({ id: 'a', kind: 'positive-peak', emotion: 0 }))).toBe('positive-peak-not-positive');
		expect(markingIssueOf(touchpoint({ id: 'a', kind: 'positive-peak', emotion: -2 }))).toBe('positive-peak-not-positive');
		expect(markingIssueOf(touchpoint({ id: 'a', kind: 'positive-peak', emotion: 1 }))).toBeNull();
	});

	it('flags a negative peak whose emotion is not negative', () => {
		expect(markingIssueOf(touchpoint({ id: 'a', kind: 'negative-peak', emotion: 0 }))).toBe('negative-peak-not-negative');
		expect(markingIssueOf(touchpoint({ id: 'a', kind: 'negative-peak', emotion: 3 }))).toBe('negative-peak-not-negative');
		expect(markingIssueOf(touchpoint({ id: 'a', kind: 'negative-peak', emotion: -1 }))).toBeNull();
	});

	it('suggests a peak for a neutral touchpoint with |emotion| at the threshold or above', () => {
		expect(SUGGESTED_PEAK_THRESHOLD).toBe(4);
		expect(markingIssueOf(touchpoint({ id: 'a', emotion: 4 }))).toBe('suggested-peak');
		expect(markingIssueOf(touchpoint({ id: 'a', emotion: -4 }))).toBe('suggested-peak');
		expect(markingIssueOf(touchpoint({ id: 'a', emotion: 5 }))).toBe('suggested-peak');
		expect(markingIssueOf(touchpoint({ id: 'a', emotion: 3 }))).toBeNull();
		expect(markingIssueOf(touchpoint({ id: 'a', emotion: -3 }))).toBeNull();
	});

	it('raises no issue for a touchpoint without an emotion', () => {
		expect(markingIssueOf(touchpoint({ id: 'a', kind: 'positive-peak' }))).toBeNull();
		expect(markingIssueOf(touchpoint({ id: 'a', kind: 'negative-peak' }))).toBeNull();
		expect(markingIssueOf(touchpoint({ id: 'a' }))).toBeNull();
	});

	it('lists the issues in journey order', () => {
		const mixed = journey([
			touchpoint({ id: 'z-first', stageId: 's1', x: 0, kind: 'negative-peak', emotion: 2 }),
			touchpoint({ id: 'ok', stageId: 's1', x: 50, kind: 'positive-peak', emotion: 3 }),
			touchpoint({ id: 'c-last', stageId: 's3', x: 0, emotion: -5 }),
			touchpoint({ id: 'b-middle', stageId: 's2', x: 0, kind: 'positive-peak', emotion: -1 })
		]);
		expect(markingIssues(mixed)).toStrictEqual([
			{ touchpointId: 'z-first', issue: 'negative-peak-not-negative' },
			{ touchpointId: 'b-middle', issue: 'positive-peak-not-positive' },
			{ touchpointId: 'c-last', issue: 'suggested-peak' }
		]);
	});
});

describe('weightedGaps', () => {
	// Seed 003's electronics retailer: convenience is the key experience. The other five dimensions
	// are plausible figures; relationship has the largest plain gap but a lower importance, so only
	// the weighting makes convenience come first.
	const DIMENSIONS = [
		{ id: 'price', experience: 7, expectation: 7, importance: 8, ideal: 8 },
		{ id: 'brand-image', experience: 8, expectation: 7, importance: 5, ideal: 8 },
		{ id: 'service', experience: 6, expectation: 7, importance: 7, ideal: 9 },
		{ id: 'product', experience: 8, expectation: 8, importance: 8, ideal: 9 },
		{ id: 'convenience', experience: 5, expectation: 7, importance: 9, ideal: 10 },
		{ id: 'relationship', experience: 4, expectation: 7, importance: 4, ideal: 8 }
	];
	const retailer = journey(DIMENSIONS.map((dimension, index) => touchpoint({ ...dimension, title: dimension.id, x: index * 100 })));

	it('computes the seed’s convenience figures', () => {
		const convenience = weightedGaps(retailer).find((gap) => gap.touchpointId === 'convenience');
		expect(convenience).toStrictEqual({
			touchpointId: 'convenience',
			title: 'convenience',
			expectation: 7,
			experience: 5,
			importance: 9,
			satisfaction: -2,
			weighted: -18,
			ideal: 10,
			idealGap: -5
		});
	});

	it('sorts the key experience first, ascending by weighted gap, ties in journey order', () => {
		const gaps = weightedGaps(retailer);
		expect(gaps.map((gap) => [gap.touchpointId, gap.weighted])).toStrictEqual([
			['convenience', -18],
			['relationship', -12],
			['service', -7],
			['price', 0],
			['product', 0],
			['brand-image', 5]
		]);
		// The plain difference alone would have ranked relationship worst.
		const bySatisfaction = [...gaps].sort((a, b) => a.satisfaction - b.satisfaction);
		expect(bySatisfaction[0].touchpointId).toBe('relationship');
	});

	it('leaves out touchpoints without both experience and expectation', () => {
		const partial = journey([
			touchpoint({ id: 'only-experience', experience: 5, importance: 9 }),
			touchpoint({ id: 'only-expectation', expectation: 5, importance: 9, x: 1 }),
			touchpoint({ id: 'nothing', x: 2 }),
			touchpoint({ id: 'both', experience: 0, expectation: 0, x: 3 })
		]);
		expect(weightedGaps(partial).map((gap) => gap.touchpointId)).toStrictEqual(['both']);
		expect(weightedGapOf(partial.touchpoints[0])).toBeNull();
	});

	it('reports null importance, weighted, ideal and idealGap when those scores are absent', () => {
		const gap = weightedGapOf(touchpoint({ id: 'a', title: 'Queue', experience: 4, expectation: 8 }));
		expect(gap).toStrictEqual({
			touchpointId: 'a',
			title: 'Queue',
			expectation: 8,
			experience: 4,
			importance: null,
			satisfaction: -4,
			weighted: null,
			ideal: null,
			idealGap: null
		});
	});

	it('sorts gaps without importance last, in journey order', () => {
		const gaps = weightedGaps(
			journey([
				touchpoint({ id: 'unweighted-1', experience: 1, expectation: 9, x: 0 }),
				touchpoint({ id: 'positive', experience: 9, expectation: 5, importance: 10, x: 1 }),
				touchpoint({ id: 'unweighted-2', experience: 9, expectation: 1, x: 2 }),
				touchpoint({ id: 'negative', experience: 5, expectation: 6, importance: 1, x: 3 })
			])
		);
		expect(gaps.map((gap) => gap.touchpointId)).toStrictEqual(['negative', 'positive', 'unweighted-1', 'unweighted-2']);
	});

	it('keeps zero scores, which are not absent', () => {
		const gap = weightedGapOf(touchpoint({ id: 'a', experience: 0, expectation: 3, importance: 0, ideal: 0 }));
		expect(gap).toMatchObject({ satisfaction: -3, importance: 0, ideal: 0, idealGap: 0 });
		// 0 × −3 is −0 in floating point; the analysis reports a plain 0.
		expect(Object.is(gap?.weighted, 0)).toBe(true);
	});

	it('removes floating-point noise from fractional scores without rounding them', () => {
		const gap = weightedGapOf(touchpoint({ id: 'a', experience: 8.2, expectation: 7.1, importance: 3, ideal: 9.1 }));
		expect(gap?.satisfaction).toBe(1.1); // raw: 1.0999999999999996
		expect(gap?.weighted).toBe(3.3); // raw: 3 × 1.0999999999999996 = 3.299999999999999
		expect(gap?.idealGap).toBe(-0.9); // raw: -0.9000000000000004
		const precise = weightedGapOf(touchpoint({ id: 'b', experience: 6.125, expectation: 4, importance: 2.5 }));
		expect(precise?.satisfaction).toBe(2.125);
		expect(precise?.weighted).toBe(5.3125);
	});
});

describe('evidenceCoverage', () => {
	it('counts touchpoints with at least one evidence item, once each', () => {
		const covered = journey(
			[touchpoint({ id: 'a' }), touchpoint({ id: 'b', x: 1 }), touchpoint({ id: 'c', x: 2 }), touchpoint({ id: 'd', x: 3 })],
			[evidence('e1', 'a'), evidence('e2', 'a'), evidence('e3', 'c')]
		);
		expect(evidenceCoverage(covered)).toStrictEqual({ covered: 2, total: 4, ratio: 0.5, unsupportedPeaks: [] });
	});

	it('flags marked peaks without evidence, in journey order, and not neutral touchpoints', () => {
		const peaks = journey(
			[
				touchpoint({ id: 'negative', stageId: 's2', kind: 'negative-peak', emotion: -4 }),
				touchpoint({ id: 'positive', stageId: 's1', kind: 'positive-peak', emotion: 4 }),
				touchpoint({ id: 'supported', stageId: 's1', x: 5, kind: 'negative-peak', emotion: -2 }),
				touchpoint({ id: 'neutral', stageId: 's1', x: 9, emotion: 5 })
			],
			[evidence('e1', 'supported')]
		);
		expect(evidenceCoverage(peaks).unsupportedPeaks).toStrictEqual(['positive', 'negative']);
	});

	it('ignores evidence whose touchpoint is not in the journey', () => {
		const stray = journey([touchpoint({ id: 'a' }), touchpoint({ id: 'b', x: 1 })], [evidence('e1', 'gone')]);
		expect(evidenceCoverage(stray)).toMatchObject({ covered: 0, total: 2, ratio: 0 });
	});

	it('has a null ratio for a journey without touchpoints', () => {
		expect(evidenceCoverage(journey([]))).toStrictEqual({ covered: 0, total: 0, ratio: null, unsupportedPeaks: [] });
	});
});

describe('analyzeJourney', () => {
	it('analyses an empty journey without failing', () => {
		expect(analyzeJourney(emptyJourney('Empty'))).toStrictEqual({
			touchpoints: 0,
			peakEnd: { peak: null, end: null, remembered: null, average: null, balanceOk: null, endOk: null },
			markings: [],
			gaps: [],
			evidence: { covered: 0, total: 0, ratio: null, unsupportedPeaks: [] },
			segments: [],
			divergence: [],
			paradoxes: [],
			actions: [],
			unplanned: []
		});
	});

	it('analyses touchpoints that have no scores at all', () => {
		const bare = journey([
			touchpoint({ id: 'a', kind: 'positive-peak' }),
			touchpoint({ id: 'b', x: 1 }),
			touchpoint({ id: 'c', x: 2, emotion: -2 })
		]);
		expect(analyzeJourney(bare)).toStrictEqual({
			touchpoints: 3,
			peakEnd: {
				peak: { touchpointId: 'c', emotion: -2 },
				end: { touchpointId: 'c', emotion: -2 },
				remembered: -2,
				average: -2,
				balanceOk: false,
				endOk: false
			},
			markings: [],
			gaps: [],
			evidence: { covered: 0, total: 3, ratio: 0, unsupportedPeaks: ['a'] },
			segments: [],
			divergence: [],
			paradoxes: [],
			actions: [],
			unplanned: []
		});
	});

	it('gives the same result as JSON (the API response)', () => {
		const analysis = analyzeJourney(loadFixture('bank-branch.journey.json'));
		expect(JSON.parse(JSON.stringify(analysis))).toStrictEqual(analysis);
	});

	describe('the bank-branch fixture', () => {
		const fromShared = loadFixture('bank-branch.journey.json');
		const analysis = analyzeJourney(fromShared);

		it('matches the bundled template', () => {
			const parsed = parseJourney(bankBranchTemplate);
			expect(parsed.ok && analyzeJourney(parsed.value)).toStrictEqual(analysis);
		});

		it('finds the welcome as the peak (tied with the queue, but earlier) and the farewell as the end', () => {
			expect(analysis.touchpoints).toBe(15);
			expect(analysis.peakEnd).toStrictEqual({
				peak: { touchpointId: 't4', emotion: 4 },
				end: { touchpointId: 't15', emotion: 3 },
				remembered: 3.5,
				average: 0.6,
				balanceOk: true,
				endOk: true
			});
		});

		it('has consistent markings', () => {
			expect(analysis.markings).toStrictEqual([]);
		});

		it('ranks queueing and waiting as the key experience, then fees', () => {
			expect(analysis.gaps).toHaveLength(15);
			expect(analysis.gaps.map((gap) => [gap.touchpointId, gap.weighted])).toStrictEqual([
				['t8', -36],
				['t13', -28],
				['t11', -14],
				['t2', -6],
				['t1', 0],
				['t3', 0],
				['t5', 0],
				['t7', 0],
				['t9', 0],
				['t10', 0],
				['t12', 0],
				['t14', 6],
				['t6', 8],
				['t15', 12],
				['t4', 14]
			]);
			expect(analysis.gaps[0]).toStrictEqual({
				touchpointId: 't8',
				title: 'Queueing and waiting',
				expectation: 8,
				experience: 4,
				importance: 9,
				satisfaction: -4,
				weighted: -36,
				ideal: null,
				idealGap: null
			});
		});

		it('reports evidence on three touchpoints and the unsupported peaks', () => {
			expect(analysis.evidence).toStrictEqual({
				covered: 3,
				total: 15,
				ratio: 0.2,
				unsupportedPeaks: ['t6', 't14', 't15']
			});
		});
	});

	describe('the credit-card fixture', () => {
		const analysis = analyzeJourney(loadFixture('credit-card-calls.journey.json'));

		it('finds the sales calls as a negative peak stronger than any positive one', () => {
			expect(analysis.touchpoints).toBe(5);
			expect(analysis.peakEnd).toStrictEqual({
				peak: { touchpointId: 't3', emotion: -5 },
				end: { touchpointId: 't5', emotion: 1 },
				remembered: -2,
				average: -0.6,
				balanceOk: false,
				endOk: true
			});
		});

		it('has no gaps (no scores), no marking issues, and flags the unsupported peaks', () => {
			expect(analysis.markings).toStrictEqual([]);
			expect(analysis.gaps).toStrictEqual([]);
			expect(analysis.evidence).toStrictEqual({ covered: 1, total: 5, ratio: 0.2, unsupportedPeaks: ['t1', 't4'] });
		});
	});

	describe('the electronics-retailer fixture (docs/method.md, worked examples)', () => {
		const analysis = analyzeJourney(loadFixture('electronics-retailer.journey.json'));

		it('ranks convenience first: satisfaction 5 − 7 = −2, weighted 9 × −2 = −18, ideal gap 5 − 10 = −5', () => {
			expect(analysis.gaps).toHaveLength(6);
			expect(analysis.gaps[0]).toStrictEqual({
				touchpointId: 't5',
				title: 'Convenience',
				expectation: 7,
				experience: 5,
				importance: 9,
				satisfaction: -2,
				weighted: -18,
				ideal: 10,
				idealGap: -5
			});
			expect(Math.min(...analysis.gaps.slice(1).map((gap) => gap.weighted!))).toBeGreaterThan(-18);
		});

		it('puts product second and the dimensions that meet expectation after it', () => {
			expect(analysis.gaps.map((gap) => [gap.title, gap.weighted])).toStrictEqual([
				['Convenience', -18],
				['Product', -7],
				['Price', 0],
				['Brand image', 0],
				['Service', 0],
				['Relationship', 0]
			]);
		});
	});
});

describe('markings of cards the reader could not place or read', () => {
	it('marks unplaced cards and unreadable fields after the kind issues, and leaves unplaced cards out of the figures', () => {
		const journey: Journey = {
			format: JOURNEY_FORMAT,
			title: 'Marked',
			stages: [{ id: 's1', name: 'One', order: 0 }],
			lanes: [{ id: 'l1', name: 'Lane', order: 0, type: 'touchpoints' }],
			touchpoints: [
				{ ...newTouchpoint({ id: 'a', stageId: 's1', laneId: 'l1', title: 'A', x: 0, y: 0 }), kind: 'positive-peak', emotion: -2 },
				{ ...newTouchpoint({ id: 'b', stageId: 'gone', laneId: 'l1', title: 'B', x: 0, y: 0 }), emotion: -5 }
			],
			links: [],
			evidence: [],
			segments: [],
			invalidFields: [{ touchpointId: 'a', field: 'title' }]
		};
		const analysis = analyzeJourney(journey);
		expect(analysis.markings).toEqual([
			{ touchpointId: 'a', issue: 'positive-peak-not-positive' },
			{ touchpointId: 'b', issue: 'unplaced' },
			{ touchpointId: 'a', issue: 'invalid-field', field: 'title' }
		]);
		expect(analysis.touchpoints).toBe(2);
		expect(analysis.peakEnd.peak).toEqual({ touchpointId: 'a', emotion: -2 });
		expect(analysis.evidence.total).toBe(1);
	});
});
