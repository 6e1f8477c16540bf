/**
 * The bytes queued to sync sockets: per socket (`bufferedAmount`, what it has not read yet) and
 * for all sockets together. A frame queued to many sockets (a relayed edit, the whole state a
 * newcomer gets) is one buffer in memory, so it counts once in the total, from the first send
 * until the last socket has written it out (or closed).
 */
export class SendBudget {
	readonly #holders = new Map<Uint8Array, number>();
	#bytes = 0;

	constructor(
		/** Bytes one socket may have queued when another frame is added (`SYNC_MAX_QUEUED_MB`). */
		readonly perSocketBytes: number,
		/** Bytes all sockets together may have queued (`SYNC_MAX_QUEUED_TOTAL_MB`). */
		readonly totalBytes: number
	) {}

	/** Bytes queued to all sockets, each frame counted once. */
	get bytes(): number {
		return this.#bytes;
	}

	/**
	 * Whether a socket with `queued` bytes not yet written may take `frame`. A socket that has
	 * read everything takes any frame (a board larger than the budget still loads); one that lags
	 * takes it only if it stays within its budget. A new frame must also fit the total.
	 */
	admits(queued: number, frame: Uint8Array): boolean {
		if (queued > 0 && queued + frame.byteLength > this.perSocketBytes) return false;
		return this.#holders.has(frame) || this.#bytes + frame.byteLength <= this.totalBytes;
	}

	/** Counts `frame` as queued until the returned function is called; calling it again does nothing. */
	hold(frame: Uint8Array): () => void {
		const holders = this.#holders.get(frame) ?? 0;
		if (holders === 0) this.#bytes += frame.byteLength;
		this.#holders.set(frame, holders + 1);
		let held = true;
		return () => {
			if (!held) return;
			held = false;
			const left = this.#holders.get(frame)! - 1;
			if (left > 0) return void this.#holders.set(frame, left);
			this.#holders.delete(frame);
			this.#bytes -= frame.byteLength;
		};
	}
}
