import { actionsFinishedBetween, type ActionOutcome } from './action-outcomes';
import { peakEnd, weightedGapOf } from './analysis';
import { journeyForSegment, segmentsInOrder } from './segments';
import type { Journey, Touchpoint } from './schema';

/** Fields whose change makes a touchpoint "changed" between two versions. */
const COMPARED_FIELDS = [
	'title',
	'description',
	'kind',
	'emotion',
	'expectation',
	'experience',
	'importance',
	'ideal',
	'channel',
	'owner',
	'stageId',
	'laneId'
] as const satisfies readonly (keyof Touchpoint)[];

export interface TouchpointChange {
	touchpointId: string;
	title: string;
	fields: (typeof COMPARED_FIELDS)[number][];
	emotion: { before: number | null; after: number | null; delta: number | null };
	weighted: { before: number | null; after: number | null; delta: number | null };
}

export interface JourneyComparison {
	added: { touchpointId: string; title: string }[];
	removed: { touchpointId: string; title: string }[];
	changed: TouchpointChange[];
	remembered: { before: number | null; after: number | null; delta: number | null };
	average: { before: number | null; after: number | null; delta: number | null };
	/** Each segment's remembered score before and after: the later version's segments in order, then those it no longer has. */
	segments: { segmentId: string; name: string; remembered: { before: number | null; after: number | null; delta: number | null } }[];
	/** The actions that reached done or verified between the two versions, with how their touchpoints moved. */
	actions: ActionOutcome[];
}

/** A segment's remembered score in a version, null when the version lacks the segment or its emotions. */
function segmentRemembered(journey: Journey, segmentId: string): number | null {
	if (!segmentsInOrder(journey).some((segment) => segment.id === segmentId)) return null;
	return peakEnd(journeyForSegment(journey, segmentId)).remembered;
}

const delta = (before: number | null, after: number | null) => (before === null || after === null ? null : after - before);
const pair = (before: number | null, after: number | null) => ({ before, after, delta: delta(before, after) });

/** What changed from one version of a journey to another (as-is against to-be). */
export function compareJourneys(before: Journey, after: Journey): JourneyComparison {
	const beforeById = new Map(before.touchpoints.map((touchpoint) => [touchpoint.id, touchpoint]));
	const afterById = new Map(after.touchpoints.map((touchpoint) => [touchpoint.id, touchpoint]));
	const changed: TouchpointChange[] = [];
	for (const next of after.touchpoints) {
		const previous = beforeById.get(next.id);
		if (!previous) continue;
		const fields = COMPARED_FIELDS.filter((field) => previous[field] !== next[field]);
		if (fields.length === 0) continue;
		changed.push({
			touchpointId: next.id,
			title: next.title,
			fields,
			emotion: pair(previous.emotion ?? null, next.emotion ?? null),
			weighted: pair(weightedGapOf(previous)?.weighted ?? null, weightedGapOf(next)?.weighted ?? null)
		});
	}
	const beforePeakEnd = peakEnd(before);
	const afterPeakEnd = peakEnd(after);
	return {
		added: after.touchpoints.filter((t) => !beforeById.has(t.id)).map((t) => ({ touchpointId: t.id, title: t.title })),
		removed: before.touchpoints.filter((t) => !afterById.has(t.id)).map((t) => ({ touchpointId: t.id, title: t.title })),
		changed,
		remembered: pair(beforePeakEnd.remembered, afterPeakEnd.remembered),
		average: pair(beforePeakEnd.average, afterPeakEnd.average),
		segments: [
			...segmentsInOrder(after),
			...segmentsInOrder(before).filter((segment) => !segmentsInOrder(after).some((kept) => kept.id === segment.id))
		].map((segment) => ({
			segmentId: segment.id,
			name: segment.name,
			remembered: pair(segmentRemembered(before, segment.id), segmentRemembered(after, segment.id))
		})),
		actions: actionsFinishedBetween(before, after)
	};
}
