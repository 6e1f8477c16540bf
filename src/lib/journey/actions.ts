import type { WeightedGap } from './analysis';
import { nameKey } from './departments';
import { compareIds } from './order';
import type { Action, ActionStatus, Journey } from './schema';

/** Statuses of an action still to be done: planned work that waits on someone. */
export const OPEN_STATUSES: readonly ActionStatus[] = ['open', 'planned', 'in-progress'];
/** Statuses of an action whose work is finished. */
export const FINISHED_STATUSES: readonly ActionStatus[] = ['done', 'verified'];

/** Whether an action still waits on someone (open, planned or in progress). */
export function isOpenAction(action: Pick<Action, 'status'>): boolean {
	return OPEN_STATUSES.includes(action.status);
}

/** Whether an action's work is finished (done or verified). */
export function isFinishedAction(action: Pick<Action, 'status'>): boolean {
	return FINISHED_STATUSES.includes(action.status);
}

/**
 * The action with only the touchpoint ids the board has, once each (a card deleted or linked
 * twice at once by two people): the same object when nothing is left out.
 */
export function withKnownTouchpoints(action: Action, touchpointIds: { has(id: string): boolean }): Action {
	const seen = new Set<string>();
	const kept = action.touchpointIds.filter((id) => touchpointIds.has(id) && !seen.has(id) && seen.add(id));
	return kept.length === action.touchpointIds.length ? action : { ...action, touchpointIds: kept };
}

/** The journey's actions; none when the journey JSON has no list (kept from before actions existed). */
export function actionsOf(journey: Pick<Journey, 'actions'>): Action[] {
	return journey.actions ?? [];
}

/** Touchpoint id → the actions that link it, in the journey's action order. */
export function actionsByTouchpoint(journey: Pick<Journey, 'actions'>): Map<string, Action[]> {
	const byTouchpoint = new Map<string, Action[]>();
	for (const action of actionsOf(journey)) {
		for (const id of action.touchpointIds) {
			const list = byTouchpoint.get(id);
			if (list) list.push(action);
			else byTouchpoint.set(id, [action]);
		}
	}
	return byTouchpoint;
}

/** Whether a due date (`YYYY-MM-DD`) lies before `today` (`YYYY-MM-DD`). */
export function isOverdue(due: string | undefined, today: string): boolean {
	return due !== undefined && due < today;
}

/** One action as the analysis ranks it (contract: `GET /api/boards/:id/analysis`, `actions`). */
export interface ActionAnalysis {
	actionId: string;
	title: string;
	status: ActionStatus;
	owner: string;
	/** Only ids the board has, once each, in journey order. */
	touchpointIds: string[];
	/** The largest evidence `count` among the linked touchpoints' evidence (0 when none): a lower bound on how many customers hit it. */
	customersAffected: number;
	/** The lowest `weighted` among the linked touchpoints' gaps; null when none has one. */
	worstWeightedGap: number | null;
	impact: number;
	effort: number;
}

/** Where a status sorts: what still waits first, then done, verified, dropped. */
const STATUS_GROUP: Record<ActionStatus, number> = { open: 0, planned: 0, 'in-progress': 0, done: 1, verified: 2, dropped: 3 };

/** How many of the gaps (worst first) count as the key experiences an action should answer. */
export const KEY_GAPS = 3;

/**
 * The board's actions ranked: status group, then worst weighted gap ascending (null last), then
 * customers affected descending, impact descending, effort ascending, then id.
 */
export function analyzeActions(journey: Journey, gaps: readonly Pick<WeightedGap, 'touchpointId' | 'weighted'>[]): ActionAnalysis[] {
	const position = new Map(journey.touchpoints.map((touchpoint, index) => [touchpoint.id, index]));
	const weightedOf = new Map<string, number>();
	for (const gap of gaps) if (gap.weighted !== null) weightedOf.set(gap.touchpointId, gap.weighted);
	const countOf = new Map<string, number>();
	for (const item of journey.evidence) {
		if (item.count === null) continue;
		countOf.set(item.touchpointId, Math.max(countOf.get(item.touchpointId) ?? 0, item.count));
	}
	const ranked = actionsOf(journey).map((action): ActionAnalysis => {
		const touchpointIds = [...withKnownTouchpoints(action, position).touchpointIds].sort((a, b) => position.get(a)! - position.get(b)!);
		let worst: number | null = null;
		let customers = 0;
		for (const id of touchpointIds) {
			const weighted = weightedOf.get(id);
			if (weighted !== undefined && (worst === null || weighted < worst)) worst = weighted;
			customers = Math.max(customers, countOf.get(id) ?? 0);
		}
		return {
			actionId: action.id,
			title: action.title,
			status: action.status,
			owner: action.owner,
			touchpointIds,
			customersAffected: customers,
			worstWeightedGap: worst,
			impact: action.impact,
			effort: action.effort
		};
	});
	return ranked.sort(
		(a, b) =>
			STATUS_GROUP[a.status] - STATUS_GROUP[b.status] ||
			compareNullLast(a.worstWeightedGap, b.worstWeightedGap) ||
			b.customersAffected - a.customersAffected ||
			b.impact - a.impact ||
			a.effort - b.effort ||
			compareIds(a.actionId, b.actionId)
	);
}

function compareNullLast(a: number | null, b: number | null): number {
	if (a === null || b === null) return (a === null ? 1 : 0) - (b === null ? 1 : 0);
	return a - b;
}

/**
 * The touchpoints that need an action and have none but dropped ones, in journey order: every
 * `negative-peak`, and each of the first `KEY_GAPS` gaps whose weighted gap is below zero.
 */
export function unplannedTouchpoints(journey: Journey, gaps: readonly Pick<WeightedGap, 'touchpointId' | 'weighted'>[]): string[] {
	const keyGaps = new Set(
		gaps
			.slice(0, KEY_GAPS)
			.filter((gap) => gap.weighted !== null && gap.weighted < 0)
			.map((gap) => gap.touchpointId)
	);
	const planned = new Set<string>();
	for (const action of actionsOf(journey)) if (action.status !== 'dropped') for (const id of action.touchpointIds) planned.add(id);
	return journey.touchpoints
		.filter((touchpoint) => (touchpoint.kind === 'negative-peak' || keyGaps.has(touchpoint.id)) && !planned.has(touchpoint.id))
		.map((touchpoint) => touchpoint.id);
}

/** One action on a person's work list (contract: `GET /api/me/actions`). */
export interface WorkItem {
	boardId: string;
	boardTitle: string;
	actionId: string;
	title: string;
	status: ActionStatus;
	owner: string;
	assigneeId?: string;
	due?: string;
}

/** Whether an action waits on a person: assigned to them, or owned by one of their departments (keys, `nameKey`). */
export function waitsOn(action: Pick<Action, 'assigneeId' | 'owner'>, userId: string, departmentKeys: ReadonlySet<string>): boolean {
	return action.assigneeId === userId || (action.owner !== '' && departmentKeys.has(nameKey(action.owner)));
}

/**
 * A work list in order: overdue first (due before `today` and not finished or dropped), then by
 * due date (none last), then board title, then action id.
 */
export function orderWork(items: readonly WorkItem[], today: string): WorkItem[] {
	const overdue = (item: WorkItem) => (isOpenAction(item) && isOverdue(item.due, today) ? 0 : 1);
	return [...items].sort(
		(a, b) =>
			overdue(a) - overdue(b) ||
			(a.due === undefined ? 1 : 0) - (b.due === undefined ? 1 : 0) ||
			(a.due ?? '').localeCompare(b.due ?? '') ||
			a.boardTitle.localeCompare(b.boardTitle) ||
			compareIds(a.actionId, b.actionId)
	);
}
