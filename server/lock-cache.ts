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

	/** Records a board's new lock state. */
	set(boardId: string, locked: boolean): void {
		this.#locked.set(boardId, locked);
	}

	/** Forgets every board's state: each is read from the store again when next asked. */
	clear(): void {
		this.#locked.clear();
	}

	/** Forgets a deleted board. */
	forget(boardId: string): void {
		this.#locked.delete(boardId);
	}
}
