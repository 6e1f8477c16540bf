import { actionsOf, isFinishedAction } from './actions';
import { nameKey, tidyName } from './departments';
import { weightedGapOf } from './analysis';
import { effectiveValue, journeyForSegment, segmentsInOrder } from './segments';
import type { Action, Journey, Touchpoint } from './schema';

/** A figure in two versions, and after − before (null when either is missing). */
export interface Change {
	before: number | null;
	after: number | null;
	delta: number | null;
}

/** How one touchpoint of an action moved: emotion and satisfaction (experience − expectation). */
export interface TouchpointOutcome {
	touchpointId: string;
	title: string;
	emotion: Change;
	satisfaction: Change;
	/** The same per segment, in segment order of the later version; empty on a board without segments. */
	bySegment: { segmentId: string; name: string; emotion: Change; satisfaction: Change }[];
}

/** An action finished between two versions, with how its touchpoints moved. */
export interface ActionOutcome {
	actionId: string;
	title: string;
	status: Action['status'];
	touchpoints: TouchpointOutcome[];
}

const change = (before: number | null, after: number | null): Change => ({
	before,
	after,
	delta: before === null || after === null ? null : Number((after - before).toPrecision(12)) + 0
});

const satisfactionOf = (touchpoint: Touchpoint | undefined) => (touchpoint ? (weightedGapOf(touchpoint)?.satisfaction ?? null) : null);

/** How the touchpoints of `action` moved from `before` to `after`: those both versions have, in `after`'s journey order. */
export function touchpointOutcomes(before: Journey, after: Journey, touchpointIds: readonly string[]): TouchpointOutcome[] {
	const earlier = new Map(before.touchpoints.map((touchpoint) => [touchpoint.id, touchpoint]));
	const wanted = new Set(touchpointIds);
	const segments = segmentsInOrder(after);
	return after.touchpoints
		.filter((touchpoint) => wanted.has(touchpoint.id) && earlier.has(touchpoint.id))
		.map((touchpoint) => {
			const previous = earlier.get(touchpoint.id)!;
			return {
				touchpointId: touchpoint.id,
				title: touchpoint.title,
				emotion: change(previous.emotion ?? null, touchpoint.emotion ?? null),
				satisfaction: change(satisfactionOf(previous), satisfactionOf(touchpoint)),
				bySegment: segments.map((segment) => {
					const seenBefore = journeyForSegment(before, segment.id).touchpoints.find((candidate) => candidate.id === touchpoint.id);
					const seenAfter = journeyForSegment(after, segment.id).touchpoints.find((candidate) => candidate.id === touchpoint.id);
					return {
						segmentId: segment.id,
						name: segment.name,
						emotion: change(
							effectiveValue(previous, 'emotion', segment.id) ?? null,
							effectiveValue(touchpoint, 'emotion', segment.id) ?? null
						),
						satisfaction: change(satisfactionOf(seenBefore), satisfactionOf(seenAfter))
					};
				})
			};
		});
}

/** The actions done or verified in `after` that were not (or did not exist) in `before`, in `after`'s action order, with how their touchpoints moved. */
export function actionsFinishedBetween(before: Journey, after: Journey): ActionOutcome[] {
	const earlier = new Map(actionsOf(before).map((action) => [action.id, action]));
	return actionsOf(after)
		.filter((action) => isFinishedAction(action) && !isFinishedAction(earlier.get(action.id) ?? { status: 'open' }))
		.map((action) => ({
			actionId: action.id,
			title: action.title,
			status: action.status,
			touchpoints: touchpointOutcomes(before, after, action.touchpointIds)
		}));
}

/**
 * Whether an action's touchpoints improved: true when any one's emotion or satisfaction rose,
 * false when some could be compared and none rose, null when none could be compared.
 */
export function improved(touchpoints: readonly TouchpointOutcome[]): boolean | null {
	const deltas = touchpoints
		.flatMap((touchpoint) => [touchpoint.emotion.delta, touchpoint.satisfaction.delta])
		.filter((delta) => delta !== null);
	if (deltas.length === 0) return null;
	return deltas.some((delta) => delta > 0);
}

/** A saved version as the summary weighs actions against it. */
export interface SavedVersion {
	name: string;
	createdAt: string;
	journey: Journey;
}

/** What the summary says of one finished action. */
export interface FinishedActionCheck {
	actionId: string;
	/** The most recent saved version in which the action was not yet done or verified; null when there is none. */
	baseline: { name: string; createdAt: string } | null;
	/** See `improved`; null without a baseline. */
	improved: boolean | null;
	customersTold: boolean;
}

/**
 * For each done or verified action of the current journey: did its touchpoints improve since the
 * most recent saved version (`versions`, newest first) in which it was not yet finished? And were
 * the customers told?
 */
export function checkFinishedActions(current: Journey, versions: readonly SavedVersion[]): FinishedActionCheck[] {
	return actionsOf(current)
		.filter(isFinishedAction)
		.map((action) => {
			const baseline = versions.find((version) => {
				const then = actionsOf(version.journey).find((candidate) => candidate.id === action.id);
				return !then || !isFinishedAction(then);
			});
			return {
				actionId: action.id,
				baseline: baseline ? { name: baseline.name, createdAt: baseline.createdAt } : null,
				improved: baseline ? improved(touchpointOutcomes(baseline.journey, current, action.touchpointIds)) : null,
				customersTold: action.customersTold
			};
		});
}

/** One department's actions for the summary: the board's spelling of it ('' for actions without one). */
export interface DepartmentActions {
	department: string;
	actions: (Action & { check: FinishedActionCheck | null })[];
}

/**
 * The board's actions grouped by owning department (spellings that differ only in case, width or
 * spacing together), departments in name order and actions without one last; within one, the
 * analysis's order (`ranked`, action ids).
 */
export function actionsByDepartment(
	journey: Journey,
	ranked: readonly string[],
	checks: readonly FinishedActionCheck[]
): DepartmentActions[] {
	const rank = new Map(ranked.map((id, index) => [id, index]));
	const checkOf = new Map(checks.map((check) => [check.actionId, check]));
	const groups = new Map<string, DepartmentActions>();
	for (const action of actionsOf(journey)) {
		const key = nameKey(action.owner);
		const group = groups.get(key) ?? { department: tidyName(action.owner), actions: [] };
		group.actions.push({ ...action, check: checkOf.get(action.id) ?? null });
		groups.set(key, group);
	}
	for (const group of groups.values()) group.actions.sort((a, b) => (rank.get(a.id) ?? Infinity) - (rank.get(b.id) ?? Infinity));
	return [...groups.values()].sort((a, b) =>
		a.department === '' || b.department === ''
			? (a.department === '' ? 1 : 0) - (b.department === '' ? 1 : 0)
			: a.department.localeCompare(b.department)
	);
}
