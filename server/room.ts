import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { renameBoard } from '../src/lib/server/boards';
import { readConfig } from '../src/lib/server/config';
import type { Db } from '../src/lib/server/db';
import { compact, loadState } from '../src/lib/server/doc-store';
import { BOARD_MAP, readTitle } from '../src/lib/journey/document';
import { LIMITS } from '../src/lib/journey/schema';
import { assignmentsIn } from '../src/lib/journey/assignments';
import { settleTextFields, textChanges, type TextChanges } from '../src/lib/journey/text-fields';
import { queueDigestItems } from '../src/lib/server/mail-digest';
import { send, type Connection } from './connection';
import { PresenceRelay, type PresenceEntry } from './presence-relay';
import { encodeSyncUpdate, ProtocolError } from './protocol';
import type { Batch, PendingChange, TurnLog } from './turn-log';

/** Compact a board's log into its snapshot once it holds this many updates (`COMPACT_AFTER_UPDATES`, default 500). */
export const COMPACT_AFTER_UPDATES = readConfig().compactAfterUpdates;

/**
 * One board's document, its awareness and the sockets on it.
 *
 * A room is awake (it holds a `Y.Doc`) only while it is written to. It loads asleep, holding the
 * board's state as one encoded update, and falls asleep again once no write came for a while
 * (`sleepIfIdle`): readers sync from the encoded state (`stateVector`, `missing`), and a `Y.Doc`
 * of a board takes ten to twenty times its encoded size.
 *
 * Writes are batched per event-loop turn: the changes applied to the document in one turn are
 * merged into one update, stored with every other room's in one transaction right after the turn
 * (`TurnLog`), and relayed only once it has committed, as one frame encoded once for all
 * receivers. A sync step 2 encoded meanwhile from the document waits in `send` for that commit.
 */
export class Room {
	readonly awareness: awarenessProtocol.Awareness;
	readonly #presence: PresenceRelay;
	readonly connections = new Set<Connection>();
	#doc: Y.Doc | null = null;
	/** The board's whole state (V1) while asleep; null while awake. */
	#state: Uint8Array | null;
	/** The state the room woke from, or was last encoded to, until its document changes: copies and newcomers' syncs are made from it. */
	#wokeFrom: Uint8Array | null = null;
	/** Cached while asleep: the state's state vector, and its delete set alone (an update). */
	#stateVector: Uint8Array | null = null;
	#deletes: Uint8Array | null = null;
	/** When the document last changed (ms, performance.now()). */
	#lastWrite = performance.now();
	#logLength: number;
	#pending: PendingChange[] = [];
	/** Writers' changes to touchpoint texts not yet brought in step with their strings (`settleText`). */
	#unsettled: TextChanges[] = [];
	#destroyed = false;

	constructor(
		readonly boardId: string,
		private readonly db: Db,
		private readonly log: TurnLog,
		private readonly onBroken: (room: Room, error: unknown) => void
	) {
		const stored = loadState(db, boardId);
		this.#state = stored.state;
		this.#stateVector = stored.stateVector;
		this.#logLength = stored.logLength;
		// Presence needs no board content: its own small document only lends it a client id.
		this.awareness = new awarenessProtocol.Awareness(new Y.Doc());
		this.awareness.setLocalState(null);
		this.#presence = new PresenceRelay(this.awareness, (frame) => this.broadcast(frame, null));
	}

	/**
	 * The board's live document, waking the room if it sleeps. It may hold this turn's changes
	 * before they are stored; `send` stores them before any frame with document content leaves
	 * (write before relay).
	 */
	get doc(): Y.Doc {
		return this.#doc ?? this.#wake();
	}

	get asleep(): boolean {
		return this.#doc === null;
	}

	/** The board's state vector (sync step 1). */
	stateVector(): Uint8Array {
		if (this.#doc) return Y.encodeStateVector(this.#doc);
		return (this.#stateVector ??= Y.encodeStateVectorFromUpdate(this.#state!));
	}

	/** What a client with `stateVector` lacks (sync step 2), as an update. Throws ProtocolError on a malformed vector. */
	missing(stateVector: Uint8Array): Uint8Array {
		try {
			if (this.#doc) return Y.encodeStateAsUpdate(this.#doc, stateVector);
			// An empty vector (a new client) takes the whole state as it is.
			if (stateVector.length === 1 && stateVector[0] === 0) return this.#state!;
			return Y.diffUpdate(this.#state!, stateVector);
		} catch (error) {
			throw new ProtocolError(`malformed state vector: ${(error as Error).message}`);
		}
	}

	/**
	 * Whether a sleeping room already holds everything of a (checked) update, so it need not wake
	 * for it: a reconnecting reader's sync step 2 carries its whole delete set and nothing new.
	 */
	holdsAll(update: Uint8Array): boolean {
		if (this.#doc) return false;
		const stateVector = this.stateVector();
		const known = Y.decodeStateVector(stateVector);
		for (const [client, clock] of Y.parseUpdateMeta(update).to) {
			if ((known.get(client) ?? 0) < clock) return false;
		}
		// Merging a delete set we already cover changes nothing of ours (both are normalised).
		const deletes = (this.#deletes ??= Y.mergeUpdates([Y.diffUpdate(this.#state!, stateVector)]));
		const merged = Y.mergeUpdates([deletes, Y.diffUpdate(update, stateVector)]);
		return Buffer.compare(merged, deletes) === 0;
	}

	/** The board's state as one V1 update; encoded only when it changed since the room woke or was last encoded. */
	encodedState(): Uint8Array {
		if (!this.#doc) return this.#state!;
		return (this.#wokeFrom ??= Y.encodeStateAsUpdate(this.#doc));
	}

	/** A second document with the live document's state (for the update guard's trials). */
	copyDoc(): Y.Doc {
		const copy = new Y.Doc({ gc: true });
		Y.applyUpdate(copy, this.encodedState());
		return copy;
	}

	/** Puts the room to sleep when it has not been written to since `before` (performance.now()). */
	sleepIfIdle(before: number): void {
		if (!this.#doc || this.#destroyed || this.#pending.length > 0 || this.#lastWrite > before) return;
		this.#state = Y.encodeStateAsUpdate(this.#doc);
		this.#doc.destroy();
		this.#doc = null;
		this.#wokeFrom = null;
	}

	/**
	 * Applies a checked update from a writer; it is stored, then relayed to everyone else. Returns
	 * whether the document changed (a reconnecting client's sync often brings nothing new).
	 */
	applyUpdate(update: Uint8Array, origin: Connection): boolean {
		const changesBefore = this.#pending.length;
		Y.applyUpdate(this.doc, update, origin);
		return this.#pending.length > changesBefore;
	}

	/**
	 * Brings the touchpoint strings and collaborative texts that writers changed back in step, as a
	 * server edit (docs/api.md, "Collaborative text"): after two people's typing merged, the string
	 * takes the merged text; after a plain-string write, the text takes the string. Called once the
	 * writer's update is applied and checked, so the edit goes through the same store and relay.
	 */
	settleText(): void {
		const changes = this.#unsettled;
		this.#unsettled = [];
		if (!this.#doc || changes.length === 0) return;
		this.#doc.transact(() => {
			for (const change of changes) settleTextFields(change);
		});
	}

	/** Queues a checked presence entry of a socket's own client; it is applied and broadcast at the next tick. */
	applyAwareness(entry: PresenceEntry): void {
		this.#presence.enqueue(entry);
	}

	/** The awareness states of everyone present, for a newcomer. */
	awarenessFrame(): Uint8Array | null {
		return this.#presence.fullFrame();
	}

	/** Removes a socket and the awareness states it announced (broadcast at the next tick). */
	leave(connection: Connection): void {
		if (!this.connections.delete(connection)) return;
		if (connection.awarenessIds.size > 0) {
			this.#presence.forget(connection.awarenessIds);
			awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessIds], null);
		}
	}

	/** Folds the log into a snapshot (after storing the turn's changes). */
	compact(): void {
		this.flush();
		if (this.#logLength === 0 && this.asleep) return;
		compact(this.db, this.boardId, this.doc);
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
		this.onBroken(this, error);
	}

	destroy(): void {
		this.#destroyed = true;
		this.#pending = [];
		this.#presence.close();
		this.awareness.doc.destroy();
		this.awareness.destroy();
		this.#doc?.destroy();
		this.#doc = null;
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

	#wake(): Y.Doc {
		if (this.#destroyed) throw new Error(`board ${this.boardId}: the room was closed`);
		const doc = new Y.Doc({ gc: true });
		Y.applyUpdate(doc, this.#state!);
		this.#wokeFrom = this.#state;
		this.#state = this.#stateVector = this.#deletes = null;
		doc.on('update', this.#onUpdate);
		doc.on('afterTransaction', this.#onTransaction);
		doc.getMap(BOARD_MAP).observe(this.#onBoardChange);
		// Typed before any update arrives: a root first made by an update is replaced by its typed
		// instance when asked for later, and the transaction that made it would name the old one.
		doc.getMap('actions');
		this.#doc = doc;
		this.#lastWrite = performance.now();
		return doc;
	}

	#onUpdate = (update: Uint8Array, origin: unknown) => {
		this.#lastWrite = performance.now();
		this.#wokeFrom = null;
		if (this.#pending.length === 0) this.log.add(this);
		this.#pending.push({ update, origin: isConnection(origin) ? origin : null });
	};

	#onTransaction = (transaction: Y.Transaction) => {
		if (!isConnection(transaction.origin)) return;
		const changes = textChanges(transaction, transaction.doc.getMap('touchpoints'));
		if (changes.size > 0) this.#unsettled.push(changes);
		// An action given to someone else reaches their next mail digest (checked again when it is sent).
		const assigner = transaction.origin.userId;
		for (const { actionId, assigneeId } of assignmentsIn(transaction, transaction.doc.getMap('actions'))) {
			if (assigneeId !== assigner) queueDigestItems(this.db, 'assignment', this.boardId, actionId, [assigneeId]);
		}
	};

	#onBoardChange = () => {
		const title = readTitle(this.doc).trim().slice(0, LIMITS.title);
		if (title) renameBoard(this.db, this.boardId, title);
	};
}

function isConnection(origin: unknown): origin is Connection {
	return typeof origin === 'object' && origin !== null && 'awarenessIds' in origin;
}
