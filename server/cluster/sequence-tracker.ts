/**
 * Which of a board's log sequence numbers a room holds: every one up to a watermark, plus those
 * seen ahead of it. Ahead ones are normal for a moment (this process's appends interleave with
 * other processes', whose messages arrive a little later); one that stays means a lost message.
 */
export class SequenceTracker {
	#watermark: number;
	readonly #ahead = new Set<number>();

	constructor(watermark: number) {
		this.#watermark = watermark;
	}

	/** Every sequence number up to this one is held. */
	get watermark(): number {
		return this.#watermark;
	}

	/** Whether some number between the watermark and one held ahead of it is missing. */
	get hasGap(): boolean {
		return this.#ahead.size > 0;
	}

	holds(seq: number): boolean {
		return seq <= this.#watermark || this.#ahead.has(seq);
	}

	/** Records one number as held. */
	mark(seq: number): void {
		if (this.holds(seq)) return;
		this.#ahead.add(seq);
		this.#advance();
	}

	/** Records every number up to `seq` as held (a state loaded with its `seq`). */
	markUpTo(seq: number): void {
		if (seq <= this.#watermark) return;
		this.#watermark = seq;
		for (const ahead of this.#ahead) if (ahead <= seq) this.#ahead.delete(ahead);
		this.#advance();
	}

	#advance(): void {
		while (this.#ahead.delete(this.#watermark + 1)) this.#watermark += 1;
	}
}
