import type { Db } from '../src/lib/server/db';
import { isLocked } from '../src/lib/server/facilitation';

/**
 * Lock state per board, read once from the store and kept current by the hub's `setLocked`. A
 * socket joins its room only after `load`, so every frame it sends is judged synchronously, in order.
 */
export class LockCache {
	readonly #locked = new Map<string, boolean>();
	readonly #loading = new Map<string, Promise<void>>();

	constructor(private readonly db: Db) {}

	/** Reads the board's lock state unless it is known already. */
	load(boardId: string): Promise<void> {
		if (this.#locked.has(boardId)) return Promise.resolve();
		let loading = this.#loading.get(boardId);
		if (!loading) {
			loading = isLocked(this.db, boardId)
				.then((locked) => {
					// A `set` while the read was under way is newer than what it read.
					if (!this.#locked.has(boardId)) this.#locked.set(boardId, locked);
				})
				.finally(() => this.#loading.delete(boardId));
			this.#loading.set(boardId, loading);
		}
		return loading;
	}

	/** Whether the board's lock state is known (loaded or set). */
	has(boardId: string): boolean {
		return this.#locked.has(boardId);
	}

	/** Whether the board is locked (only owners' document writes are applied); known once `load` resolved. */
	isLocked(boardId: string): boolean {
		const locked = this.#locked.get(boardId);
		if (locked === undefined) throw new Error(`The lock state of board ${boardId} was not loaded`);
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
