import { readConfig } from '../src/lib/server/config';
import { CLOSE_CODES } from './close-codes';
import type { BoardBus } from './cluster/board-bus';
import { BoardSubscriptions } from './cluster/board-subscriptions';
import type { SharedPresenceOwners } from './cluster/presence-owners';
import { DeferredWork } from './deferred-work';
import { failureCloseCode } from './failure-close-code';
import { Room, type SnapshotFolder } from './room';
import type { BoardEvents, BoardStore, StoredBoard } from './storage/board-store';
import { TurnLog } from './turn-log';

/** How long a room's document stays loaded after its last socket leaves. */
export const ROOM_UNLOAD_DELAY_MS = 5_000;

/** A room could not be opened because the board was closed (deleted) while it loaded; `code` is the socket's close code. */
export class RoomDroppedError extends Error {
	constructor(
		readonly boardId: string,
		readonly code: number
	) {
		super(`board ${boardId}: closed while loading`);
	}
}

/**
 * The live rooms: get-or-load on connect, asleep while nobody writes, unloaded shortly after the
 * last socket leaves. They reach storage only through the `BoardStore` they are given.
 */
export class Rooms {
	readonly #rooms = new Map<string, Room>();
	/** Boards being loaded, each load shared by every socket that waits for it. */
	readonly #loading = new Map<string, Promise<Room>>();
	/** Boards dropped while loading, with the close code their sockets get. */
	readonly #droppedWhileLoading = new Map<string, number>();
	/** Boards whose last room is still storing or compacting: a new room loads once that is done. */
	readonly #closing = new Map<string, Promise<void>>();
	readonly #unloadTimers = new Map<string, NodeJS.Timeout>();
	readonly #log: TurnLog;
	readonly #compactions = new DeferredWork();
	readonly #sleeper: NodeJS.Timeout;
	/** Subscriptions to other processes' messages, when there is a bus. */
	readonly #subscriptions: BoardSubscriptions | null;
	readonly #bus: BoardBus | null;
	readonly #presenceOwners: SharedPresenceOwners | null;

	constructor(
		private readonly store: BoardStore,
		private readonly events: BoardEvents,
		private readonly unloadDelayMs = ROOM_UNLOAD_DELAY_MS,
		/** How long a room's `Y.Doc` outlives the last write to it (`ROOM_SLEEP_SECONDS`). */
		sleepAfterMs = readConfig().roomSleepMs,
		/**
		 * Other processes serving the same boards (`REDIS_URL`), how often to poll the store while the
		 * bus is down, and the presence client ids' owners shared with them; none: this process alone.
		 */
		cluster: { bus: BoardBus; pollMs?: number; presenceOwners?: SharedPresenceOwners | null } | null = null,
		/** Where live rooms' compactions are folded (a worker thread); by default in this thread. */
		private readonly fold?: SnapshotFolder
	) {
		this.#log = new TurnLog(store);
		this.#bus = cluster?.bus ?? null;
		this.#presenceOwners = cluster?.presenceOwners ?? null;
		this.#subscriptions = cluster && new BoardSubscriptions(cluster.bus, this, cluster.pollMs);
		this.#sleeper = setInterval(() => {
			const before = performance.now() - sleepAfterMs;
			for (const room of this.#rooms.values()) room.sleepIfIdle(before);
		}, sleepAfterMs / 2);
		this.#sleeper.unref();
	}

	/**
	 * The board's room, loading its document from the store when needed. Rejects with the store's
	 * error when it cannot be read, and with RoomDroppedError when the board is closed meanwhile.
	 */
	open(boardId: string): Promise<Room> {
		this.#cancelUnload(boardId);
		const room = this.#rooms.get(boardId);
		if (room) return Promise.resolve(room);
		let loading = this.#loading.get(boardId);
		if (!loading) {
			loading = this.#load(boardId).finally(() => this.#loading.delete(boardId));
			this.#loading.set(boardId, loading);
		}
		return loading;
	}

	/** The board's room if it is loaded, kept loaded for a socket joining it now (no waiting for a load). */
	openLoaded(boardId: string): Room | undefined {
		const room = this.#rooms.get(boardId);
		if (room) this.#cancelUnload(boardId);
		return room;
	}

	/** The room if it is loaded. */
	peek(boardId: string): Room | undefined {
		return this.#rooms.get(boardId);
	}

	get size(): number {
		return this.#rooms.size;
	}

	loadedRooms(): IterableIterator<Room> {
		return this.#rooms.values();
	}

	/** Schedules the room's unload when nobody is left in it. */
	released(room: Room): void {
		if (room.connections.size > 0 || this.#unloadTimers.has(room.boardId) || this.#rooms.get(room.boardId) !== room) return;
		const timer = setTimeout(() => {
			this.#unloadTimers.delete(room.boardId);
			// Someone joined meanwhile without the timer being cancelled: the room stays.
			if (room.connections.size === 0) void this.#unload(room.boardId);
		}, this.unloadDelayMs);
		timer.unref();
		this.#unloadTimers.set(room.boardId, timer);
	}

	/**
	 * Closes every socket of a room and forgets it without writing (deleted or broken board). A
	 * store call still in flight for it is waited for before the board loads again.
	 */
	drop(boardId: string, code: number): void {
		const room = this.#rooms.get(boardId);
		if (!room) {
			if (this.#loading.has(boardId)) this.#droppedWhileLoading.set(boardId, code);
			return;
		}
		this.#cancelUnload(boardId);
		this.#rooms.delete(boardId);
		this.#subscriptions?.unloaded(boardId);
		for (const connection of room.connections) connection.socket.close(code);
		room.destroy();
		this.#whileClosing(boardId, this.#log.settled());
	}

	/** Compacts and unloads every room (shutdown); resolves once every one is stored and compacted. */
	async closeAll(): Promise<void> {
		clearInterval(this.#sleeper);
		this.#subscriptions?.close();
		await Promise.all([...this.#rooms.keys()].map((boardId) => this.#unload(boardId)));
	}

	async #load(boardId: string): Promise<Room> {
		await this.#closing.get(boardId);
		// Subscribed first: an update stored by another process while this one loads is either in
		// the loaded state or arrives after it.
		await this.#subscriptions?.beforeLoad(boardId);
		const stored = await this.store.load(boardId).then(
			(board) => ({ board }),
			(error: unknown) => ({ error })
		);
		const dropped = this.#droppedWhileLoading.get(boardId);
		this.#droppedWhileLoading.delete(boardId);
		if (dropped !== undefined || 'error' in stored) {
			if (!this.#rooms.has(boardId)) this.#subscriptions?.unloaded(boardId);
			if (dropped !== undefined) throw new RoomDroppedError(boardId, dropped);
			throw (stored as { error: unknown }).error;
		}
		const room = this.#create(boardId, stored.board);
		this.#subscriptions?.loaded(room);
		return room;
	}

	#create(boardId: string, stored: StoredBoard): Room {
		const room = new Room(boardId, stored, {
			store: this.store,
			events: this.events,
			log: this.#log,
			compactions: this.#compactions,
			bus: this.#bus,
			presenceOwners: this.#presenceOwners,
			fold: this.fold,
			onBroken: (broken, error) => {
				if (this.#rooms.get(broken.boardId) === broken) this.drop(broken.boardId, failureCloseCode(error));
			}
		});
		this.#rooms.set(boardId, room);
		return room;
	}

	async #unload(boardId: string): Promise<void> {
		this.#cancelUnload(boardId);
		const room = this.#rooms.get(boardId);
		if (!room) return;
		this.#rooms.delete(boardId);
		this.#subscriptions?.unloaded(boardId);
		for (const connection of room.connections) connection.socket.close(CLOSE_CODES.goingAway);
		// Every change is stored first; a failed compaction leaves the log, which the next load replays.
		const compacted = room.compact().finally(() => room.destroy());
		this.#whileClosing(boardId, compacted);
		await compacted;
	}

	#whileClosing(boardId: string, done: Promise<void>): void {
		const closing = Promise.allSettled([this.#closing.get(boardId), done]).then(() => {
			if (this.#closing.get(boardId) === closing) this.#closing.delete(boardId);
		});
		this.#closing.set(boardId, closing);
	}

	#cancelUnload(boardId: string): void {
		const timer = this.#unloadTimers.get(boardId);
		if (timer) clearTimeout(timer);
		this.#unloadTimers.delete(boardId);
	}
}
