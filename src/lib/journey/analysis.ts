import { analyzeActions, unplannedTouchpoints, type ActionAnalysis } from './actions';
import { journeyOrder } from './order';
import { placement } from './placement';
import type { Journey, Touchpoint } from './schema';
import { effectiveValue, journeyForSegment, segmentsInOrder } from './segments';

/** An unmarked (neutral) touchpoint with |emotion| at least this is a suggested peak (docs/method.md, Marking checks and suggested peaks). */
export const SUGGESTED_PEAK_THRESHOLD = 4;
/** The end emotion must be at least this for the end check to pass (docs/method.md, Peak–end rule). */
export const END_EMOTION_MIN = 0;
/**
 * Significant digits kept in score arithmetic (satisfaction, weighted, idealGap). Scores may be
 * fractional (8.2 − 7.1 = 1.0999999999999996 in binary floating point); 12 digits removes that noise
 * and changes no result of scores with up to a few decimals.
 */
export const SCORE_SIGNIFICANT_DIGITS = 12;

/** A touchpoint's emotion, as reported for the peak and the end. */
export interface EmotionPoint {
	touchpointId: string;
	emotion: number;
}

/** The peak–end rule's figures; `null` where no touchpoint has an emotion. */
export interface PeakEnd {
	peak: EmotionPoint | null;
	end: EmotionPoint | null;
	/** (peak emotion + end emotion) / 2. */
	remembered: number | null;
	/** The plain mean of all emotions. */
	average: number | null;
	/** |worst negative emotion| ≤ best positive emotion. */
	balanceOk: boolean | null;
	/** End emotion ≥ 0. */
	endOk: boolean | null;
}

export const MARKING_ISSUES = [
	'positive-peak-not-positive',
	'negative-peak-not-negative',
	'suggested-peak',
	'unplaced',
	'invalid-field'
] as const;
export type MarkingIssueKind = (typeof MARKING_ISSUES)[number];

/**
 * A touchpoint whose kind does not fit its emotion, whose stage or lane is gone (`unplaced`), or
 * one of whose fields could not be read (`invalid-field`, naming the `field`).
 */
export interface MarkingIssue {
	touchpointId: string;
	issue: MarkingIssueKind;
	field?: string;
}

/** The delta law and importance weighting for one touchpoint with experience and expectation. */
export interface WeightedGap {
	touchpointId: string;
	title: string;
	expectation: number;
	experience: number;
	importance: number | null;
	/** experience − expectation. */
	satisfaction: number;
	/** importance × satisfaction; null without importance. */
	weighted: number | null;
	ideal: number | null;
	/** experience − ideal; null without ideal. */
	idealGap: number | null;
}

/** How much of the journey rests on evidence. */
export interface EvidenceCoverage {
	/** Touchpoints with at least one evidence item. */
	covered: number;
	total: number;
	/** covered / total; null for a journey without touchpoints. */
	ratio: number | null;
	/** Touchpoints marked positive-peak or negative-peak without evidence, in journey order. */
	unsupportedPeaks: string[];
}

/** One segment's peak–end and gaps, from its effective values, with the rules of the all-customers view. */
export interface SegmentAnalysis {
	segmentId: string;
	name: string;
	peakEnd: PeakEnd;
	gaps: WeightedGap[];
}

/** A segment's effective value of a field at one touchpoint. */
export interface SegmentValue {
	segmentId: string;
	value: number;
}

export const DIVERGENCE_FIELDS = ['emotion', 'satisfaction'] as const;
export type DivergenceField = (typeof DIVERGENCE_FIELDS)[number];

/** Where segments differ at one touchpoint: the lowest and highest effective value of a field. */
export interface Divergence {
	touchpointId: string;
	title: string;
	field: DivergenceField;
	low: SegmentValue;
	high: SegmentValue;
	/** high − low, always above 0. */
	spread: number;
}

/** "Better served, less satisfied": `segmentId` has higher experience than `comparedWith` at a touchpoint, and lower satisfaction. */
export interface Paradox {
	touchpointId: string;
	title: string;
	segmentId: string;
	comparedWith: string;
	/** [segment's, comparedWith's] effective experience. */
	experience: [number, number];
	/** [segment's, comparedWith's] satisfaction (experience − expectation). */
	satisfaction: [number, number];
}

/** The analysis of a journey (contract: `GET /api/boards/:id/analysis`). */
export interface Analysis {
	touchpoints: number;
	peakEnd: PeakEnd;
	markings: MarkingIssue[];
	gaps: WeightedGap[];
	evidence: EvidenceCoverage;
	/** Per segment, in segment order; empty without segments. */
	segments: SegmentAnalysis[];
	divergence: Divergence[];
	paradoxes: Paradox[];
	/** The board's actions ranked (see `analyzeActions`). */
	actions: ActionAnalysis[];
	/** Touchpoints that need an action and have none (see `unplannedTouchpoints`), in journey order. */
	unplanned: string[];
}

type WithEmotion = Touchpoint & { emotion: number };

function hasEmotion(touchpoint: Touchpoint): touchpoint is WithEmotion {
	return typeof touchpoint.emotion === 'number';
}

/** Score arithmetic without binary floating-point noise, and without a negative zero. */
function cleanScore(value: number): number {
	return Number(value.toPrecision(SCORE_SIGNIFICANT_DIGITS)) + 0;
}

/** The journey's placed touchpoints in journey order (stage order, then x): unplaced ones have no place in it. */
function ordered(journey: Journey): Touchpoint[] {
	return journeyOrder(journey.stages, placement(journey).placed);
}

/**
 * The peak–end rule over the touchpoints that have an emotion: peak = largest |emotion| (ties: the
 * earlier in journey order), end = the last one in journey order. The balance check treats a missing
 * side as 0: no negative emotion passes; negatives without any positive emotion fail.
 */
export function peakEnd(journey: Journey): PeakEnd {
	const felt = ordered(journey).filter(hasEmotion);
	if (felt.length === 0) {
		return { peak: null, end: null, remembered: null, average: null, balanceOk: null, endOk: null };
	}
	let peak = felt[0];
	for (const touchpoint of felt) {
		// Strictly greater, so the earlier of equally intense touchpoints stays the peak.
		if (Math.abs(touchpoint.emotion) > Math.abs(peak.emotion)) peak = touchpoint;
	}
	const end = felt[felt.length - 1];
	const emotions = felt.map((touchpoint) => touchpoint.emotion);
	// A missing side counts as 0 (reduce, not spread: a synced document has no size cap).
	const worstNegative = emotions.reduce((worst, emotion) => Math.min(worst, emotion), 0);
	const bestPositive = emotions.reduce((best, emotion) => Math.max(best, emotion), 0);
	return {
		peak: { touchpointId: peak.id, emotion: peak.emotion },
		end: { touchpointId: end.id, emotion: end.emotion },
		remembered: (peak.emotion + end.emotion) / 2,
		average: emotions.reduce((sum, emotion) => sum + emotion, 0) / emotions.length,
		balanceOk: Math.abs(worstNegative) <= bestPositive,
		endOk: end.emotion >= END_EMOTION_MIN
	};
}

/** The marking issue of one touchpoint's kind, or null when its kind fits its emotion (or it has none). */
export function markingIssueOf(touchpoint: Touchpoint): Exclude<MarkingIssueKind, 'unplaced' | 'invalid-field'> | null {
	if (!hasEmotion(touchpoint)) return null;
	switch (touchpoint.kind) {
		case 'positive-peak':
			return touchpoint.emotion <= 0 ? 'positive-peak-not-positive' : null;
		case 'negative-peak':
			return touchpoint.emotion >= 0 ? 'negative-peak-not-negative' : null;
		case 'neutral':
			return Math.abs(touchpoint.emotion) >= SUGGESTED_PEAK_THRESHOLD ? 'suggested-peak' : null;
	}
}

/**
 * Placed touchpoints whose kind contradicts their emotion, or neutral ones intense enough to be
 * peaks, in journey order; then the unplaced touchpoints; then every field the reader could not read.
 */
export function markingIssues(journey: Journey): MarkingIssue[] {
	const issues: MarkingIssue[] = [];
	for (const touchpoint of ordered(journey)) {
		const issue = markingIssueOf(touchpoint);
		if (issue) issues.push({ touchpointId: touchpoint.id, issue });
	}
	for (const touchpoint of placement(journey).unplaced) issues.push({ touchpointId: touchpoint.id, issue: 'unplaced' });
	for (const { touchpointId, field } of journey.invalidFields ?? []) issues.push({ touchpointId, issue: 'invalid-field', field });
	return issues;
}

/** The weighted gap of one touchpoint, or null when it lacks experience or expectation. */
export function weightedGapOf(touchpoint: Touchpoint): WeightedGap | null {
	const { experience, expectation } = touchpoint;
	if (experience === undefined || expectation === undefined) return null;
	const importance = touchpoint.importance ?? null;
	const ideal = touchpoint.ideal ?? null;
	const satisfaction = cleanScore(experience - expectation);
	return {
		touchpointId: touchpoint.id,
		title: touchpoint.title,
		expectation,
		experience,
		importance,
		satisfaction,
		weighted: importance === null ? null : cleanScore(importance * satisfaction),
		ideal,
		idealGap: ideal === null ? null : cleanScore(experience - ideal)
	};
}

/**
 * Delta law and importance weighting for every touchpoint with experience and expectation, sorted
 * by weighted gap ascending (the key experiences first); ties and gaps without importance (weighted
 * null, which cannot be ranked) keep journey order, the latter after all ranked ones.
 */
export function weightedGaps(journey: Journey): WeightedGap[] {
	const gaps: WeightedGap[] = [];
	for (const touchpoint of ordered(journey)) {
		const gap = weightedGapOf(touchpoint);
		if (gap) gaps.push(gap);
	}
	// Array.prototype.sort is stable, so equal keys stay in journey order.
	return gaps.sort((a, b) => {
		if (a.weighted === null || b.weighted === null) {
			return (a.weighted === null ? 1 : 0) - (b.weighted === null ? 1 : 0);
		}
		return a.weighted - b.weighted;
	});
}

/** Share of touchpoints with evidence, and the peaks that rest on none. Evidence of unknown touchpoints is ignored. */
export function evidenceCoverage(journey: Journey): EvidenceCoverage {
	const withEvidence = new Set(journey.evidence.map((item) => item.touchpointId));
	const touchpoints = ordered(journey);
	const covered = touchpoints.filter((touchpoint) => withEvidence.has(touchpoint.id)).length;
	const total = touchpoints.length;
	return {
		covered,
		total,
		ratio: total === 0 ? null : covered / total,
		unsupportedPeaks: touchpoints
			.filter((touchpoint) => touchpoint.kind !== 'neutral' && !withEvidence.has(touchpoint.id))
			.map((touchpoint) => touchpoint.id)
	};
}

/** Each segment's peak–end and weighted gaps from its effective values, in segment order. */
export function segmentAnalyses(journey: Journey): SegmentAnalysis[] {
	return segmentsInOrder(journey).map((segment) => {
		const seen = journeyForSegment(journey, segment.id);
		return { segmentId: segment.id, name: segment.name, peakEnd: peakEnd(seen), gaps: weightedGaps(seen) };
	});
}

/** A segment's effective value of a divergence field at a touchpoint: its emotion, or experience − expectation. */
function segmentFieldValue(touchpoint: Touchpoint, field: DivergenceField, segmentId: string): number | undefined {
	if (field === 'emotion') return effectiveValue(touchpoint, 'emotion', segmentId);
	const experience = effectiveValue(touchpoint, 'experience', segmentId);
	const expectation = effectiveValue(touchpoint, 'expectation', segmentId);
	return experience === undefined || expectation === undefined ? undefined : cleanScore(experience - expectation);
}

/**
 * Per placed touchpoint and field, the lowest and highest effective value among the segments that
 * have one (at least two), where they differ; ties go to the earlier segment in segment order.
 * Sorted by spread descending, then journey order, then emotion before satisfaction.
 */
export function divergence(journey: Journey): Divergence[] {
	const segments = segmentsInOrder(journey);
	if (segments.length < 2) return [];
	const found: Divergence[] = [];
	for (const touchpoint of ordered(journey)) {
		for (const field of DIVERGENCE_FIELDS) {
			let low: SegmentValue | null = null;
			let high: SegmentValue | null = null;
			let count = 0;
			for (const segment of segments) {
				const value = segmentFieldValue(touchpoint, field, segment.id);
				if (value === undefined) continue;
				count++;
				// Strict comparisons keep the earlier segment on a tie.
				if (!low || value < low.value) low = { segmentId: segment.id, value };
				if (!high || value > high.value) high = { segmentId: segment.id, value };
			}
			if (count < 2 || !low || !high) continue;
			const spread = cleanScore(high.value - low.value);
			if (spread > 0) found.push({ touchpointId: touchpoint.id, title: touchpoint.title, field, low, high, spread });
		}
	}
	// Stable sort: equal spreads keep journey order, and emotion before satisfaction within a touchpoint.
	return found.sort((a, b) => b.spread - a.spread);
}

/**
 * Every ordered pair of segments at a placed touchpoint where the first has strictly higher
 * effective experience and strictly lower satisfaction than the second. Sorted by how much more
 * satisfied the second is, largest first, then journey order, then segment order of each.
 */
export function paradoxes(journey: Journey): Paradox[] {
	const segments = segmentsInOrder(journey);
	const found: (Paradox & { difference: number })[] = [];
	for (const touchpoint of ordered(journey)) {
		const scored = segments.flatMap((segment) => {
			const experience = effectiveValue(touchpoint, 'experience', segment.id);
			const expectation = effectiveValue(touchpoint, 'expectation', segment.id);
			if (experience === undefined || expectation === undefined) return [];
			return [{ segmentId: segment.id, experience, satisfaction: cleanScore(experience - expectation) }];
		});
		for (const first of scored) {
			for (const second of scored) {
				if (first.experience > second.experience && first.satisfaction < second.satisfaction) {
					found.push({
						touchpointId: touchpoint.id,
						title: touchpoint.title,
						segmentId: first.segmentId,
						comparedWith: second.segmentId,
						experience: [first.experience, second.experience],
						satisfaction: [first.satisfaction, second.satisfaction],
						difference: cleanScore(second.satisfaction - first.satisfaction)
					});
				}
			}
		}
	}
	// Stable sort over journey order, then segment order of `segmentId`, then of `comparedWith`.
	return found.sort((a, b) => b.difference - a.difference).map(({ difference: _difference, ...paradox }) => paradox);
}

/** The whole analysis of a journey: peak–end, marking issues, weighted gaps, evidence coverage, and per segment. */
export function analyzeJourney(journey: Journey): Analysis {
	const gaps = weightedGaps(journey);
	return {
		touchpoints: journey.touchpoints.length,
		peakEnd: peakEnd(journey),
		markings: markingIssues(journey),
		gaps,
		evidence: evidenceCoverage(journey),
		segments: segmentAnalyses(journey),
		divergence: divergence(journey),
		paradoxes: paradoxes(journey),
		actions: analyzeActions(journey, gaps),
		unplanned: unplannedTouchpoints(journey, gaps)
	};
}
