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

	/**
	 * Whether a socket may take `frame`. A frame larger than the per-socket budget (the whole state
	 * of a large board) is taken while the socket has no other such frame queued, so a board larger
	 * than the budget still loads; it does not count against the budget. Any other frame must keep
	 * the socket's other queued bytes (`lagging`) within the budget. A new frame must also fit the
	 * total.
	 */
	admits(lagging: number, holdsOversize: boolean, frame: Uint8Array): boolean {
		const fits = frame.byteLength > this.perSocketBytes ? !holdsOversize : Math.max(0, lagging) + frame.byteLength <= this.perSocketBytes;
		return fits && (this.#holders.has(frame) || this.#bytes + frame.byteLength <= this.totalBytes);
	}

	/** Counts `frame` as queued until the returned function is called (once). */
	hold(frame: Uint8Array): () => void {
		this.#holders.set(frame, (this.#holders.get(frame) ?? 0) + 1);
		if (this.#holders.get(frame) === 1) this.#bytes += frame.byteLength;
		return () => {
			const left = this.#holders.get(frame)! - 1;
			if (left > 0) return void this.#holders.set(frame, left);
			this.#holders.delete(frame);
			this.#bytes -= frame.byteLength;
		};
	}
}

/** What is queued to one socket: its frames not yet written out, and the bytes of those larger than its budget. */
export class SocketQueue {
	readonly #releases = new Set<() => void>();
	#oversizeBytes = 0;

	constructor(private readonly budget: SendBudget) {}

	/** Whether the socket, with `buffered` bytes not yet written (`bufferedAmount`), may take `frame`. */
	admits(buffered: number, frame: Uint8Array): boolean {
		return this.budget.admits(buffered - this.#oversizeBytes, this.#oversizeBytes > 0, frame);
	}

	/**
	 * Whether the socket may hold back one more `frame` while its changes are being stored, with
	 * `held` bytes already held back for it (`heldOversize`: one of them larger than the budget):
	 * held frames count as queued, so a stalled store cannot let one socket's frames pile up.
	 */
	admitsHeld(buffered: number, held: number, heldOversize: boolean, frame: Uint8Array): boolean {
		return this.budget.admits(buffered - this.#oversizeBytes + held, this.#oversizeBytes > 0 || heldOversize, frame);
	}

	/** Whether a frame is larger than one socket's budget (and so counted on its own). */
	isOversize(frame: Uint8Array): boolean {
		return frame.byteLength > this.budget.perSocketBytes;
	}

	/** Whether the socket is still being sent a frame larger than its budget, or has its budget's worth queued besides. */
	lags(buffered: number): boolean {
		return this.#oversizeBytes > 0 || buffered >= this.budget.perSocketBytes;
	}

	/** Counts `frame` as queued; returns what to call once it is written out (or failed). */
	hold(frame: Uint8Array): () => void {
		const release = this.budget.hold(frame);
		const oversize = frame.byteLength > this.budget.perSocketBytes ? frame.byteLength : 0;
		this.#oversizeBytes += oversize;
		const done = () => {
			if (!this.#releases.delete(done)) return;
			this.#oversizeBytes -= oversize;
			release();
		};
		this.#releases.add(done);
		return done;
	}

	/** Releases every frame still counted (the socket closed). */
	clear(): void {
		for (const done of [...this.#releases]) done();
	}
}
