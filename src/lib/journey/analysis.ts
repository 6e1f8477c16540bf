import { journeyOrder } from './order';
import { placement } from './placement';
import type { Journey, Touchpoint } from './schema';

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

/** The analysis of a journey (contract: `GET /api/boards/:id/analysis`). */
export interface Analysis {
	touchpoints: number;
	peakEnd: PeakEnd;
	markings: MarkingIssue[];
	gaps: WeightedGap[];
	evidence: EvidenceCoverage;
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

/** The whole analysis of a journey: peak–end, marking issues, weighted gaps and evidence coverage. */
export function analyzeJourney(journey: Journey): Analysis {
	return {
		touchpoints: journey.touchpoints.length,
		peakEnd: peakEnd(journey),
		markings: markingIssues(journey),
		gaps: weightedGaps(journey),
		evidence: evidenceCoverage(journey)
	};
}
