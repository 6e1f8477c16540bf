import { readConfig } from '../src/lib/server/config';
import type { Db } from '../src/lib/server/db';
import { CLOSE_CODES } from './close-codes';
import { failureCloseCode } from './failure-close-code';
import { Room } from './room';
import { TurnLog } from './turn-log';
import { UnstoredRegistry } from './unstored';

/** How long a room's document stays loaded after its last socket leaves. */
export const ROOM_UNLOAD_DELAY_MS = 5_000;

/**
 * The live rooms: get-or-load on connect, asleep while nobody writes, unloaded shortly after the
 * last socket leaves.
 */
export class Rooms {
	/** This server's unstored changes: every socket of its rooms sends through them. */
	readonly unstored = new UnstoredRegistry();
	readonly #rooms = new Map<string, Room>();
	readonly #unloadTimers = new Map<string, NodeJS.Timeout>();
	readonly #log: TurnLog;
	readonly #sleeper: NodeJS.Timeout;

	constructor(
		private readonly db: Db,
		private readonly unloadDelayMs = ROOM_UNLOAD_DELAY_MS,
		/** How long a room's `Y.Doc` outlives the last write to it (`ROOM_SLEEP_SECONDS`). */
		sleepAfterMs = readConfig().roomSleepMs
	) {
		this.#log = new TurnLog(db, this.unstored);
		this.#sleeper = setInterval(() => {
			const before = performance.now() - sleepAfterMs;
			for (const room of this.#rooms.values()) room.sleepIfIdle(before);
		}, sleepAfterMs / 2);
		this.#sleeper.unref();
	}

	/** The board's room, loading its document from the store when needed. */
	get(boardId: string): Room {
		this.#cancelUnload(boardId);
		let room = this.#rooms.get(boardId);
		if (!room) {
			room = new Room(boardId, this.db, this.#log, (broken, error) => this.drop(broken.boardId, failureCloseCode(error)));
			this.#rooms.set(boardId, room);
		}
		return room;
	}

	/** The room if it is loaded. */
	peek(boardId: string): Room | undefined {
		return this.#rooms.get(boardId);
	}

	get size(): number {
		return this.#rooms.size;
	}

	all(): IterableIterator<Room> {
		return this.#rooms.values();
	}

	/** Schedules the room's unload when nobody is left in it. */
	released(room: Room): void {
		if (room.connections.size > 0 || this.#unloadTimers.has(room.boardId)) return;
		const timer = setTimeout(() => this.#unload(room.boardId), this.unloadDelayMs);
		timer.unref();
		this.#unloadTimers.set(room.boardId, timer);
	}

	/** Closes every socket of a room and forgets it without writing (deleted or broken board). */
	drop(boardId: string, code: number): void {
		const room = this.#rooms.get(boardId);
		if (!room) return;
		this.#cancelUnload(boardId);
		this.#rooms.delete(boardId);
		for (const connection of room.connections) connection.socket.close(code);
		room.destroy();
	}

	/** Compacts and unloads every room (shutdown). */
	closeAll(): void {
		clearInterval(this.#sleeper);
		for (const boardId of [...this.#rooms.keys()]) this.#unload(boardId);
	}

	#unload(boardId: string): void {
		this.#cancelUnload(boardId);
		const room = this.#rooms.get(boardId);
		if (!room) return;
		this.#rooms.delete(boardId);
		for (const connection of room.connections) connection.socket.close(CLOSE_CODES.goingAway);
		try {
			room.compact();
		} catch (error) {
			// The log still holds every update; the next load replays it.
			console.error(`board ${boardId}: compaction on unload failed`, error);
		}
		room.destroy();
	}

	#cancelUnload(boardId: string): void {
		const timer = this.#unloadTimers.get(boardId);
		if (timer) clearTimeout(timer);
		this.#unloadTimers.delete(boardId);
	}
}
