import type { Db } from '../src/lib/server/db';
import { appendUpdates } from '../src/lib/server/doc-store';
import type { Connection } from './connection';
import type { Room } from './room';
import type { UnstoredRegistry } from './unstored';

/** A document change applied in this event-loop turn and not yet stored. */
export interface PendingChange {
	update: Uint8Array;
	origin: Connection | null;
}

/** One room's changes of a turn, merged into the one update that is stored and relayed. */
export interface Batch {
	room: Room;
	changes: PendingChange[];
	merged: Uint8Array;
}

/**
 * Stores the changes every room made in one event-loop turn in one SQLite transaction, right after
 * the turn, then lets each room relay its own. One transaction per turn rather than per room or
 * per update: a commit costs far more than a row.
 */
export class TurnLog {
	readonly #dirty = new Set<Room>();
	#queued = false;

	constructor(
		private readonly db: Db,
		private readonly unstored: UnstoredRegistry
	) {}

	/** Marks a room as holding unstored changes; they are stored after this turn. */
	add(room: Room): void {
		this.#dirty.add(room);
		this.unstored.markUnstored(this);
		if (this.#queued) return;
		this.#queued = true;
		// After the turn's I/O callbacks, so every frame read in this turn joins the batch.
		setImmediate(() => {
			this.#queued = false;
			this.flush();
		});
	}

	/** Stores every dirty room's changes in one transaction, then relays them. */
	flush(): void {
		if (this.#dirty.size === 0) return;
		const batches: Batch[] = [];
		for (const room of this.#dirty) {
			const batch = room.takeBatch();
			if (batch) batches.push(batch);
		}
		this.#dirty.clear();
		this.unstored.markStored(this);
		try {
			appendUpdates(
				this.db,
				batches.map(({ room, merged }) => ({ boardId: room.boardId, update: merged }))
			);
		} catch {
			// Nothing of the turn is stored and nobody has seen it. One board's failure (say, deleted
			// meanwhile) must not take the others down: each is tried on its own.
			for (const batch of batches) this.#storeAlone(batch);
			return;
		}
		for (const batch of batches) batch.room.stored(batch);
	}

	#storeAlone(batch: Batch): void {
		try {
			appendUpdates(this.db, [{ boardId: batch.room.boardId, update: batch.merged }]);
		} catch (error) {
			// The room is reloaded and its clients resend their changes.
			batch.room.storeFailed(error);
			return;
		}
		batch.room.stored(batch);
	}
}
