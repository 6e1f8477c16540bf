import * as Y from 'yjs';

/**
 * A sleeping room's board: its whole state as one encoded V1 update, and what readers' syncs
 * need of it (its state vector, its delete set alone), computed once and kept.
 */
export class EncodedBoard {
	#stateVector: Uint8Array | null;
	#deletes: Uint8Array | null = null;

	constructor(
		readonly state: Uint8Array,
		stateVector: Uint8Array | null = null
	) {
		this.#stateVector = stateVector;
	}

	stateVector(): Uint8Array {
		return (this.#stateVector ??= Y.encodeStateVectorFromUpdate(this.state));
	}

	/** What a client with `stateVector` lacks, as an update; throws what Yjs throws for a malformed vector. */
	missing(stateVector: Uint8Array): Uint8Array {
		// An empty vector (a new client) takes the whole state as it is.
		if (stateVector.length === 1 && stateVector[0] === 0) return this.state;
		return Y.diffUpdate(this.state, stateVector);
	}

	/** Whether the state already holds everything of a (checked) update: a reconnecting reader's sync step 2 carries its whole delete set and nothing new. */
	holdsAll(update: Uint8Array): boolean {
		const stateVector = this.stateVector();
		const known = Y.decodeStateVector(stateVector);
		for (const [client, clock] of Y.parseUpdateMeta(update).to) {
			if ((known.get(client) ?? 0) < clock) return false;
		}
		// Merging a delete set we already cover changes nothing of ours (both are normalised).
		const deletes = (this.#deletes ??= Y.mergeUpdates([Y.diffUpdate(this.state, stateVector)]));
		const merged = Y.mergeUpdates([deletes, Y.diffUpdate(update, stateVector)]);
		return Buffer.compare(merged, deletes) === 0;
	}

	/** The board with `update` merged in. */
	merged(update: Uint8Array): EncodedBoard {
		return new EncodedBoard(Y.mergeUpdates([this.state, update]));
	}
}
