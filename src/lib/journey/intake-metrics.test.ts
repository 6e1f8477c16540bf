import { describe, expect, test } from 'vitest';
import type { IntakeMetric } from './intake';
import { headlineValue, touchpointMetrics, type ScoreCount } from './intake-metrics';

const count = (touchpointId: string, metric: IntakeMetric, score: number, n: number, segmentId: string | null = null): ScoreCount => ({
	touchpointId,
	segmentId,
	metric,
	score,
	count: n
});

describe('touchpointMetrics', () => {
	test('NPS with promoters, passives and detractors: 100 × (promoters − detractors) / count', () => {
		// 3 promoters (10, 9, 9), 2 passives (8, 7), 5 detractors (6, 5, 0, 0, 3): (3 − 5) / 10 = −20.
		const counts = [count('t1', 'nps', 10, 1), count('t1', 'nps', 9, 2), count('t1', 'nps', 8, 1), count('t1', 'nps', 7, 1)];
		counts.push(count('t1', 'nps', 6, 1), count('t1', 'nps', 5, 1), count('t1', 'nps', 0, 2), count('t1', 'nps', 3, 1));
		const [t1] = touchpointMetrics(counts, ['t1'], new Set());
		expect(t1.metrics.nps).toEqual({ count: 10, score: -20, promoters: 3, passives: 2, detractors: 5 });
	});

	test('CSAT mean and the share of 4–5; CES and emotion means, unrounded', () => {
		// CSAT 5, 4, 2: mean 11/3, satisfied 2/3. CES 1, 2, 2: mean 5/3. Emotion −5, 4: mean −0.5.
		const counts = [count('t1', 'csat', 5, 1), count('t1', 'csat', 4, 1), count('t1', 'csat', 2, 1)];
		counts.push(count('t1', 'ces', 1, 1), count('t1', 'ces', 2, 2), count('t1', 'emotion', -5, 1), count('t1', 'emotion', 4, 1));
		const [t1] = touchpointMetrics(counts, ['t1'], new Set());
		expect(t1.metrics.csat).toEqual({ count: 3, mean: 11 / 3, satisfied: 2 / 3 });
		expect(t1.metrics.ces).toEqual({ count: 3, mean: 5 / 3 });
		expect(t1.metrics.emotion).toEqual({ count: 2, mean: -0.5 });
		expect(t1.metrics.nps).toBeUndefined();
	});

	test('segment responses count for all customers too; segments the board lacks are left out of bySegment', () => {
		const counts = [count('t1', 'nps', 10, 1, 'seg-a'), count('t1', 'nps', 0, 1), count('t1', 'nps', 8, 1, 'seg-gone')];
		const [t1] = touchpointMetrics(counts, ['t1'], new Set(['seg-a']));
		expect(t1.metrics.nps).toEqual({ count: 3, score: 0, promoters: 1, passives: 1, detractors: 1 });
		expect(t1.bySegment).toEqual({ 'seg-a': { nps: { count: 1, score: 100, promoters: 1, passives: 0, detractors: 0 } } });
	});

	test('journey order, and touchpoints the board no longer has are left out', () => {
		const counts = [count('t2', 'ces', 3, 1), count('gone', 'ces', 3, 1), count('t1', 'ces', 5, 1)];
		expect(touchpointMetrics(counts, ['t1', 't2', 't3'], new Set()).map((entry) => entry.touchpointId)).toEqual(['t1', 't2']);
	});

	test('the headline of a metric is the NPS score or the mean', () => {
		const [t1] = touchpointMetrics([count('t1', 'nps', 10, 3), count('t1', 'nps', 2, 1), count('t1', 'csat', 3, 2)], ['t1'], new Set());
		expect(headlineValue('nps', t1.metrics)).toEqual({ value: 50, count: 4 });
		expect(headlineValue('csat', t1.metrics)).toEqual({ value: 3, count: 2 });
		expect(headlineValue('ces', t1.metrics)).toBeNull();
	});
});
