import type { Awareness } from 'y-protocols/awareness';
import { isEncodedPosition, type EncodedCaret } from '$lib/journey/text-carets';

/**
 * Colours for people on a board, distinct from each other; each carries white avatar initials
 * at 4.5:1 or more (WCAG AA for small text), so it is also readable as a cursor on white.
 */
const PALETTE = ['#c03d0c', '#1864ab', '#2a7f3b', '#9c36b5', '#a85d00', '#0b7285', '#c2255c', '#5f3dc4', '#4c7a0c', '#c92a2a'];

/** Cursor positions are broadcast at most this often. */
export const CURSOR_INTERVAL_MS = 50;

export interface PresenceUser {
	id: string;
	name: string;
	color: string;
}

export interface Viewport {
	x: number;
	y: number;
	zoom: number;
}

/** The touchpoint field a person is typing in (docs/api.md, "Presence state"). */
export interface EditingField {
	touchpointId: string;
	/** `title` or `description`. */
	field: string;
	/** Where the person's caret and selection are in the field's text, once they have placed it. */
	caret?: EncodedCaret;
}

/** Someone else's caret in a field. */
export interface RemoteCaret {
	user: PresenceUser;
	caret: EncodedCaret;
}

/** Longest touchpoint id and field name taken from someone's `editing` entry. */
const MAX_EDITING_ID = 64;
const MAX_EDITING_FIELD = 32;

export interface Peer {
	clientId: number;
	user: PresenceUser;
	cursor: { x: number; y: number } | null;
	selection: string[];
	/** Published only by a facilitator leading the view ("follow me"). */
	viewport: Viewport | null;
	/** The field the person has focused to type in, or null. */
	editing: EditingField | null;
	/** The stage or lane the person is renaming, or null: others wait until they are done. */
	renaming: string | null;
}

/** A stable colour for a user id. */
export function colorFor(userId: string): string {
	let hash = 0;
	for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
	return PALETTE[hash % PALETTE.length];
}

/** Who else is on the board, with their cursors and selections, from the shared awareness. */
export class Presence {
	peers = $state.raw<Peer[]>([]);
	readonly #awareness: Awareness;
	#lastCursor = 0;

	constructor(awareness: Awareness, user: { id: string; name: string }) {
		this.#awareness = awareness;
		awareness.setLocalState({
			user: { ...user, color: colorFor(user.id) },
			cursor: null,
			selection: [],
			viewport: null,
			editing: null,
			renaming: null
		});
		awareness.on('change', this.#refresh);
		this.#refresh();
	}

	/** Publishes the local cursor in canvas coordinates (throttled), or null when it leaves. */
	moveCursor(cursor: { x: number; y: number } | null): void {
		const now = performance.now();
		if (cursor && now - this.#lastCursor < CURSOR_INTERVAL_MS) return;
		this.#lastCursor = now;
		this.#awareness.setLocalStateField('cursor', cursor && { x: Math.round(cursor.x), y: Math.round(cursor.y) });
	}

	/** Publishes the local view for followers, or null to stop. */
	shareViewport(viewport: Viewport | null): void {
		this.#awareness.setLocalStateField(
			'viewport',
			viewport && { x: Math.round(viewport.x), y: Math.round(viewport.y), zoom: viewport.zoom }
		);
	}

	select(ids: string[]): void {
		this.#awareness.setLocalStateField('selection', ids);
	}

	/** Publishes the field this person is typing in and their caret there, or null when they leave it. */
	edit(editing: EditingField | null): void {
		const current = this.#awareness.getLocalState()?.editing as EditingField | null | undefined;
		if (
			current?.touchpointId === editing?.touchpointId &&
			current?.field === editing?.field &&
			current?.caret?.anchor === editing?.caret?.anchor &&
			current?.caret?.head === editing?.caret?.head
		)
			return;
		this.#awareness.setLocalStateField(
			'editing',
			editing && {
				touchpointId: editing.touchpointId,
				field: editing.field,
				...(editing.caret && { caret: { anchor: editing.caret.anchor, head: editing.caret.head } })
			}
		);
	}

	/** Publishes the stage or lane this person is renaming, or null when done. */
	rename(id: string | null): void {
		if ((this.#awareness.getLocalState()?.renaming ?? null) !== id) this.#awareness.setLocalStateField('renaming', id);
	}

	/** The others renaming a stage or lane. */
	renamersOf(id: string): PresenceUser[] {
		return this.peers.filter((peer) => peer.renaming === id).map((peer) => peer.user);
	}

	/** The others' carets in a touchpoint's field. */
	caretsIn(touchpointId: string, field: string): RemoteCaret[] {
		const carets: RemoteCaret[] = [];
		for (const { editing, user } of this.peers) {
			if (editing?.touchpointId === touchpointId && editing.field === field && editing.caret) carets.push({ user, caret: editing.caret });
		}
		return carets;
	}

	/** The others typing in a touchpoint's field (any field when none is given). */
	editorsOf(touchpointId: string, field?: string): PresenceUser[] {
		return this.peers
			.filter((peer) => peer.editing?.touchpointId === touchpointId && (field === undefined || peer.editing.field === field))
			.map((peer) => peer.user);
	}

	/** Touchpoint id → the others typing in one of its fields. */
	editing(): Map<string, PresenceUser[]> {
		const byTouchpoint = new Map<string, PresenceUser[]>();
		for (const peer of this.peers) {
			if (!peer.editing) continue;
			const id = peer.editing.touchpointId;
			byTouchpoint.set(id, [...(byTouchpoint.get(id) ?? []), peer.user]);
		}
		return byTouchpoint;
	}

	/** Touchpoint id → colours of the others who have it selected. */
	selections(): Map<string, string[]> {
		const byTouchpoint = new Map<string, string[]>();
		for (const peer of this.peers) {
			for (const id of peer.selection) byTouchpoint.set(id, [...(byTouchpoint.get(id) ?? []), peer.user.color]);
		}
		return byTouchpoint;
	}

	#refresh = () => {
		const peers: Peer[] = [];
		for (const [clientId, state] of this.#awareness.getStates()) {
			if (clientId === this.#awareness.clientID || !isPeerState(state)) continue;
			peers.push({
				clientId,
				user: state.user,
				cursor: state.cursor ?? null,
				selection: state.selection ?? [],
				viewport: state.viewport ?? null,
				editing: state.editing ?? null,
				renaming: state.renaming ?? null
			});
		}
		this.peers = peers;
	};

	destroy(): void {
		this.#awareness.off('change', this.#refresh);
		this.#awareness.setLocalState(null);
	}
}

// Awareness states come from other clients: check their shape before use.
function isPeerState(state: unknown): state is Omit<Peer, 'clientId'> {
	if (!state || typeof state !== 'object') return false;
	const { user, cursor, selection } = state as Record<string, unknown>;
	if (!user || typeof user !== 'object') return false;
	const { name, color, id } = user as Record<string, unknown>;
	if (typeof name !== 'string' || typeof color !== 'string' || typeof id !== 'string') return false;
	if (!/^#[0-9a-f]{6}$/i.test(color)) return false;
	if (cursor !== null && cursor !== undefined) {
		const { x, y } = cursor as Record<string, unknown>;
		if (typeof x !== 'number' || typeof y !== 'number') return false;
	}
	const { viewport } = state as Record<string, unknown>;
	if (viewport !== null && viewport !== undefined) {
		const { x, y, zoom } = viewport as Record<string, unknown>;
		if (![x, y, zoom].every((value) => typeof value === 'number' && Number.isFinite(value))) return false;
	}
	const { editing, renaming } = state as Record<string, unknown>;
	if (renaming !== null && renaming !== undefined && (typeof renaming !== 'string' || renaming.length > MAX_EDITING_ID)) return false;
	if (editing !== null && editing !== undefined) {
		const { touchpointId, field, caret } = editing as Record<string, unknown>;
		if (typeof touchpointId !== 'string' || touchpointId.length > MAX_EDITING_ID) return false;
		if (typeof field !== 'string' || field.length > MAX_EDITING_FIELD) return false;
		if (caret !== undefined && !isCaret(caret)) return false;
	}
	return selection === undefined || (Array.isArray(selection) && selection.every((id) => typeof id === 'string'));
}

function isCaret(caret: unknown): caret is EncodedCaret {
	if (!caret || typeof caret !== 'object') return false;
	const { anchor, head } = caret as Record<string, unknown>;
	return isEncodedPosition(anchor) && isEncodedPosition(head);
}
