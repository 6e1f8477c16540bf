/**
 * The in-process counters behind the rate limits: plain maps, read and written synchronously.
 * They are what a single process uses, and what each process falls back to while the shared
 * counters (Redis) cannot be reached. `redis-counters.ts` gives each operation the same meaning.
 */

/** Sweeping every so many new keys keeps a map bounded without an O(n) walk per operation. */
const PRUNE_EVERY = 256;

/** A fixed window of failures per key: `max` failures in the `windowMs` that began with the first. */
export interface WindowLimit {
	max: number;
	windowMs: number;
}

/** What a window operation does: read the key's block, count a failure, count it only when not blocked, or forget the key. */
export type WindowOp = 'check' | 'fail' | 'take' | 'reset';

/** Fixed windows of failures per key (`FailureThrottle`). */
export class LocalWindows {
	readonly #windows = new Map<string, { failures: number; resetAt: number }>();

	constructor(readonly limit: WindowLimit) {}

	/**
	 * Runs one operation; returns the milliseconds the key stays blocked (0: not blocked). `take`
	 * counts a failure only when the key is not blocked and then returns 0; `fail` counts one in any
	 * case and returns the block as it was before.
	 */
	run(key: string, op: WindowOp, now: number): number {
		if (op === 'reset') {
			this.#windows.delete(key);
			return 0;
		}
		let window = this.#windows.get(key);
		if (window && now >= window.resetAt) {
			this.#windows.delete(key);
			window = undefined;
		}
		const blockedForMs = window && window.failures >= this.limit.max ? window.resetAt - now : 0;
		if (op === 'check' || (op === 'take' && blockedForMs > 0)) return blockedForMs;
		if (window) window.failures += 1;
		else {
			this.#windows.set(key, { failures: 1, resetAt: now + this.limit.windowMs });
			if (this.#windows.size % PRUNE_EVERY === 0) this.#prune(now);
		}
		return op === 'take' ? 0 : blockedForMs;
	}

	#prune(now: number): void {
		for (const [key, window] of this.#windows) if (now >= window.resetAt) this.#windows.delete(key);
	}
}

/**
 * Growing delays per key: `budget` failures within `forgetAfterMs` of each other are free; the
 * last of them blocks the key for `firstDelayMs`, each further one twice as long, up to `maxDelayMs`.
 */
export interface DelayLimit {
	budget: number;
	firstDelayMs: number;
	maxDelayMs: number;
	forgetAfterMs: number;
}

/** What a delay operation does: read the key's wait, count a failure, or forget the key. */
export type DelayOp = 'check' | 'fail' | 'reset';

/** The block a key's failures earn: none within the budget, then doubling from `firstDelayMs` up to `maxDelayMs`. */
export function delayAfter(limit: DelayLimit, failures: number): number | null {
	const excess = failures - limit.budget;
	// 2^30 is far past any cap; the exponent is bounded so the product stays a finite number.
	return excess >= 0 ? Math.min(limit.maxDelayMs, limit.firstDelayMs * 2 ** Math.min(excess, 30)) : null;
}

/** Growing delays per key (`GrowingDelay`). */
export class LocalDelays {
	readonly #entries = new Map<string, { failures: number; blockedUntil: number; lastAt: number }>();

	constructor(readonly limit: DelayLimit) {}

	/** Runs one operation; returns the milliseconds the key must still wait (0: it may try now), after a `fail` too. */
	run(key: string, op: DelayOp, now: number): number {
		if (op === 'reset') {
			this.#entries.delete(key);
			return 0;
		}
		let entry = this.#live(key, now);
		if (op === 'fail') {
			entry ??= { failures: 0, blockedUntil: 0, lastAt: now };
			entry.failures += 1;
			entry.lastAt = now;
			const delayMs = delayAfter(this.limit, entry.failures);
			if (delayMs !== null) entry.blockedUntil = now + delayMs;
			if (!this.#entries.has(key)) {
				this.#entries.set(key, entry);
				if (this.#entries.size % PRUNE_EVERY === 0) this.#prune(now);
			}
		}
		return entry ? Math.max(0, entry.blockedUntil - now) : 0;
	}

	#live(key: string, now: number) {
		const entry = this.#entries.get(key);
		if (entry && now >= Math.max(entry.lastAt, entry.blockedUntil) + this.limit.forgetAfterMs) {
			this.#entries.delete(key);
			return undefined;
		}
		return entry;
	}

	#prune(now: number): void {
		for (const key of this.#entries.keys()) this.#live(key, now);
	}
}

/** A paced rate per key: `burst` turns at once, then one each `msPerTurn`; a turn further than `maxWaitMs` away is refused. */
export interface PaceLimit {
	msPerTurn: number;
	burst: number;
	maxWaitMs: number;
}

/** A turn taken (after `waitMs`, 0: now) or refused (it would come in `retryAfterMs`, further than the longest wait). */
export type PaceTurn = { taken: true; waitMs: number } | { taken: false; retryAfterMs: number };

/** Paced rates per key (`PacedRate`). */
export class LocalPaces {
	readonly #keys = new Map<string, { turns: number; at: number }>();

	constructor(readonly limit: PaceLimit) {}

	/** Takes the key's next turn unless it is further than `maxWaitMs` away. */
	take(key: string, now: number): PaceTurn {
		const turns = this.#turns(key, now);
		const waitMs = turns >= 1 ? 0 : Math.ceil((1 - turns) * this.limit.msPerTurn);
		if (waitMs > this.limit.maxWaitMs) return { taken: false, retryAfterMs: waitMs };
		const known = this.#keys.has(key);
		this.#keys.set(key, { turns: turns - 1, at: now });
		if (!known && this.#keys.size % PRUNE_EVERY === 0) this.#prune(now);
		return { taken: true, waitMs };
	}

	/** The key's turns now: at most `burst`, below 1 while it has to wait, below 0 while others wait before it. */
	#turns(key: string, now: number): number {
		const entry = this.#keys.get(key);
		if (!entry) return this.limit.burst;
		return Math.min(this.limit.burst, entry.turns + (now - entry.at) / this.limit.msPerTurn);
	}

	/** Keys whose share has filled up again are the same as unknown ones: forgotten. */
	#prune(now: number): void {
		for (const key of [...this.#keys.keys()]) if (this.#turns(key, now) >= this.limit.burst) this.#keys.delete(key);
	}
}
