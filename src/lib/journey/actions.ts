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
