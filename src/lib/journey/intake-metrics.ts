import type { IntakeMetric } from './intake';

/** How many responses gave one score to one metric of one touchpoint, for all customers or one segment. */
export interface ScoreCount {
	touchpointId: string;
	/** null: responses that named no segment. */
	segmentId: string | null;
	metric: IntakeMetric;
	score: number;
	count: number;
}

export interface NpsFigures {
	count: number;
	/** 100 × (promoters − detractors) / count: −100…100. */
	score: number;
	promoters: number;
	passives: number;
	detractors: number;
}
export interface CsatFigures {
	count: number;
	mean: number;
	/** Share of 4 and 5 (0…1). */
	satisfied: number;
}
export interface MeanFigures {
	count: number;
	mean: number;
}

/** The figures of each metric that has responses. */
export interface MetricFigures {
	nps?: NpsFigures;
	csat?: CsatFigures;
	ces?: MeanFigures;
	emotion?: MeanFigures;
}

export interface TouchpointMetrics {
	touchpointId: string;
	/** All responses on the touchpoint, with or without a segment. */
	metrics: MetricFigures;
	/** Segment id → the figures of the responses that named it. */
	bySegment: Record<string, MetricFigures>;
}

/** NPS groups: promoters answer 9–10, passives 7–8, detractors 0–6. */
const PROMOTER_FROM = 9;
const PASSIVE_FROM = 7;
/** CSAT: 4 and 5 count as satisfied. */
const SATISFIED_FROM = 4;

/** One metric's running totals: adding score counts in any order gives the same figures. */
class Tally {
	count = 0;
	sum = 0;
	high = 0;
	middle = 0;

	add(metric: IntakeMetric, score: number, count: number): void {
		this.count += count;
		this.sum += score * count;
		if (metric === 'nps' && score >= PROMOTER_FROM) this.high += count;
		else if (metric === 'nps' && score >= PASSIVE_FROM) this.middle += count;
		else if (metric === 'csat' && score >= SATISFIED_FROM) this.high += count;
	}

	figures(metric: IntakeMetric): MetricFigures[IntakeMetric] {
		const mean = this.sum / this.count;
		switch (metric) {
			case 'nps': {
				const detractors = this.count - this.high - this.middle;
				return {
					count: this.count,
					score: (100 * (this.high - detractors)) / this.count,
					promoters: this.high,
					passives: this.middle,
					detractors
				};
			}
			case 'csat':
				return { count: this.count, mean, satisfied: this.high / this.count };
			default:
				return { count: this.count, mean };
		}
	}
}

type Tallies = Map<IntakeMetric, Tally>;

function tallyOf(tallies: Tallies, metric: IntakeMetric): Tally {
	let tally = tallies.get(metric);
	if (!tally) tallies.set(metric, (tally = new Tally()));
	return tally;
}

function figuresOf(tallies: Tallies): MetricFigures {
	const figures: Record<string, unknown> = {};
	for (const metric of ['nps', 'csat', 'ces', 'emotion'] as const) {
		const tally = tallies.get(metric);
		if (tally && tally.count > 0) figures[metric] = tally.figures(metric);
	}
	return figures as MetricFigures;
}

/**
 * The metrics of every touchpoint with responses, in the order of `touchpointOrder` (journey
 * order); touchpoints not in it (deleted since) are left out, and so are segments not in
 * `segmentIds` from `bySegment` (their responses still count for all customers). Numbers are unrounded.
 */
export function touchpointMetrics(
	counts: Iterable<ScoreCount>,
	touchpointOrder: readonly string[],
	segmentIds: ReadonlySet<string>
): TouchpointMetrics[] {
	const byTouchpoint = new Map<string, { all: Tallies; bySegment: Map<string, Tallies> }>();
	for (const { touchpointId, segmentId, metric, score, count } of counts) {
		let entry = byTouchpoint.get(touchpointId);
		if (!entry) byTouchpoint.set(touchpointId, (entry = { all: new Map(), bySegment: new Map() }));
		tallyOf(entry.all, metric).add(metric, score, count);
		if (segmentId === null || !segmentIds.has(segmentId)) continue;
		let segment = entry.bySegment.get(segmentId);
		if (!segment) entry.bySegment.set(segmentId, (segment = new Map()));
		tallyOf(segment, metric).add(metric, score, count);
	}
	const result: TouchpointMetrics[] = [];
	for (const touchpointId of touchpointOrder) {
		const entry = byTouchpoint.get(touchpointId);
		if (!entry) continue;
		const bySegment: Record<string, MetricFigures> = {};
		for (const [segmentId, tallies] of entry.bySegment) bySegment[segmentId] = figuresOf(tallies);
		result.push({ touchpointId, metrics: figuresOf(entry.all), bySegment });
	}
	return result;
}

/** The value an evidence item shows for a metric: the NPS score, or the mean. */
export function headlineValue(metric: IntakeMetric, figures: MetricFigures): { value: number; count: number } | null {
	const entry = figures[metric];
	if (!entry) return null;
	return { value: 'score' in entry ? entry.score : entry.mean, count: entry.count };
}
