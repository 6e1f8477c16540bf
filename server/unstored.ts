/** Something holding document changes that are applied to a live document but not yet stored. */
export interface UnstoredChanges {
	/** Stores them (and relays them). */
	flush(): void;
}

/**
 * One sync server's changes that must be stored before any document content leaves it (write
 * before relay). Owned by that server's `Rooms`, so servers sharing a process never share it.
 */
export class UnstoredRegistry {
	readonly #unstored = new Set<UnstoredChanges>();

	/** Registers changes that must be stored before any document content is sent. */
	markUnstored(changes: UnstoredChanges): void {
		this.#unstored.add(changes);
	}

	/** Unregisters them once stored. */
	markStored(changes: UnstoredChanges): void {
		this.#unstored.delete(changes);
	}

	/** Stores every registered change. */
	flushAll(): void {
		if (this.#unstored.size === 0) return;
		for (const changes of [...this.#unstored]) changes.flush();
	}
}
