import { getContext, setContext } from 'svelte';
import type { Journey } from '$lib/journey/schema';
import type { GridLayout } from '$lib/journey/layout';
import type { BoardActions } from './board-actions';
import type { SegmentActions } from './segment-actions';
import type { ActionCommands } from './action-commands';

/** What every component on a board page shares: the live journey, its layout, the actions, rights. */
export interface BoardContext {
	readonly boardId: string;
	/** The signed-in person. */
	readonly userId: string;
	/** A member's display name by user id (evidence and comments record ids). */
	memberName(userId: string): string | null;
	readonly journey: Journey;
	/** The journey as the chosen segment sees it (effective values): what the cards and the curve show. */
	readonly shown: Journey;
	/** The chosen segment, or null for all customers. */
	readonly segmentId: string | null;
	readonly segmentActions: SegmentActions;
	readonly layout: GridLayout;
	readonly actions: BoardActions;
	readonly canEdit: boolean;
	/** Selects one touchpoint and brings it into view. */
	focus(touchpointId: string): void;
	/** The board's actions (improvement plans) as document transactions. */
	readonly actionCommands: ActionCommands;
	/** Creates an action linking the touchpoint (when given) and opens it in the Actions tab. */
	planAction(touchpointId?: string | null): void;
	/** Opens the Actions tab with one action open. */
	showAction(actionId: string): void;
}

const KEY = Symbol('board');

export function setBoardContext(context: BoardContext): BoardContext {
	return setContext(KEY, context);
}

export function getBoardContext(): BoardContext {
	return getContext<BoardContext>(KEY);
}
