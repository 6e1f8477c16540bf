import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { readConfig } from '../src/lib/server/config';
import { settleStringsFromTexts, settleTextFields, textChanges, type TextChanges } from '../src/lib/journey/text-fields';
import { isRemoval } from './awareness-entries';
import { BoardEventReporter } from './board-event-reporter';
import type { DeferredWork } from './deferred-work';
import type { BoardBus } from './cluster/board-bus';
import { PresencePeers } from './cluster/presence-peers';
import type { SharedPresenceOwners } from './cluster/presence-owners';
import { RoomLink, type LinkedRoom } from './cluster/room-link';
import { SequenceTracker } from './cluster/sequence-tracker';
import { isConnection, send, type Connection } from './connection';
import { EncodedBoard } from './encoded-board';
import { PresenceIds } from './presence-ids';
import { PresenceRelay, type PresenceEntry } from './presence-relay';
import { encodeSyncUpdate, ProtocolError } from './protocol';
import { foldedSnapshot, type FoldedSnapshot } from '../src/lib/server/doc-store';
import { ownBytes } from '../src/lib/server/owned-bytes';
import type { BoardEvents, BoardStore, StoredBoard } from './storage/board-store';
import { RoomClosedError, StoreProgress } from './store-progress';
import type { Batch, PendingChange, TurnLog } from './turn-log';

/** Compact a board's log into its snapshot once it holds this many updates (`COMPACT_AFTER_UPDATES`, default 500). */
export const COMPACT_AFTER_UPDATES = readConfig().compactAfterUpdates;

/** What a room works with besides its board's stored state. */
export interface RoomParts {
	store: BoardStore;
	events: BoardEvents;
	/** Stores every room's changes of a turn together. */
	log: TurnLog;
	/**
	 * Where the rooms' routine compactions wait their turn, one at a time: boards written at the
	 * same pace reach their threshold together, and folding them all in one turn held every
	 * other board's edits for as long.
	 */
	compactions: DeferredWork;
	/** Storing failed: the room must be dropped (its sockets closed with the fitting code). */
	onBroken: (room: Room, error: unknown) => void;
	/** Other processes serving the same boards, when there are any (`REDIS_URL`). */
	bus?: BoardBus | null;
	/** Who owns each presence client id, shared with those processes (`REDIS_URL`). */
	presenceOwners?: SharedPresenceOwners | null;
	/** Folds a state and the updates after it into a snapshot: on a worker thread in the server, in this thread by default. */
	fold?: SnapshotFolder;
}

/** Folds a board's state and the updates stored after it into one snapshot (`foldedSnapshot`). */
export type SnapshotFolder = (updates: Uint8Array[]) => Promise<FoldedSnapshot>;

const foldHere: SnapshotFolder = async (updates) => foldedSnapshot(updates);

/** The origin of an update another process stored: applied and relayed here, never stored again. */
const STORED_ELSEWHERE = Symbol('stored elsewhere');

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
 * (`TurnLog`), and relayed only once that commit has resolved, as one frame encoded once for all
 * receivers. A sync step 2 encoded meanwhile from the document waits (`sendState`) until every
 * change in it is stored.
 */
export class Room implements LinkedRoom {
	readonly awareness: awarenessProtocol.Awareness;
	/** Which person owns each presence client id on the board, and which socket speaks for it. */
	readonly presenceIds: PresenceIds;
	readonly #presence: PresenceRelay;
	/** The other processes that apply the board's presence, when there are any. */
	readonly #presencePeers: PresencePeers | null;
	readonly connections = new Set<Connection>();
	#doc: Y.Doc | null = null;
	/** The board's whole state while asleep; null while awake. */
	#asleep: EncodedBoard | null;
	/** The state the room woke from, or was last encoded to, until its document changes: copies and newcomers' syncs are made from it. */
	#wokeFrom: Uint8Array | null = null;
	/** When the document last changed (ms, performance.now()). */
	#lastWrite = performance.now();
	#logLength: number;
	#storedBytes: number;
	#pending: PendingChange[] = [];
	/**
	 * While awake: a state of the board and the updates stored since it (this process's batches and
	 * other processes' updates, in log order). Together they hold every update in the log, so a
	 * compaction folds them on a worker instead of encoding the live document on the event loop.
	 */
	#foldBase: Uint8Array | null = null;
	#foldLog: Uint8Array[] = [];
	readonly #fold: SnapshotFolder;
	readonly #compactions: DeferredWork;
	/** Whether a routine compaction waits its turn. */
	#compactionQueued = false;
	/** How far the changes are stored; frames and tasks that wait for them. */
	readonly #progress = new StoreProgress();
	/** Writers' changes to touchpoint texts not yet brought in step with their strings (`settleText`). */
	#unsettled: TextChanges[] = [];
	/** The same, of an update another process stored, while `applyStored` applies it. */
	#unsettledElsewhere: TextChanges[] = [];
	#compaction: Promise<void> | null = null;
	#nextCompaction: Promise<void> | null = null;
	#destroyed = false;
	readonly #store: BoardStore;
	readonly #reporter: BoardEventReporter;
	readonly #log: TurnLog;
	readonly #onBroken: RoomParts['onBroken'];
	/** The board's log numbers this room holds, for a store that numbers logs. */
	readonly sequence: SequenceTracker | null;
	/** Its side of the bus, when other processes serve boards too. */
	readonly link: RoomLink | null;

	constructor(
		readonly boardId: string,
		stored: StoredBoard,
		{ store, events, log, compactions, onBroken, bus, presenceOwners, fold = foldHere }: RoomParts
	) {
		this.#store = store;
		this.#fold = fold;
		this.#compactions = compactions;
		this.#reporter = new BoardEventReporter(boardId, events);
		this.#log = log;
		this.#onBroken = onBroken;
		this.#asleep = new EncodedBoard(stored.state, stored.stateVector);
		this.#logLength = stored.logLength;
		this.#storedBytes = stored.storedBytes;
		this.sequence = stored.seq === undefined ? null : new SequenceTracker(stored.seq);
		this.link = bus ? new RoomLink(this, store, bus) : null;
		// Presence needs no board content: its own small document only lends it a client id.
		this.awareness = new awarenessProtocol.Awareness(new Y.Doc());
		this.awareness.setLocalState(null);
		this.presenceIds = new PresenceIds(boardId, presenceOwners ?? null);
		const link = this.link;
		this.#presencePeers =
			link &&
			new PresencePeers(
				() => link.announcePresencePeer(),
				() => link.connected
			);
		const peers = this.#presencePeers;
		this.#presence = new PresenceRelay(
			this.awareness,
			(frame) => this.broadcast(frame, null),
			link &&
				peers && {
					publish: (update, clientIds) => link.publishPresence(update, this.#ownersOf(clientIds)),
					sharing: () => peers.sharing()
				}
		);
	}

	/**
	 * The board's live document, waking the room if it sleeps. It may hold changes not stored yet;
	 * a frame encoded from it leaves through `sendState`, once they are (write before relay).
	 */
	get doc(): Y.Doc {
		return this.#doc ?? this.#wake();
	}

	get asleep(): boolean {
		return this.#doc === null;
	}

	/** Upper bound of the bytes the board takes in the store (snapshot plus log), exact after a compaction. */
	get storedBytes(): number {
		return this.#storedBytes;
	}

	/** The board's state vector (sync step 1). */
	stateVector(): Uint8Array {
		if (this.#doc) return Y.encodeStateVector(this.#doc);
		return this.#asleep!.stateVector();
	}

	/** What a client with `stateVector` lacks (sync step 2), as an update. Throws ProtocolError on a malformed vector. */
	missing(stateVector: Uint8Array): Uint8Array {
		try {
			return this.#doc ? Y.encodeStateAsUpdate(this.#doc, stateVector) : this.#asleep!.missing(stateVector);
		} catch (error) {
			throw new ProtocolError(`malformed state vector: ${(error as Error).message}`);
		}
	}

	/**
	 * Whether a sleeping room already holds everything of a (checked) update, so it need not wake
	 * for it: a reconnecting reader's sync step 2 carries its whole delete set and nothing new.
	 */
	holdsAll(update: Uint8Array): boolean {
		return !this.#doc && this.#asleep!.holdsAll(update);
	}

	/** The board's state as one V1 update; encoded only when it changed since the room woke or was last encoded. */
	encodedState(): Uint8Array {
		if (!this.#doc) return this.#asleep!.state;
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
		if (!this.#doc || this.#destroyed || !this.#progress.allStored || this.#lastWrite > before) return;
		this.#asleep = new EncodedBoard(Y.encodeStateAsUpdate(this.#doc));
		this.#doc.destroy();
		this.#doc = null;
		this.#wokeFrom = null;
		this.#foldBase = null;
		this.#foldLog = [];
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

	/**
	 * Sends a socket a frame encoded from the document as it is now (a sync step 2): it leaves once
	 * every change the document holds is stored, after the frames queued to that socket before it.
	 */
	sendState(connection: Connection, frame: Uint8Array): void {
		this.#progress.send(connection, frame);
	}

	/** Resolves once every change applied so far is stored; rejects with RoomClosedError if the room closes or its store fails first. */
	whenStored(): Promise<void> {
		return this.#progress.whenStored();
	}

	/** The awareness states of everyone present, for a newcomer. */
	awarenessFrame(): Uint8Array | null {
		return this.#presence.fullFrame();
	}

	/** Removes a socket and the awareness states it announced (broadcast at the next tick). */
	leave(connection: Connection): void {
		if (!this.connections.delete(connection)) return;
		this.#progress.forget(connection);
		if (connection.awarenessIds.size > 0) this.#presence.remove(connection.awarenessIds);
	}

	/**
	 * Folds the log into a snapshot once every change applied so far is stored. One compaction
	 * runs at a time; asked for meanwhile, one more follows it, for what was applied since. Never
	 * rejects: a failure is logged, and the log still holds every update, so the next compaction
	 * or load folds it.
	 */
	compact(): Promise<void> {
		if (this.#compaction) {
			return (this.#nextCompaction ??= this.#compaction.then(() => {
				this.#nextCompaction = null;
				return this.compact();
			}));
		}
		return (this.#compaction = this.#compact().finally(() => (this.#compaction = null)));
	}

	async #compact(): Promise<void> {
		try {
			await this.whenStored();
			if (this.#logLength === 0 || this.#destroyed) return;
			const folded = this.#logLength;
			const bytesBefore = this.#storedBytes;
			// Every update numbered up to the watermark is in the snapshot, whichever process stored it.
			const seq = this.sequence?.watermark;
			const snapshot = await this.#snapshot();
			await this.#store.compact(this.boardId, { ...snapshot, folded, seq });
			// Updates stored while the snapshot was written stay in the log after it.
			this.#logLength = Math.max(0, this.#logLength - folded);
			this.#storedBytes = snapshot.state.length + this.#storedBytes - bytesBefore;
		} catch (error) {
			if (error instanceof RoomClosedError) return;
			console.error(`board ${this.boardId}: compaction failed`, error);
		}
	}

	/**
	 * Every stored update as one snapshot. Asleep, that is the encoded state. Awake, the fold of the
	 * last state and the updates stored since, made off the event loop; it becomes the state the
	 * next fold starts from. Should the fold fail (a worker out of memory), the live document is
	 * encoded here, which holds at least every stored update too.
	 */
	async #snapshot(): Promise<FoldedSnapshot> {
		if (!this.#doc) return { state: this.#asleep!.state, stateVector: this.#asleep!.stateVector() };
		const log = this.#foldLog;
		const taken = log.length;
		try {
			const snapshot = await this.#fold([this.#foldBase!, ...log]);
			this.#foldFrom(log, snapshot.state, taken);
			return snapshot;
		} catch (error) {
			if (!this.#doc) throw error;
			console.error(`board ${this.boardId}: folding on a worker failed; encoding the live document`, error);
			// It holds every update of the log, so the next fold starts from it (and the log held here does not grow).
			const snapshot = { state: this.encodedState(), stateVector: Y.encodeStateVector(this.#doc) };
			this.#foldFrom(log, snapshot.state, log.length);
			return snapshot;
		}
	}

	/**
	 * The next fold starts from `state`, which holds the first `count` updates of `log`; unless the
	 * room slept (and maybe woke) meanwhile, which started a new base and log.
	 */
	#foldFrom(log: Uint8Array[], state: Uint8Array, count: number): void {
		if (this.#foldLog !== log) return;
		this.#foldBase = state;
		log.splice(0, count);
	}

	/** Hands the unstored changes to the turn log, merged into one update. */
	takeBatch(): Batch | null {
		if (this.#pending.length === 0 || this.#destroyed) return null;
		const changes = this.#pending;
		this.#pending = [];
		const merged = changes.length === 1 ? changes[0].update : Y.mergeUpdates(changes.map((change) => change.update));
		return { room: this, changes, merged, upTo: this.#progress.appliedCount };
	}

	/** The batch is stored: what waited for it goes on, it is relayed, and the log compacted when long. */
	stored(batch: Batch): void {
		if (this.#destroyed) return;
		this.#logLength += 1;
		this.#storedBytes += batch.merged.length;
		if (this.#doc) this.#foldLog.push(ownBytes(batch.merged));
		if (batch.seq !== undefined) this.sequence?.mark(batch.seq);
		// Committed: other processes may hear of it.
		this.link?.stored(batch.seq, batch.merged);
		// Frames held for earlier changes leave before this relay, which queues behind those still held.
		this.#progress.stored(batch.upTo);
		this.#relay(batch);
		if (this.#logLength >= COMPACT_AFTER_UPDATES && !this.#compaction && !this.#compactionQueued) {
			this.#compactionQueued = true;
			this.#compactions.add(`board ${this.boardId}: compaction`, () => {
				this.#compactionQueued = false;
				return this.compact();
			});
		}
	}

	/** Storing failed: the room is dropped (its sockets close and its clients resend to a reload). */
	storeFailed(error: unknown): void {
		if (this.#destroyed) return;
		console.error(`board ${this.boardId}: storing updates failed`, error);
		this.#progress.close('storing the changes failed');
		this.#onBroken(this, error);
	}

	/**
	 * Applies an update another process stored (or the board's state read back from the store) and
	 * relays what it brings to this room's sockets; it is neither stored nor published again. A
	 * sleeping room merges it into its encoded state rather than waking.
	 */
	applyStored(update: Uint8Array): void {
		if (this.#destroyed) return;
		this.#storedBytes += update.length;
		this.#logLength += 1;
		if (this.#doc) {
			this.#foldLog.push(ownBytes(update));
			// The document's update event relays exactly what was new (`#onUpdate`).
			Y.applyUpdate(this.#doc, update, STORED_ELSEWHERE);
			this.#settleStoredElsewhere();
			return;
		}
		// Asleep, the room is not settled: it had no write for `ROOM_SLEEP_SECONDS`, far longer than
		// another process's update takes to arrive (the bus, or the next poll while it is down). Of
		// two concurrent edits, each stays awake that long on its writer's process, so at least one
		// of them meets the other's update awake, settles the merge, and its settle reaches this room.
		if (this.#asleep!.holdsAll(update)) return;
		this.#asleep = this.#asleep!.merged(update);
		this.#relayStored(update);
	}

	/**
	 * Applies another process's presence update; it is relayed with this room's next presence tick.
	 * An entry for a client id another person owns here is dropped (`PresenceIds.admitsRemote`).
	 */
	applyRemotePresence(update: Uint8Array, owners: ReadonlyMap<number, string> | undefined): void {
		if (this.#destroyed) return;
		this.#presence.applyRemote(update, (entry) =>
			this.presenceIds.admitsRemote(entry.clientId, owners?.get(entry.clientId), isRemoval(entry))
		);
	}

	presencePeerHeard(processId: string): void {
		this.#presencePeers?.heard(processId);
	}

	destroy(): void {
		this.#destroyed = true;
		this.link?.close();
		this.#pending = [];
		this.#foldBase = null;
		this.#foldLog = [];
		this.#progress.close('the room was closed');
		this.#presence.close();
		this.presenceIds.close();
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
	#relay({ changes, merged, upTo }: Batch): void {
		const origin = changes[0].origin;
		const except = changes.every((change) => change.origin === origin) ? origin : null;
		const frame = encodeSyncUpdate(merged);
		for (const connection of this.connections) {
			if (connection !== except) this.#progress.send(connection, frame, upTo);
		}
	}

	/** Sends an update that is already stored to every socket, after the frames held for each. */
	#relayStored(update: Uint8Array): void {
		const frame = encodeSyncUpdate(update);
		for (const connection of this.connections) this.#progress.send(connection, frame, 0);
	}

	/** The owners of these client ids, as this process knows them, for the other processes. */
	#ownersOf(clientIds: number[]): Map<number, string> {
		const owners = new Map<number, string>();
		for (const id of clientIds) {
			const owner = this.presenceIds.ownerOf(id);
			if (owner !== undefined) owners.set(id, owner);
		}
		return owners;
	}

	#wake(): Y.Doc {
		if (this.#destroyed) throw new Error(`board ${this.boardId}: the room was closed`);
		const doc = new Y.Doc({ gc: true });
		Y.applyUpdate(doc, this.#asleep!.state);
		this.#wokeFrom = this.#asleep!.state;
		this.#foldBase = this.#asleep!.state;
		this.#foldLog = [];
		this.#asleep = null;
		doc.on('update', this.#onUpdate);
		doc.on('afterTransaction', this.#onTransaction);
		this.#reporter.watch(doc);
		// Typed before any update arrives: a root first made by an update is replaced by its typed
		// instance when asked for later, and the transaction that made it would name the old one.
		doc.getMap('actions');
		this.#doc = doc;
		this.#lastWrite = performance.now();
		return doc;
	}

	#onUpdate = (update: Uint8Array, origin: unknown) => {
		if (origin === STORED_ELSEWHERE) {
			this.#wokeFrom = null;
			this.#relayStored(update);
			return;
		}
		this.#lastWrite = performance.now();
		this.#wokeFrom = null;
		this.#progress.applied();
		if (this.#pending.length === 0) this.#log.add(this);
		this.#pending.push({ update, origin: isConnection(origin) ? origin : null });
	};

	/**
	 * After another process's update merged here: strings whose text it touched (or whose string
	 * it set) take their text, as a server edit stored and relayed like any other (docs/api.md,
	 * "Collaborative text"). The text is never written from the string here: the string may be
	 * that process's settle from before it saw this one's typing.
	 */
	#settleStoredElsewhere(): void {
		const changes = this.#unsettledElsewhere;
		this.#unsettledElsewhere = [];
		if (!this.#doc || changes.length === 0) return;
		this.#doc.transact(() => {
			for (const change of changes) settleStringsFromTexts(change);
		});
	}

	#onTransaction = (transaction: Y.Transaction) => {
		const elsewhere = transaction.origin === STORED_ELSEWHERE;
		if (!elsewhere && !isConnection(transaction.origin)) return;
		const changes = textChanges(transaction, transaction.doc.getMap('touchpoints'));
		if (changes.size === 0) return;
		if (elsewhere) this.#unsettledElsewhere.push(changes);
		else this.#unsettled.push(changes);
	};
}
