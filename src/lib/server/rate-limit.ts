/** A fixed-window counter of failures per key, e.g. failed log-ins per email and address. */
export class FailureThrottle {
	readonly #windows = new Map<string, { failures: number; resetAt: number }>();

	constructor(
		readonly maxFailures: number,
		readonly windowMs: number
	) {}

	/** True while the key has used up its failures in the current window. */
	isBlocked(key: string, now = Date.now()): boolean {
		const window = this.#windows.get(key);
		if (!window) return false;
		if (now >= window.resetAt) {
			this.#windows.delete(key);
			return false;
		}
		return window.failures >= this.maxFailures;
	}

	/** Milliseconds until the key's current window ends (0 when it has none). */
	retryAfterMs(key: string, now = Date.now()): number {
		const window = this.#windows.get(key);
		return window ? Math.max(0, window.resetAt - now) : 0;
	}

	/** Counts one failure against the key. */
	fail(key: string, now = Date.now()): void {
		const window = this.#windows.get(key);
		if (!window || now >= window.resetAt) {
			this.#windows.set(key, { failures: 1, resetAt: now + this.windowMs });
			this.#prune(now);
		} else {
			window.failures += 1;
		}
	}

	/** Forgets the key's failures (after a success). */
	reset(key: string): void {
		this.#windows.delete(key);
	}

	#prune(now: number): void {
		for (const [key, window] of this.#windows) if (now >= window.resetAt) this.#windows.delete(key);
	}
}
