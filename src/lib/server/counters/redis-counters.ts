import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { failFastRedisOptions } from '../redis-options';
import { DELAY_SCRIPT, PACE_SCRIPT, WINDOW_SCRIPT } from './counter-scripts';
import type { DelayLimit, DelayOp, PaceLimit, PaceTurn, WindowLimit, WindowOp } from './local-counters';

/** Prefix of every counter key, beside the board bus's `journey:` channels. */
const KEY_PREFIX = 'journey:limit:';
/** Longest a counter operation may take before the process counts it locally instead. */
export const COUNTERS_COMMAND_TIMEOUT_MS = 1_000;
/** After an operation failed, how long operations are counted locally without trying Redis: a slow Redis does not slow every request. */
export const COUNTERS_RETRY_AFTER_MS = 2_000;

/** A compiled script: its text, and the SHA-1 `EVALSHA` names it by. */
interface Script {
	lua: string;
	sha: string;
}

function script(lua: string): Script {
	return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

const SCRIPTS = { window: script(WINDOW_SCRIPT), delay: script(DELAY_SCRIPT), pace: script(PACE_SCRIPT) };

/**
 * The rate limits' counters in Redis, shared by every process on the same Redis: each operation is
 * one `EVALSHA` of a script (the script's text is sent once per Redis run, on `NOSCRIPT`).
 *
 * Nothing waits for Redis long: while it is not connected, `available` is false and the limiters
 * count in their process; a command that fails or takes longer than `COUNTERS_COMMAND_TIMEOUT_MS`
 * is counted in the process too, and so is everything in the `COUNTERS_RETRY_AFTER_MS` after it.
 * Losing Redis is logged once, and so is the first operation it answers again.
 */
export class RedisCounters {
	/** Where losing and regaining Redis is reported (console.warn by default). */
	readonly log: (message: string) => void;
	readonly #client: Redis;
	#degraded = false;
	#closed = false;
	/** Until when (ms since the epoch) operations skip Redis after a failed one. */
	#retryAt = 0;

	constructor(url: string, options: { log?: (message: string) => void } = {}) {
		this.log = options.log ?? ((message) => console.warn(message));
		this.#client = new Redis(url, failFastRedisOptions('journey-rate-limits', COUNTERS_COMMAND_TIMEOUT_MS));
		// Without a listener ioredis reports every failed reconnection; the change is logged once.
		this.#client.on('error', (error: Error) => this.#degrade(error));
		this.#client.on('close', () => this.#degrade(null));
	}

	/** Whether operations are sent to Redis now (false while it is not connected). */
	get available(): boolean {
		return !this.#closed && this.#client.status === 'ready' && Date.now() >= this.#retryAt;
	}

	/** Resolves once the connection is ready (at once when it is). */
	ready(): Promise<void> {
		if (this.available) return Promise.resolve();
		return new Promise((resolve) => this.#client.once('ready', () => resolve()));
	}

	/** A fixed-window operation (see `LocalWindows.run`). */
	async window(name: string, key: string, op: WindowOp, limit: WindowLimit, now: number): Promise<number> {
		return Number(await this.#eval(SCRIPTS.window, name, key, [op, limit.max, limit.windowMs, now]));
	}

	/** A growing-delay operation (see `LocalDelays.run`). */
	async delay(name: string, key: string, op: DelayOp, limit: DelayLimit, now: number): Promise<number> {
		const args = [op, limit.budget, limit.firstDelayMs, limit.maxDelayMs, limit.forgetAfterMs, now];
		return Number(await this.#eval(SCRIPTS.delay, name, key, args));
	}

	/** Takes a paced turn (see `LocalPaces.take`). */
	async pace(name: string, key: string, limit: PaceLimit, now: number): Promise<PaceTurn> {
		const [taken, ms] = (await this.#eval(SCRIPTS.pace, name, key, [limit.msPerTurn, limit.burst, limit.maxWaitMs, now])) as [
			number,
			number
		];
		return taken === 1 ? { taken: true, waitMs: Number(ms) } : { taken: false, retryAfterMs: Number(ms) };
	}

	/** Reports an operation that failed: the limiter counted it locally. */
	failed(error: unknown): void {
		this.#retryAt = Date.now() + COUNTERS_RETRY_AFTER_MS;
		this.#degrade(error instanceof Error ? error : new Error(String(error)));
	}

	/** Closes the connection; operations after it are counted locally. */
	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		await this.#client.quit().catch(() => this.#client.disconnect());
	}

	async #eval(script: Script, name: string, key: string, args: (string | number)[]): Promise<unknown> {
		const redisKey = counterKey(name, key);
		let reply: unknown;
		try {
			reply = await this.#client.evalsha(script.sha, 1, redisKey, ...args);
		} catch (error) {
			// A restarted (or flushed) Redis has forgotten the script: send its text once.
			if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
			reply = await this.#client.eval(script.lua, 1, redisKey, ...args);
		}
		if (this.#degraded) {
			this.#degraded = false;
			this.log('Redis answers again: rate limits are shared across processes');
		}
		return reply;
	}

	#degrade(error: Error | null): void {
		if (this.#degraded || this.#closed) return;
		this.#degraded = true;
		const reason = error ? ` (${error.message})` : '';
		this.log(`Redis cannot be reached${reason}: each process counts rate limits on its own until it returns`);
	}
}

/**
 * The Redis key of a limiter's key: the limiter's name and a SHA-256 of the key, so emails and
 * addresses are not kept in Redis in the clear and every key has the same short length.
 */
export function counterKey(name: string, key: string): string {
	return `${KEY_PREFIX}${name}:${createHash('sha256').update(key).digest('base64url')}`;
}
