import { LocalDelays, LocalPaces, LocalWindows, type PaceTurn, type WindowOp } from './counters/local-counters';
import { sharedCounters } from './counters/process-counters';
import type { SharedCounters } from './counters/shared-counters';

export type { PaceTurn } from './counters/local-counters';

/**
 * Where a limiter counts: `undefined` (the default) for the process's shared counters (Redis with
 * `REDIS_URL`, else none), a `SharedCounters` of one's own, or `null` for this process only.
 */
export type CountersChoice = SharedCounters | null | undefined;

/**
 * Runs an operation on the shared counters when there are any and they can be reached, else on
 * the process's own: a limit never goes unenforced because Redis is away, it holds per process.
 */
async function counted<T>(choice: CountersChoice, shared: (counters: SharedCounters) => Promise<T>, local: () => T): Promise<T> {
	const counters = choice === undefined ? sharedCounters() : choice;
	if (!counters?.available) return local();
	try {
		return await shared(counters);
	} catch (error) {
		counters.failed(error);
		return local();
	}
}

/**
 * A fixed-window counter of failures per key, e.g. failed log-ins per email and address. `name`
 * identifies the limit: with `REDIS_URL`, limiters of the same name in every process count together.
 */
export class FailureThrottle {
	readonly #local: LocalWindows;

	constructor(
		readonly name: string,
		readonly maxFailures: number,
		readonly windowMs: number,
		private readonly counters?: CountersChoice
	) {
		this.#local = new LocalWindows({ max: maxFailures, windowMs });
	}

	/** Milliseconds the key stays blocked, having used up its failures in the current window (0: not blocked). */
	blockedForMs(key: string, now = Date.now()): Promise<number> {
		return this.#run(key, 'check', now);
	}

	/** Counts one failure against the key. */
	async fail(key: string, now = Date.now()): Promise<void> {
		await this.#run(key, 'fail', now);
	}

	/** Counts one use of the key unless it is blocked, in one step: 0 when counted, else the milliseconds it stays blocked. */
	take(key: string, now = Date.now()): Promise<number> {
		return this.#run(key, 'take', now);
	}

	/** Forgets the key's failures (after a success). */
	async reset(key: string): Promise<void> {
		await this.#run(key, 'reset', Date.now());
	}

	#run(key: string, op: WindowOp, now: number): Promise<number> {
		const limit = this.#local.limit;
		return counted(
			this.counters,
			(shared) => shared.window(this.name, key, op, limit, now),
			() => this.#local.run(key, op, now)
		);
	}
}

/**
 * Failures per key with growing delays: `budget` failures within `forgetAfterMs` of each other
 * may be made at once; the last of them blocks the key for `firstDelayMs`, and each further one
 * (made once the block ended) for twice as long as the one before, up to `maxDelayMs`. A key is
 * forgotten `forgetAfterMs` after its last failure or block. `name` as for `FailureThrottle`.
 */
export class GrowingDelay {
	readonly #local: LocalDelays;

	constructor(
		readonly name: string,
		readonly budget: number,
		readonly firstDelayMs: number,
		readonly maxDelayMs: number,
		readonly forgetAfterMs: number,
		private readonly counters?: CountersChoice
	) {
		this.#local = new LocalDelays({ budget, firstDelayMs, maxDelayMs, forgetAfterMs });
	}

	/** Milliseconds the key must still wait (0 when it may try now). */
	retryAfterMs(key: string, now = Date.now()): Promise<number> {
		return this.#run(key, 'check', now);
	}

	/** Counts one failure against the key; past the free ones it blocks the key. */
	async fail(key: string, now = Date.now()): Promise<void> {
		await this.#run(key, 'fail', now);
	}

	/** Forgets the key (e.g. after its password was reset). */
	async reset(key: string): Promise<void> {
		await this.#run(key, 'reset', Date.now());
	}

	#run(key: string, op: 'check' | 'fail' | 'reset', now: number): Promise<number> {
		const limit = this.#local.limit;
		return counted(
			this.counters,
			(shared) => shared.delay(this.name, key, op, limit, now),
			() => this.#local.run(key, op, now)
		);
	}
}

/**
 * A rate per key whose callers wait their turn rather than being refused at once: `burst` turns
 * may be taken together, then one each `60_000 / perMinute` ms. A turn further away than
 * `maxWaitMs` is refused and not taken, so a key never has more than `maxWaitMs` of turns waiting,
 * and a client that loops requests is slowed to the rate without being answered any faster.
 * `name` as for `FailureThrottle`.
 */
export class PacedRate {
	readonly #local: LocalPaces;

	constructor(
		readonly name: string,
		readonly perMinute: number,
		readonly burst: number,
		readonly maxWaitMs: number,
		private readonly counters?: CountersChoice
	) {
		this.#local = new LocalPaces({ msPerTurn: 60_000 / perMinute, burst, maxWaitMs });
	}

	/** Takes the key's next turn: taken after `waitMs` (0: now), or refused when further than `maxWaitMs` away, with when it would come. */
	take(key: string, now = Date.now()): Promise<PaceTurn> {
		const limit = this.#local.limit;
		return counted(
			this.counters,
			(shared) => shared.pace(this.name, key, limit, now),
			() => this.#local.take(key, now)
		);
	}
}
