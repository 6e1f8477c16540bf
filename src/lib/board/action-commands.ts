import type * as Y from 'yjs';
import { linkTouchpoint, putAction, unlinkTouchpoint } from '$lib/journey/action-document';
import { collectionMap, patchItem } from '$lib/journey/document';
import { newItemId } from '$lib/journey/item-ids';
import { actionsOf } from '$lib/journey/actions';
import { ACTION_SCALE_DEFAULT, ACTION_SCALE_MAX, ACTION_SCALE_MIN, LIMITS, type Action, type Journey } from '$lib/journey/schema';

const clampScale = (value: number) => Math.min(ACTION_SCALE_MAX, Math.max(ACTION_SCALE_MIN, value));

/** What a person may change of an action in place (one field each, so concurrent edits merge). */
export type ActionPatch = Partial<
	Pick<Action, 'title' | 'description' | 'owner' | 'assigneeId' | 'status' | 'impact' | 'effort' | 'due' | 'customersTold'>
>;

/** Actions' intentions turned into document transactions, one per intention (one undo step each). */
export class ActionCommands {
	constructor(private readonly doc: Y.Doc) {}

	/**
	 * Adds an open action linking `touchpointIds`, owned by `owner`; null when the board has as many
	 * as it may. Impact and effort start in the middle, for the matrix to place.
	 */
	add(journey: Journey, fields: { title: string; touchpointIds?: string[]; owner?: string; createdBy: string }): string | null {
		if (actionsOf(journey).length >= LIMITS.actions) return null;
		const id = newItemId('act');
		putAction(this.doc, {
			id,
			title: fields.title.slice(0, LIMITS.title),
			description: '',
			touchpointIds: [...new Set(fields.touchpointIds ?? [])].slice(0, LIMITS.actionTouchpoints),
			owner: (fields.owner ?? '').slice(0, LIMITS.name),
			status: 'open',
			impact: 3,
			effort: 3,
			customersTold: false,
			createdBy: fields.createdBy,
			createdAt: new Date().toISOString()
		});
		return id;
	}

	/** Changes fields of an action in place; an empty assignee or due date is removed. */
	update(id: string, patch: ActionPatch): void {
		const fields: ActionPatch = { ...patch };
		if (fields.assigneeId === '') fields.assigneeId = undefined;
		if (fields.due === '') fields.due = undefined;
		patchItem(this.doc, 'actions', id, fields);
	}

	/** Sets impact and effort at once (a drop on the matrix). */
	place(id: string, impact: number, effort: number): void {
		patchItem(this.doc, 'actions', id, { impact, effort });
	}

	/**
	 * Moves an action on the matrix by steps of impact and effort, from what the document holds now
	 * (two quick key presses both count, before the view has caught up), within 1…5.
	 */
	nudge(id: string, impactStep: number, effortStep: number): void {
		const map = collectionMap(this.doc, 'actions').get(id);
		if (!map) return;
		const current = (key: string) => {
			const value = map.get(key);
			return typeof value === 'number' && Number.isInteger(value) ? clampScale(value) : ACTION_SCALE_DEFAULT;
		};
		this.place(id, clampScale(current('impact') + impactStep), clampScale(current('effort') + effortStep));
	}

	link(id: string, touchpointId: string): boolean {
		return linkTouchpoint(this.doc, id, touchpointId);
	}

	unlink(id: string, touchpointId: string): void {
		unlinkTouchpoint(this.doc, id, touchpointId);
	}

	delete(id: string): void {
		collectionMap(this.doc, 'actions').delete(id);
	}
}
