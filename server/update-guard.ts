import * as Y from 'yjs';
import { MAX_ITEMS, shapeProblem } from '../src/lib/journey/document-shape';
import { countStructs, estimateHeapBytes } from './document-cost';
import { checkUpdate, ProtocolError } from './protocol';
import { censusOf, type Census } from './update-census';

/** An update that would grow the board's document past its cap; the sender's socket is closed. */
export class DocumentTooLargeError extends Error {}

/**
 * An update that would put into the board what the journey document's shape does not allow (a
 * shared type where a plain value belongs, an unknown field or top-level type, a value of the
 * wrong type, more items than `LIMITS`), or grow its estimated memory past its budget. The
 * message names what was wrong; the sender's socket is closed.
 */
export class DocumentShapeError extends Error {}

/** An update that passed its trial but failed on the live document: the room must be reloaded. */
export class LiveApplyError extends Error {}

/**
 * An update that builds on content the board does not have (the client's own earlier edits that
 * were dropped, or a hostile sender's): refused like any malformed update, unless the socket's
 * writes were dropped a moment ago and it is catching up (`DroppedWrites`).
 */
export class MissingContentError extends ProtocolError {}

/** The live side of a board, as much of it as the guard needs. */
export interface GuardedRoom {
	readonly boardId: string;
	/** The live document (reading it wakes a sleeping room). */
	readonly doc: Y.Doc;
	/** Whether the room, asleep, already holds everything of the update. */
	holdsAll(update: Uint8Array): boolean;
	/** A second document with the live document's state, pending parts included. */
	copyDoc(): Y.Doc;
	/** The live document's state as one update (what a compaction stores). */
	encodedState(): Uint8Array;
	/** Upper bound of the board's bytes in the store (snapshot plus log). */
	readonly storedBytes: number;
	/** Folds the board's log into its snapshot once its changes are stored; never rejects. */
	compact(): Promise<void>;
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
 * carry only sane numbers, keep the board's estimated memory under its budget, apply cleanly to a
 * copy of the board, leave there only what the journey document's shape allows, and keep the
 * board under its size cap. What fails is never applied, stored or relayed.
 */
export class UpdateGuard {
	/** Per live document: a room that sleeps and wakes gets a new one, and a new state with it. */
	readonly #docs = new WeakMap<Y.Doc, RoomState>();

	constructor(
		private readonly maxDocBytes: number,
		private readonly maxMemoryBytes: number
	) {}

	/**
	 * Checks `update` and, when it passes, hands what the board lacks of it to `applyLive` (which
	 * applies it to the room's document, which stores and relays it). Throws ProtocolError for a
	 * malformed or hostile update, DocumentShapeError for one the journey document cannot hold or
	 * past the memory budget, DocumentTooLargeError past the size cap, LiveApplyError when the live
	 * document broke anyway.
	 */
	apply(room: GuardedRoom, received: Uint8Array, applyLive: (update: Uint8Array) => void): void {
		if (received.length > this.maxDocBytes) throw this.#tooLarge();
		const census = this.#census(received);
		const starts = checkUpdate(received);
		// A reconnecting client's sync step 2 often adds nothing: a sleeping room stays asleep.
		if (room.holdsAll(received)) return;
		const state = this.#state(room);
		this.#checkMemory(room, state, census, received);
		const update = startsBelowBoard(starts, room.doc) ? missingPart(received, room.doc) : received;
		const since = clocksOf(starts, room.doc);
		const shadow = this.#trial(room, state, update);
		this.#checkShape(state, shadow, since);
		this.#checkBudget(room, state, shadow, update);
		state.applying = true;
		try {
			applyLive(update);
		} catch (error) {
			state.shadow = null;
			throw new LiveApplyError(`an update that applied to the copy failed on the live document: ${(error as Error).message}`, {
				cause: error
			});
		} finally {
			state.applying = false;
		}
		state.storedBytes += update.length;
	}

	#state(room: GuardedRoom): RoomState {
		const doc = room.doc;
		const state = this.#docs.get(doc);
		if (state) return state;
		const created: RoomState = { shadow: null, storedBytes: room.storedBytes, applying: false };
		// Writes that do not come through `apply` (server-side edits, e.g. restoring a version) keep
		// the copy current and count towards the board's size.
		doc.on('update', (update: Uint8Array) => {
			if (created.applying) return;
			created.storedBytes += update.length;
			if (!created.shadow) return;
			try {
				Y.applyUpdate(created.shadow, update);
			} catch {
				created.shadow = null;
			}
		});
		doc.on('destroy', () => {
			created.shadow?.destroy();
			created.shadow = null;
		});
		this.#docs.set(doc, created);
		return created;
	}

	// Counted from the bytes before anything is decoded (decoding costs as much as applying): a
	// board never needs more new maps in one update than it may hold items, and no update alone
	// may pass the memory budget.
	#census(update: Uint8Array): Census {
		let census: Census;
		try {
			census = censusOf(update);
		} catch (error) {
			throw new ProtocolError(`malformed document update: ${(error as Error).message}`);
		}
		if (census.types > MAX_ITEMS) {
			throw new DocumentShapeError(`the edit creates ${census.types} maps or lists; a board holds at most ${MAX_ITEMS} items`);
		}
		this.#withinBudget(estimateHeapBytes(census.structs, update.length));
		return census;
	}

	// The estimate (structs × measured bytes per struct, plus content) keeps the live document,
	// and its copy here, within the budget. The stored bytes only over-estimate the content (they
	// count overwritten values until compaction). An update without structs (deletions) passes.
	#checkMemory(room: GuardedRoom, state: RoomState, census: Census, update: Uint8Array): void {
		if (census.structs === 0) return;
		this.#withinBudget(estimateHeapBytes(countStructs(room.doc) + census.structs, state.storedBytes + update.length));
	}

	#withinBudget(estimate: number): void {
		if (estimate <= this.maxMemoryBytes) return;
		throw new DocumentShapeError(
			`the board would take about ${formatBytes(estimate)} in memory, past its ${formatBytes(this.maxMemoryBytes)} budget`
		);
	}

	// On the copy, which now holds the update: only what the update added is read.
	#checkShape(state: RoomState, shadow: Y.Doc, since: Map<number, number>): void {
		const problem = shapeProblem(shadow, since);
		if (!problem) return;
		// The copy holds the refused update: rebuild it from the live document next time.
		shadow.destroy();
		state.shadow = null;
		throw new DocumentShapeError(problem);
	}

	// `storedBytes` only over-estimates (an update never stores more than its own size, and
	// overwritten values count until compaction), so far from the cap this sum is the whole cost.
	// Near it, the live document's encoded state gives the exact size (what a compaction, started
	// here, stores), and the copy (which already holds the update) the size after it: only an
	// update that grows the board past the cap is refused, so a full board can still be cleaned up.
	#checkBudget(room: GuardedRoom, state: RoomState, shadow: Y.Doc, update: Uint8Array): void {
		if (state.storedBytes + update.length <= this.maxDocBytes) return;
		const current = room.encodedState().length;
		void room.compact();
		state.storedBytes = current;
		const next = Y.encodeStateAsUpdate(shadow).length;
		if (next <= this.maxDocBytes || next <= current) return;
		// The copy holds the refused update: rebuild it from the live document next time.
		shadow.destroy();
		state.shadow = null;
		throw this.#tooLarge();
	}

	#tooLarge(): DocumentTooLargeError {
		return new DocumentTooLargeError(`The board is full: this edit would grow it past ${formatBytes(this.maxDocBytes)}`);
	}

	#trial(room: GuardedRoom, state: RoomState, update: Uint8Array): Y.Doc {
		const shadow = (state.shadow ??= room.copyDoc());
		try {
			const { pendingStructs, pendingDs } = shadow.store;
			Y.applyUpdate(shadow, update);
			// What cannot be integrated yet (its dependencies are missing) would be kept aside, never
			// stored (Yjs reports no change for it), yet sent to every newcomer, where it may not
			// apply at all. A real client sends what an edit depends on first, or along with it on
			// reconnecting, so such an update is refused; the client's next sync brings the rest.
			const added =
				(shadow.store.pendingStructs && shadow.store.pendingStructs !== pendingStructs) ||
				(shadow.store.pendingDs && shadow.store.pendingDs !== pendingDs);
			if (added) throw new MissingContentError('document update does not apply: it depends on content the board does not have');
			return shadow;
		} catch (error) {
			// Half-applied: throw the copy away and rebuild it from the live document next time.
			shadow.destroy();
			state.shadow = null;
			if (error instanceof MissingContentError) throw error;
			throw new ProtocolError(`document update does not apply: ${(error as Error).message}`);
		}
	}
}

/**
 * The part of an update the document does not have yet. Yjs itself skips what it has, but a struct
 * that starts below the document's clock keeps the parent written in the update while taking its
 * left neighbour from the document: when two clients send different content under one id (a bug,
 * or on purpose), the live document then disagrees with the update it emits, stores and relays, so
 * the board loads differently after a restart. Cut at the document's clocks, every struct takes
 * its place from the document, the same way here, in the log and on every client.
 */
function missingPart(update: Uint8Array, doc: Y.Doc): Uint8Array {
	try {
		return Y.diffUpdate(update, Y.encodeStateVector(doc));
	} catch (error) {
		throw new ProtocolError(`malformed document update: ${(error as Error).message}`);
	}
}

/** The document's clock for each client of an update: where that client's new structs will begin. */
function clocksOf(starts: Map<number, number>, doc: Y.Doc): Map<number, number> {
	const clocks = new Map<number, number>();
	for (const client of starts.keys()) clocks.set(client, Y.getState(doc.store, client));
	return clocks;
}

/** Whether some client's structs in an update start below the board's clock for that client (a fresh edit never does). */
function startsBelowBoard(starts: Map<number, number>, doc: Y.Doc): boolean {
	for (const [client, clock] of starts) if (clock < Y.getState(doc.store, client)) return true;
	return false;
}

function formatBytes(bytes: number): string {
	return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}
