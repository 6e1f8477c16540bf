import * as Y from 'yjs';
import type { Db } from '../src/lib/server/db';
import { storedBytes } from '../src/lib/server/doc-store';
import { ProtocolError } from './protocol';

/** An update that would grow the board's document past its cap; the sender's socket is closed. */
export class DocumentTooLargeError extends Error {}

/** An update that passed its trial but failed on the live document: the room must be reloaded. */
export class LiveApplyError extends Error {}

/** The live side of a board, as much of it as the guard needs. */
export interface GuardedRoom {
	readonly boardId: string;
	readonly doc: Y.Doc;
	/** Folds the board's log into its snapshot. */
	compact(): void;
}

interface RoomState {
	/**
	 * A second `Y.Doc` kept equal to the live one. Every update is tried here first, so one that
	 * throws half-way, or leaves a document that cannot be encoded, never touches the live
	 * document or the log. Null until the first write, and after a failed trial (rebuilt lazily).
	 */
	shadow: Y.Doc | null;
	/** Upper bound of the board's stored bytes (snapshot plus log), corrected at each compaction. */
	storedBytes: number;
	/** True while a tried update is applied to the live document (the shadow already has it). */
	applying: boolean;
}

/**
 * Checks every document write before it reaches a live `Y.Doc`: the update must parse completely,
 * carry only sane numbers, apply cleanly to a copy of the board, and keep the board under its size
 * cap. What fails is never applied, stored or relayed.
 */
export class UpdateGuard {
	readonly #rooms = new WeakMap<GuardedRoom, RoomState>();

	constructor(
		private readonly db: Db,
		private readonly maxDocBytes: number
	) {}

	/**
	 * Checks `update` and, when it passes, hands it to `applyLive` (which applies it to the room's
	 * document, which stores and relays it). Throws ProtocolError for a malformed or hostile update,
	 * DocumentTooLargeError past the cap, LiveApplyError when the live document broke anyway.
	 */
	apply(room: GuardedRoom, update: Uint8Array, applyLive: () => void): void {
		const state = this.#state(room);
		this.#checkBudget(room, state, update);
		checkUpdateStructure(update);
		this.#trial(room, state, update);
		state.applying = true;
		try {
			applyLive();
		} catch (error) {
			state.shadow = null;
			throw new LiveApplyError(`an update that applied to the copy failed on the live document: ${(error as Error).message}`);
		} finally {
			state.applying = false;
		}
		state.storedBytes += update.length;
	}

	#state(room: GuardedRoom): RoomState {
		let state = this.#rooms.get(room);
		if (state) return state;
		const created: RoomState = { shadow: null, storedBytes: storedBytes(this.db, room.boardId), applying: false };
		// Writes that do not come through `apply` (server-side edits, e.g. restoring a version) keep
		// the copy current and count towards the board's size.
		room.doc.on('update', (update: Uint8Array) => {
			if (created.applying) return;
			created.storedBytes += update.length;
			if (!created.shadow) return;
			try {
				Y.applyUpdate(created.shadow, update);
			} catch {
				created.shadow = null;
			}
		});
		room.doc.on('destroy', () => {
			created.shadow?.destroy();
			created.shadow = null;
		});
		this.#rooms.set(room, created);
		return created;
	}

	// `storedBytes` only ever over-estimates (overwritten values still count until compaction), so
	// the cheap check is enough far from the cap; near it, a compaction gives the exact size.
	#checkBudget(room: GuardedRoom, state: RoomState, update: Uint8Array): void {
		if (state.storedBytes + update.length <= this.maxDocBytes) return;
		if (update.length <= this.maxDocBytes) {
			room.compact();
			state.storedBytes = storedBytes(this.db, room.boardId);
			if (state.storedBytes + update.length <= this.maxDocBytes) return;
		}
		throw new DocumentTooLargeError(
			`The board is full: this edit would grow it past ${formatBytes(this.maxDocBytes)}`
		);
	}

	#trial(room: GuardedRoom, state: RoomState, update: Uint8Array): void {
		const shadow = (state.shadow ??= copyOf(room.doc));
		try {
			Y.applyUpdate(shadow, update);
			// What the live document will emit and store must encode; a pending (not yet integrable)
			// part must too, since every later full encoding includes it.
			if (shadow.store.pendingStructs || shadow.store.pendingDs) Y.encodeStateVector(shadow);
			if (shadow.store.pendingStructs) Y.decodeUpdate(shadow.store.pendingStructs.update);
		} catch (error) {
			// Half-applied: throw the copy away and rebuild it from the live document next time.
			shadow.destroy();
			state.shadow = null;
			throw new ProtocolError(`document update does not apply: ${(error as Error).message}`);
		}
	}
}

/** A copy of a document with the same state, pending parts included. */
function copyOf(doc: Y.Doc): Y.Doc {
	const copy = new Y.Doc({ gc: doc.gc });
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
	return copy;
}

/** Most client ids and clocks can be; lib0 cannot encode larger (or fractional, or NaN) numbers. */
const MAX_NUMBER = Number.MAX_SAFE_INTEGER;

function saneNumber(value: unknown): boolean {
	return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_NUMBER;
}

function saneId(id: unknown): boolean {
	if (!id || typeof id !== 'object') return false;
	const { client, clock } = id as { client: unknown; clock: unknown };
	return saneNumber(client) && saneNumber(clock);
}

/**
 * Parses an update completely and checks what Yjs itself does not: every client id, clock and
 * length is a safe non-negative integer (an over-long varint decodes to NaN or a huge float, which
 * Yjs stores and then cannot encode again), no struct is empty, and nothing but the journey's
 * shared types is created (no subdocuments). Throws ProtocolError.
 */
export function checkUpdateStructure(update: Uint8Array): void {
	let decoded: ReturnType<typeof Y.decodeUpdate>;
	try {
		decoded = Y.decodeUpdate(update);
	} catch (error) {
		throw new ProtocolError(`malformed document update: ${(error as Error).message}`);
	}
	for (const struct of decoded.structs) {
		if (!saneId(struct.id) || !saneNumber(struct.length) || struct.length === 0 || !saneNumber(struct.id.clock + struct.length)) {
			throw new ProtocolError('malformed document update: bad struct id or length');
		}
		if (!(struct instanceof Y.Item)) continue;
		if (struct.origin !== null && !saneId(struct.origin)) throw new ProtocolError('malformed document update: bad origin');
		if (struct.rightOrigin !== null && !saneId(struct.rightOrigin)) {
			throw new ProtocolError('malformed document update: bad right origin');
		}
		const parent: unknown = struct.parent;
		if (parent !== null && typeof parent !== 'string' && !saneId(parent)) {
			throw new ProtocolError('malformed document update: bad parent');
		}
		if (struct.content instanceof Y.ContentDoc) throw new ProtocolError('subdocuments are not part of a board');
	}
	for (const [client, ranges] of decoded.ds.clients) {
		if (!saneNumber(client)) throw new ProtocolError('malformed document update: bad client in delete set');
		for (const { clock, len } of ranges) {
			if (!saneNumber(clock) || !saneNumber(len) || !saneNumber(clock + len)) {
				throw new ProtocolError('malformed document update: bad delete range');
			}
		}
	}
}

function formatBytes(bytes: number): string {
	return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}
