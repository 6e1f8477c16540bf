import type { Connection } from './connection';
import type { Room } from './room';
import type { AppendReceipt, BoardStore } from './storage/board-store';

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
	/** The room's change count the batch holds changes up to (`StoreProgress`). */
	upTo: number;
	/** Its sequence number in the board's log once stored, from a store that numbers logs. */
	seq?: number;
}

/**
 * Stores the changes every room made in one event-loop turn in one transaction of the board
 * store, right after the turn, then lets each room relay its own. One transaction per turn rather
 * than per room or per update: a commit costs far more than a row.
 *
 * One commit is in flight at a time. Changes made while it is (further turns, or a store that
 * answers over the network) wait and go together in the next one, right after it resolves: so a
 * board's batches are stored, and relayed, in the order they were made.
 */
export class TurnLog {
	readonly #dirty = new Set<Room>();
	#queued = false;
	/** The commit in flight, if any. */
	#committing: Promise<void> | null = null;

	constructor(private readonly store: BoardStore) {}

	/** Marks a room as holding unstored changes; they are stored after this turn. */
	add(room: Room): void {
		this.#dirty.add(room);
		if (this.#queued) return;
		this.#queued = true;
		// After the turn's I/O callbacks, so every frame read in this turn joins the batch.
		setImmediate(() => {
			this.#queued = false;
			this.flush();
		});
	}

	/** Starts storing every dirty room's changes in one transaction (unless a commit is in flight: then right after it). */
	flush(): void {
		if (this.#committing || this.#dirty.size === 0) return;
		const batches: Batch[] = [];
		for (const room of this.#dirty) {
			const batch = room.takeBatch();
			if (batch) batches.push(batch);
		}
		this.#dirty.clear();
		if (batches.length === 0) return;
		this.#committing = this.#commit(batches).finally(() => {
			this.#committing = null;
			this.flush();
		});
	}

	/** Resolves once the commit in flight, if any, has settled (its rooms have relayed or failed). */
	settled(): Promise<void> {
		return this.#committing ?? Promise.resolve();
	}

	async #commit(batches: Batch[]): Promise<void> {
		let receipt: AppendReceipt;
		try {
			receipt = await this.store.append(batches.map(({ room, merged }) => ({ boardId: room.boardId, update: merged })));
		} catch {
			// Nothing of the turn is stored and nobody has seen it. One board's failure (say, deleted
			// meanwhile) must not take the others down: each is tried on its own, in order.
			for (const batch of batches) await this.#storeAlone(batch);
			return;
		}
		for (const batch of batches) relay(batch, receipt);
	}

	async #storeAlone(batch: Batch): Promise<void> {
		let receipt: AppendReceipt;
		try {
			receipt = await this.store.append([{ boardId: batch.room.boardId, update: batch.merged }]);
		} catch (error) {
			// The room is dropped; its writers resend their changes to a reloaded one.
			batch.room.storeFailed(error);
			return;
		}
		relay(batch, receipt);
	}
}

/** A stored batch goes out; one room's broken relay must not keep the others' from theirs. */
function relay(batch: Batch, { sequences }: AppendReceipt): void {
	// One batch per room and board in an append, so the board's last number is the batch's.
	batch.seq = sequences?.get(batch.room.boardId);
	try {
		batch.room.stored(batch);
	} catch (error) {
		console.error(`board ${batch.room.boardId}: relaying stored changes failed`, error);
	}
}
