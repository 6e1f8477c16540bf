import type { Db } from '../src/lib/server/db';
import { isLocked } from '../src/lib/server/facilitation';

/** Lock state per board, read once from the store and kept current by the hub's `setLocked`. */
export class LockCache {
	readonly #locked = new Map<string, boolean>();

	constructor(private readonly db: Db) {}

	/** Whether the board is locked (only owners' document writes are applied). */
	isLocked(boardId: string): boolean {
		let locked = this.#locked.get(boardId);
		if (locked === undefined) {
			locked = isLocked(this.db, boardId);
			this.#locked.set(boardId, locked);
		}
		return locked;
	}

	/** How many times `set` was called, so a refresh does not undo a newer state. */
	#sets = 0;

	/** Records a board's new lock state. */
	set(boardId: string, locked: boolean): void {
		this.#sets += 1;
		this.#locked.set(boardId, locked);
	}

	/**
	 * Reads every known board's lock state again, keeping it known meanwhile (sockets on the board
	 * are judged by it): a change made by another process while they could not tell us was missed.
	 */
	refresh(): void {
		for (const boardId of this.#locked.keys()) {
			const setsBefore = this.#sets;
			Promise.resolve(isLocked(this.db, boardId)).then(
				(locked) => {
					// A `set` while the read was under way is newer than what it read.
					if (this.#sets === setsBefore && this.#locked.has(boardId)) this.#locked.set(boardId, locked);
				},
				(error: unknown) => console.error(`board ${boardId}: reading the lock state again failed`, error)
			);
		}
	}

	/** Forgets a deleted board. */
	forget(boardId: string): void {
		this.#locked.delete(boardId);
	}
}
