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
