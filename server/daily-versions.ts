import type { Db } from '../src/lib/server/db';
import { DAY_MS, ensureDailyVersion, hasDailyVersion } from '../src/lib/server/versions';
import type { Connection } from './connection';
import { DeferredWork } from './deferred-work';
import type { Room } from './room';

/** The day's automatic version of each board: the state before its first real edit of the UTC day. */
export class DailyVersions {
	/** The UTC day of each board's last automatic version, so the work below runs once a day. */
	readonly #versionedDay = new Map<string, number>();
	readonly #deferred = new DeferredWork();

	constructor(private readonly db: Db) {}

	/** Applies a writer's update; the day's first real edit of a board first keeps the state before it. */
	apply(room: Room, update: Uint8Array, origin: Connection): void {
		const day = Math.floor(Date.now() / DAY_MS);
		// After a restart the store may already hold the day's version: then nothing need be encoded.
		if (this.#versionedDay.get(room.boardId) !== day && hasDailyVersion(this.db, room.boardId)) this.#versionedDay.set(room.boardId, day);
		if (this.#versionedDay.get(room.boardId) === day) {
			room.applyUpdate(update, origin);
			return;
		}
		const before = room.encodedState();
		// A reconnecting client's sync often carries nothing new: that is no edit.
		if (!room.applyUpdate(update, origin)) return;
		this.#versionedDay.set(room.boardId, day);
		// After this turn's edits are stored and relayed: they do not wait for it.
		const what = `board ${room.boardId}: saving the day's version`;
		this.#deferred.add(what, () => {
			ensureDailyVersion(this.db, room.boardId, before).catch((error) => console.error(`${what} failed`, error));
		});
	}
}
