import type { Connection } from './connection';
import { DeferredWork } from './deferred-work';
import type { Room } from './room';
import type { BoardStore } from './storage/board-store';
import { RoomClosedError } from './store-progress';

/** One UTC day, the period of automatic versions (as in src/lib/server/versions.ts, which this file does not import: no database here). */
const DAY_MS = 24 * 60 * 60 * 1000;
/** Tries after a failed save of the day's version (its render queue full, storage failing), and the wait before the first; each wait doubles. */
export const DAILY_VERSION_RETRIES = 3;
export const DAILY_VERSION_RETRY_MS = 2_000;

/** The day's automatic version of each board: the state before its first real edit of the UTC day. */
export class DailyVersions {
	/** The UTC day of each board's last automatic version in this process, so the work below runs once a day. */
	readonly #versionedDay = new Map<string, number>();
	readonly #deferred = new DeferredWork();

	constructor(private readonly store: BoardStore) {}

	/** Applies a writer's update; the day's first real edit of a board first keeps the state before it. */
	apply(room: Room, update: Uint8Array, origin: Connection): void {
		const day = Math.floor(Date.now() / DAY_MS);
		if (this.#versionedDay.get(room.boardId) === day) {
			room.applyUpdate(update, origin);
			return;
		}
		// Usually the state the room woke with, so nothing is encoded on the write's path.
		const before = room.encodedState();
		// A reconnecting client's sync often carries nothing new: that is no edit.
		if (!room.applyUpdate(update, origin)) return;
		this.#versionedDay.set(room.boardId, day);
		// After this turn's edits are stored and relayed: they do not wait for it. The store keeps
		// one a day per board, so after a restart it saves nothing when the day already has one.
		const what = `board ${room.boardId}: saving the day's version`;
		this.#deferred.add(what, () => {
			room
				.whenStored()
				.then(() => this.#save(room.boardId, before))
				.catch((error) => {
					// The room closed or failed to store the edit: no edit, no version.
					if (!(error instanceof RoomClosedError)) console.error(`${what} failed`, error);
				});
		});
	}

	/** Saves the day's version, trying again a little later when that fails (many boards waking at once fill the render queue). */
	async #save(boardId: string, before: Uint8Array): Promise<void> {
		for (let attempt = 0; ; attempt++) {
			try {
				await this.store.saveDailyVersion(boardId, before);
				return;
			} catch (error) {
				if (attempt >= DAILY_VERSION_RETRIES) throw error;
				await new Promise((resolve) => setTimeout(resolve, DAILY_VERSION_RETRY_MS * 2 ** attempt).unref());
			}
		}
	}
}
