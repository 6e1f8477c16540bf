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

const PRUNE_EVERY = 256;

/**
 * Failures per key with growing delays: `budget` failures within `forgetAfterMs` of each other
 * may be made at once; the last of them blocks the key for `firstDelayMs`, and each further one
 * (made once the block ended) for twice as long as the one before, up to `maxDelayMs`. A key is forgotten `forgetAfterMs` after its last failure or block.
 */
export class GrowingDelay {
	readonly #entries = new Map<string, { failures: number; blockedUntil: number; lastAt: number }>();

	constructor(
		readonly budget: number,
		readonly firstDelayMs: number,
		readonly maxDelayMs: number,
		readonly forgetAfterMs: number
	) {}

	/** Milliseconds the key must still wait (0 when it may try now). */
	retryAfterMs(key: string, now = Date.now()): number {
		const entry = this.#live(key, now);
		return entry ? Math.max(0, entry.blockedUntil - now) : 0;
	}

	/** Counts one failure against the key; past the free ones it blocks the key. */
	fail(key: string, now = Date.now()): void {
		const entry = this.#live(key, now) ?? { failures: 0, blockedUntil: 0, lastAt: now };
		entry.failures += 1;
		entry.lastAt = now;
		const excess = entry.failures - this.budget;
		if (excess >= 0) entry.blockedUntil = now + Math.min(this.maxDelayMs, this.firstDelayMs * 2 ** Math.min(excess, 30));
		if (!this.#entries.has(key)) {
			this.#entries.set(key, entry);
			// Sweeping every so many new keys keeps the map bounded without an O(n) walk per failure.
			if (this.#entries.size % PRUNE_EVERY === 0) this.#prune(now);
		}
	}

	/** Forgets the key (e.g. after its password was reset). */
	reset(key: string): void {
		this.#entries.delete(key);
	}

	#live(key: string, now: number) {
		const entry = this.#entries.get(key);
		if (entry && now >= Math.max(entry.lastAt, entry.blockedUntil) + this.forgetAfterMs) {
			this.#entries.delete(key);
			return undefined;
		}
		return entry;
	}

	#prune(now: number): void {
		for (const key of this.#entries.keys()) this.#live(key, now);
	}
}

/**
 * A rate per key whose callers wait their turn rather than being refused at once: `burst` turns
 * may be taken together, then one each `60_000 / perMinute` ms. A turn further away than
 * `maxWaitMs` is refused and not taken, so a key never has more than `maxWaitMs` of turns waiting,
 * and a client that loops requests is slowed to the rate without being answered any faster.
 */
export class PacedRate {
	readonly #keys = new Map<string, { turns: number; at: number }>();
	readonly #msPerTurn: number;

	constructor(
		readonly perMinute: number,
		readonly burst: number,
		readonly maxWaitMs: number
	) {
		this.#msPerTurn = 60_000 / perMinute;
	}

	/** Takes the key's next turn: the milliseconds to wait for it (0: now), or null when it is further than `maxWaitMs` away. */
	take(key: string, now = Date.now()): number | null {
		const turns = this.#turns(key, now);
		const waitMs = turns >= 1 ? 0 : Math.ceil((1 - turns) * this.#msPerTurn);
		if (waitMs > this.maxWaitMs) return null;
		const known = this.#keys.has(key);
		this.#keys.set(key, { turns: turns - 1, at: now });
		if (!known && this.#keys.size % PRUNE_EVERY === 0) this.#prune(now);
		return waitMs;
	}

	/** Milliseconds until the key's next turn comes without waiting (0 when it has one now). */
	retryAfterMs(key: string, now = Date.now()): number {
		const turns = this.#turns(key, now);
		return turns >= 1 ? 0 : Math.ceil((1 - turns) * this.#msPerTurn);
	}

	/** The key's turns now: at most `burst`, below 1 while it has to wait, below 0 while others wait before it. */
	#turns(key: string, now: number): number {
		const entry = this.#keys.get(key);
		if (!entry) return this.burst;
		return Math.min(this.burst, entry.turns + (now - entry.at) / this.#msPerTurn);
	}

	/** Keys whose share has filled up again are the same as unknown ones: forgotten. */
	#prune(now: number): void {
		for (const key of [...this.#keys.keys()]) if (this.#turns(key, now) >= this.burst) this.#keys.delete(key);
	}
}
