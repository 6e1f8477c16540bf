import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { renameBoard } from '../src/lib/server/boards';
import { readConfig } from '../src/lib/server/config';
import type { Db } from '../src/lib/server/db';
import { appendUpdates, compact, loadDoc } from '../src/lib/server/doc-store';
import { BOARD_MAP, readTitle } from '../src/lib/journey/document';
import { LIMITS } from '../src/lib/journey/schema';
import { markStored, markUnstored, send, type Connection } from './connection';
import { encodeAwareness, encodeSyncUpdate } from './protocol';

/** Compact a board's log into its snapshot once it holds this many updates (`COMPACT_AFTER_UPDATES`, default 500). */
export const COMPACT_AFTER_UPDATES = readConfig().compactAfterUpdates;

/** A document change applied in this event-loop turn and not yet stored. */
interface PendingChange {
	update: Uint8Array;
	origin: Connection | null;
}

/** One room's changes of a turn, merged into the one update that is stored and relayed. */
interface Batch {
	room: Room;
	changes: PendingChange[];
	merged: Uint8Array;
}

/**
 * Stores the changes every room made in one event-loop turn in one SQLite transaction, right after
 * the turn, then lets each room relay its own. One transaction per turn rather than per room or
 * per update: a commit costs far more than a row.
 */
export class TurnLog {
	readonly #dirty = new Set<Room>();
	#queued = false;

	constructor(private readonly db: Db) {}

	/** Marks a room as holding unstored changes; they are stored after this turn. */
	add(room: Room): void {
		this.#dirty.add(room);
		markUnstored(this);
		if (this.#queued) return;
		this.#queued = true;
		// After the turn's I/O callbacks, so every frame read in this turn joins the batch.
		setImmediate(() => {
			this.#queued = false;
			this.flush();
		});
	}

	/** Stores every dirty room's changes in one transaction, then relays them. */
	flush(): void {
		if (this.#dirty.size === 0) return;
		const batches: Batch[] = [];
		for (const room of this.#dirty) {
			const batch = room.takeBatch();
			if (batch) batches.push(batch);
		}
		this.#dirty.clear();
		markStored(this);
		try {
			appendUpdates(
				this.db,
				batches.map(({ room, merged }) => ({ boardId: room.boardId, update: merged }))
			);
		} catch {
			// Nothing of the turn is stored and nobody has seen it. One board's failure (say, deleted
			// meanwhile) must not take the others down: each is tried on its own.
			for (const batch of batches) this.#storeAlone(batch);
			return;
		}
		for (const batch of batches) batch.room.stored(batch);
	}

	#storeAlone(batch: Batch): void {
		try {
			appendUpdates(this.db, [{ boardId: batch.room.boardId, update: batch.merged }]);
		} catch (error) {
			// The room is reloaded and its clients resend their changes.
			batch.room.storeFailed(error);
			return;
		}
		batch.room.stored(batch);
	}
}

/**
 * One board's live document, its awareness and the sockets on it.
 *
 * Writes are batched per event-loop turn: the changes applied to the document in one turn are
 * merged into one update, stored with every other room's in one transaction right after the turn
 * (`TurnLog`), and relayed only once it has committed, as one frame encoded once for all
 * receivers. A sync step 2 encoded meanwhile from the document waits in `send` for that commit.
 */
export class Room {
	readonly awareness: awarenessProtocol.Awareness;
	readonly connections = new Set<Connection>();
	readonly #doc: Y.Doc;
	#logLength: number;
	#pending: PendingChange[] = [];
	#destroyed = false;

	constructor(
		readonly boardId: string,
		private readonly db: Db,
		private readonly log: TurnLog,
		private readonly onBroken: (room: Room) => void
	) {
		const stored = loadDoc(db, boardId);
		this.#doc = stored.doc;
		this.#logLength = stored.logLength;
		this.awareness = new awarenessProtocol.Awareness(this.#doc);
		this.awareness.setLocalState(null);
		this.#doc.on('update', this.#onUpdate);
		this.#doc.getMap(BOARD_MAP).observe(this.#onBoardChange);
		this.awareness.on('update', this.#onAwareness);
	}

	/**
	 * The board's live document. It may hold this turn's changes before they are stored; `send`
	 * stores them before any frame with document content leaves (write before relay).
	 */
	get doc(): Y.Doc {
		return this.#doc;
	}

	/** Applies a checked update from a writer; it is stored, then relayed to everyone else. */
	applyUpdate(update: Uint8Array, origin: Connection): void {
		Y.applyUpdate(this.#doc, update, origin);
	}

	/** Applies an awareness update from a socket. */
	applyAwareness(update: Uint8Array, origin: Connection): void {
		awarenessProtocol.applyAwarenessUpdate(this.awareness, update, origin);
	}

	/** The awareness states of everyone present, for a newcomer. */
	awarenessFrame(): Uint8Array | null {
		const clients = [...this.awareness.getStates().keys()];
		return clients.length === 0 ? null : encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients));
	}

	/** Removes a socket and the awareness states it announced. */
	leave(connection: Connection): void {
		if (!this.connections.delete(connection)) return;
		if (connection.awarenessIds.size > 0) {
			awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessIds], null);
		}
	}

	/** Folds the log into a snapshot (after storing the turn's changes). */
	compact(): void {
		this.flush();
		compact(this.db, this.boardId, this.#doc);
		this.#logLength = 0;
	}

	/**
	 * Stores the changes applied so far (with every other room's of this turn) and relays them.
	 * Runs by itself right after the event-loop turn that made them.
	 */
	flush(): void {
		if (this.#pending.length > 0) this.log.flush();
	}

	/** Hands the unstored changes to the turn log, merged into one update. */
	takeBatch(): Batch | null {
		if (this.#pending.length === 0 || this.#destroyed) return null;
		const changes = this.#pending;
		this.#pending = [];
		const merged = changes.length === 1 ? changes[0].update : Y.mergeUpdates(changes.map((change) => change.update));
		return { room: this, changes, merged };
	}

	/** The batch is in SQLite: relay it, and compact when the log is long. */
	stored(batch: Batch): void {
		if (this.#destroyed) return;
		this.#logLength += 1;
		this.#relay(batch.changes, batch.merged);
		if (this.#logLength < COMPACT_AFTER_UPDATES) return;
		try {
			this.compact();
		} catch (error) {
			// The log still holds every update; the next compaction or load folds it.
			console.error(`board ${this.boardId}: compaction failed`, error);
		}
	}

	/** Storing failed: the room is dropped (its sockets close and its clients resend to a reload). */
	storeFailed(error: unknown): void {
		console.error(`board ${this.boardId}: storing updates failed`, error);
		this.onBroken(this);
	}

	destroy(): void {
		this.#destroyed = true;
		this.#pending = [];
		this.awareness.destroy();
		this.#doc.destroy();
	}

	broadcast(frame: Uint8Array, except: Connection | null): void {
		for (const connection of this.connections) {
			if (connection !== except) send(connection, frame);
		}
	}

	/**
	 * One frame for everyone. A writer does not get back a batch made only of its own changes; a
	 * batch mixing several writers' changes goes to them too (applying one's own update again is
	 * a no-op for a Yjs client), which costs less than merging a batch per writer.
	 */
	#relay(batch: readonly PendingChange[], merged: Uint8Array): void {
		const origin = batch[0].origin;
		const oneOrigin = batch.every((change) => change.origin === origin);
		this.broadcast(encodeSyncUpdate(merged), oneOrigin ? origin : null);
	}

	#onUpdate = (update: Uint8Array, origin: unknown) => {
		if (this.#pending.length === 0) this.log.add(this);
		this.#pending.push({ update, origin: isConnection(origin) ? origin : null });
	};

	#onBoardChange = () => {
		const title = readTitle(this.#doc).trim().slice(0, LIMITS.title);
		if (title) renameBoard(this.db, this.boardId, title);
	};

	#onAwareness = (
		{ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
		origin: unknown
	) => {
		const changed = [...added, ...updated, ...removed];
		if (isConnection(origin)) {
			for (const id of added) origin.awarenessIds.add(id);
			for (const id of removed) origin.awarenessIds.delete(id);
		}
		this.broadcast(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)), null);
	};
}

function isConnection(origin: unknown): origin is Connection {
	return typeof origin === 'object' && origin !== null && 'awarenessIds' in origin;
}
