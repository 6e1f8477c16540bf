/**
 * A token bucket: `burst` tokens at most, refilled at `perSecond`. Each socket gets its own
 * buckets, so one noisy client cannot spend anyone else's budget.
 */
export class TokenBucket {
	#tokens: number;
	#updatedAt: number;

	constructor(
		readonly perSecond: number,
		readonly burst: number,
		now = performance.now()
	) {
		this.#tokens = burst;
		this.#updatedAt = now;
	}

	/** Takes a token when one is left; false when the budget is spent. */
	take(now = performance.now()): boolean {
		this.#refill(now);
		if (this.#tokens < 1) return false;
		this.#tokens -= 1;
		return true;
	}

	/** Milliseconds until the next token is available (0 when one is available now). */
	waitMs(now = performance.now()): number {
		this.#refill(now);
		return this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) / this.perSecond) * 1000);
	}

	#refill(now: number): void {
		this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#updatedAt) / 1000) * this.perSecond);
		this.#updatedAt = now;
	}
}
