import { getContext, setContext } from 'svelte';
import type * as Y from 'yjs';
import type { BoardHistory } from './board-history.svelte';
import type { Presence } from './presence.svelte';

/** What fields typed into together need: the board's document, who else is on it, and undo. */
export interface EditingContext {
	readonly doc: Y.Doc;
	readonly presence: Presence;
	/** This person's undo: in a shared field the browser's own undo knows nothing of others' typing. */
	readonly history: BoardHistory;
}

const KEY = Symbol('editing');

export function setEditingContext(context: EditingContext): EditingContext {
	return setContext(KEY, context);
}

export function getEditingContext(): EditingContext {
	return getContext<EditingContext>(KEY);
}
