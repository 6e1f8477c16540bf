import { analyzeJourney, markingIssueOf, weightedGapOf, type Analysis, type MarkingIssueKind, type WeightedGap } from '../analysis';
import { formatFigure } from '../figures';
import { byOrder, journeyOrder } from '../order';
import { departmentNames, nameKey } from '../departments';
import type { FinishedActionCheck } from '../action-outcomes';
import type { Evidence, Journey, Lane, Stage, Touchpoint, TouchpointKind } from '../schema';
import type { RatingResults, VoteResults } from '../workshop-rounds';

/** The same icons as the canvas cards, so kinds read by shape as well as by colour and word. */
export const KIND_ICON: Record<TouchpointKind, string> = {
	neutral: '●',
	'positive-peak': '▲',
	'negative-peak': '▼'
};
/** Marks of the peak and the end, as on the canvas. */
export const PEAK_ICON = '★';
export const END_ICON = '■';

/** One touchpoint with everything the exports compute about it. */
export interface TouchpointReport {
	touchpoint: Touchpoint;
	stage: Stage | null;
	lane: Lane | null;
	evidence: Evidence[];
	/** Delta law and importance weighting; null without experience or expectation. */
	gap: WeightedGap | null;
	isPeak: boolean;
	isEnd: boolean;
	markingIssue: MarkingIssueKind | null;
}

/** A journey with its analysis and per-touchpoint figures, the common ground of every export. */
export interface JourneyReport {
	journey: Journey;
	analysis: Analysis;
	stages: Stage[];
	lanes: Lane[];
	/** Every touchpoint in journey order (stage order, then x). */
	touchpoints: TouchpointReport[];
	byId: Map<string, TouchpointReport>;
}

/** Analyses a journey once and joins each touchpoint with its stage, lane, evidence and figures. */
export function journeyReport(journey: Journey): JourneyReport {
	const analysis = analyzeJourney(journey);
	const stages = byOrder(journey.stages);
	const lanes = byOrder(journey.lanes);
	const stageById = new Map(stages.map((stage) => [stage.id, stage]));
	const laneById = new Map(lanes.map((lane) => [lane.id, lane]));
	const evidenceOf = new Map<string, Evidence[]>();
	for (const item of journey.evidence) {
		const list = evidenceOf.get(item.touchpointId);
		if (list) list.push(item);
		else evidenceOf.set(item.touchpointId, [item]);
	}
	const peakId = analysis.peakEnd.peak?.touchpointId ?? null;
	const endId = analysis.peakEnd.end?.touchpointId ?? null;
	const touchpoints = journeyOrder(journey.stages, journey.touchpoints).map((touchpoint): TouchpointReport => ({
		touchpoint,
		stage: stageById.get(touchpoint.stageId) ?? null,
		lane: laneById.get(touchpoint.laneId) ?? null,
		evidence: evidenceOf.get(touchpoint.id) ?? [],
		gap: weightedGapOf(touchpoint),
		isPeak: touchpoint.id === peakId,
		isEnd: touchpoint.id === endId,
		markingIssue: markingIssueOf(touchpoint)
	}));
	return {
		journey,
		analysis,
		stages,
		lanes,
		touchpoints,
		byId: new Map(touchpoints.map((report) => [report.touchpoint.id, report]))
	};
}

export { MINUS, formatPercent } from '../figures';

/** A number for people by the one rounding rule (`figures.ts`): a typographic minus, and `+` on positives when `signed`. */
export function formatNumber(value: number, options: { signed?: boolean; minus?: string } = {}): string {
	return formatFigure(value, options);
}

/** The worst negative and best positive emotion (each 0 when that side is missing), for the balance check. */
export function emotionExtremes(journey: Journey): { worstNegative: number; bestPositive: number } {
	let worstNegative = 0;
	let bestPositive = 0;
	for (const touchpoint of journey.touchpoints) {
		if (touchpoint.emotion === undefined) continue;
		worstNegative = Math.min(worstNegative, touchpoint.emotion);
		bestPositive = Math.max(bestPositive, touchpoint.emotion);
	}
	return { worstNegative, bestPositive };
}

/** A department and the key experiences (negative weighted gaps) it owns. */
export interface DepartmentBurden {
	/** The owner as written on the touchpoints; '' for touchpoints without one. */
	owner: string;
	/** Sum of the negative weighted gaps. */
	weighted: number;
	touchpoints: TouchpointReport[];
}

/**
 * The departments owning the touchpoints that fall short (negative weighted gap), worst total first;
 * spellings of one department group under the board's spelling (`departments.ts`, as the summary).
 */
export function departmentBurdens(report: JourneyReport): DepartmentBurden[] {
	const names = departmentNames(report.journey.touchpoints);
	const byOwner = new Map<string, DepartmentBurden>();
	for (const gap of report.analysis.gaps) {
		if (gap.weighted === null || gap.weighted >= 0) continue;
		const touchpoint = report.byId.get(gap.touchpointId);
		if (!touchpoint) continue;
		const key = nameKey(touchpoint.touchpoint.owner);
		const burden = byOwner.get(key) ?? { owner: names.get(key) ?? '', weighted: 0, touchpoints: [] };
		burden.weighted += gap.weighted;
		burden.touchpoints.push(touchpoint);
		byOwner.set(key, burden);
	}
	return [...byOwner.values()].sort((a, b) => a.weighted - b.weighted);
}

/** The evidence behind a journey: the largest sample any item gives (null when none gives one) and how many items there are. */
export function evidenceSample(journey: Journey): { largestSample: number | null; items: number } {
	let largestSample: number | null = null;
	// The largest, not a sum: one interview does not add to 412 measured visits.
	for (const item of journey.evidence) if (item.count !== null) largestSample = Math.max(largestSample ?? 0, item.count);
	return { largestSample, items: journey.evidence.length };
}

/** What a report tells beside the journey: when it was made, the latest saved version, the last closed vote. */
export interface ReportContext {
	/** ISO time the report was made from the current state. */
	madeAt: string;
	latestVersion: { name: string; savedAt: string } | null;
	/** The last closed dot vote, with its results. */
	lastVote: { startedAt: string; endedAt: string | null; results: VoteResults } | null;
	/** Revealed rating rounds, newest first, each naming the customer segment it was for (none: all customers). */
	ratingRounds?: ReportRatingRound[];
	/** Whether each done or verified action worked, against the saved versions (see `checkFinishedActions`). */
	actionChecks?: FinishedActionCheck[];
}

/** A revealed rating round as reports list it. */
export interface ReportRatingRound {
	/** The touchpoint's title when the round started. */
	title: string;
	/** The segment rated, by its name when the round started; null for all customers. */
	segmentName: string | null;
	startedAt: string;
	results: RatingResults;
	/** The emotion adopted from it, if any. */
	adopted: number | null;
}
