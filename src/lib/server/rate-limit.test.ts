import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { missingEngines, startRedis, type RedisEngine } from '../../../tests/support/engines';
import { RedisCounters } from './counters/redis-counters';
import type { SharedCounters } from './counters/shared-counters';
import { FailureThrottle, GrowingDelay, PacedRate } from './rate-limit';

const MAX_FAILURES = 3;
const WINDOW_MS = 60_000;
const T0 = 1_000_000;

/** Where the limiters of one run of the cases count. */
interface Backend {
	label: string;
	counters(): SharedCounters | null;
}

const redisMissing = missingEngines('redis').length > 0;
let redis: RedisEngine | null = null;
let redisCounters: RedisCounters | null = null;
/** What the Redis counters logged: a case that fell back to local counts would not test Redis. */
const redisLog: string[] = [];

beforeAll(async () => {
	if (redisMissing) return;
	redis = await startRedis();
	redisCounters = new RedisCounters(redis.url, { log: (message) => redisLog.push(message) });
	await redisCounters.ready();
});

afterAll(async () => {
	await redisCounters?.close();
	await redis?.stop();
});

const backends: Backend[] = [
	{ label: 'in the process', counters: () => null },
	{ label: 'in Redis', counters: () => redisCounters }
];

describe.each(backends)('rate limits counted $label', (backend) => {
	const skip = backend.label === 'in Redis' && redisMissing;
	// Each limiter gets a name of its own, so cases never share Redis keys.
	const named = () => `test-${randomUUID()}`;
	const throttle = () => new FailureThrottle(named(), MAX_FAILURES, WINDOW_MS, backend.counters());

	afterEach(() => expect(redisLog).toEqual([]));

	async function failTimes(limiter: FailureThrottle | GrowingDelay, key: string, times: number, now = T0): Promise<void> {
		for (let i = 0; i < times; i++) await limiter.fail(key, now);
	}

	describe.skipIf(skip)('FailureThrottle', () => {
		it('does not block a key it has not seen', async () => {
			expect(await throttle().blockedForMs('a', T0)).toBe(0);
		});

		it('blocks a key once it reaches the maximum failures, not before, until its window ends', async () => {
			const limiter = throttle();
			await failTimes(limiter, 'a', MAX_FAILURES - 1);
			expect(await limiter.blockedForMs('a', T0)).toBe(0);
			await limiter.fail('a', T0);
			expect(await limiter.blockedForMs('a', T0)).toBe(WINDOW_MS);
			expect(await limiter.blockedForMs('a', T0 + 1_000)).toBe(WINDOW_MS - 1_000);
		});

		it('counts each key separately', async () => {
			const limiter = throttle();
			await failTimes(limiter, 'a', MAX_FAILURES);
			expect(await limiter.blockedForMs('a', T0)).toBeGreaterThan(0);
			expect(await limiter.blockedForMs('b', T0)).toBe(0);
		});

		it('unblocks when the window that began with the first failure ends (fixed window)', async () => {
			const limiter = throttle();
			await limiter.fail('a', T0);
			await limiter.fail('a', T0 + WINDOW_MS - 100);
			await limiter.fail('a', T0 + WINDOW_MS - 50);
			expect(await limiter.blockedForMs('a', T0 + WINDOW_MS - 1)).toBe(1);
			expect(await limiter.blockedForMs('a', T0 + WINDOW_MS)).toBe(0);
		});

		it('starts a new count after the window ends', async () => {
			const limiter = throttle();
			await failTimes(limiter, 'a', MAX_FAILURES - 1);
			const later = T0 + WINDOW_MS;
			await limiter.fail('a', later);
			expect(await limiter.blockedForMs('a', later)).toBe(0);
			await failTimes(limiter, 'a', MAX_FAILURES - 1, later + 1);
			expect(await limiter.blockedForMs('a', later + 1)).toBe(WINDOW_MS - 1);
		});

		it('stays blocked while failures go on within the window', async () => {
			const limiter = throttle();
			await failTimes(limiter, 'a', MAX_FAILURES * 3);
			expect(await limiter.blockedForMs('a', T0 + WINDOW_MS / 2)).toBe(WINDOW_MS / 2);
		});

		it('forgets a key on reset', async () => {
			const limiter = throttle();
			await failTimes(limiter, 'a', MAX_FAILURES);
			await failTimes(limiter, 'b', MAX_FAILURES);
			await limiter.reset('a');
			expect(await limiter.blockedForMs('a', T0)).toBe(0);
			expect(await limiter.blockedForMs('b', T0)).toBeGreaterThan(0);
			await limiter.fail('a', T0);
			expect(await limiter.blockedForMs('a', T0)).toBe(0);
		});

		it('takes uses up to the maximum, then refuses without counting, and takes again once the window ends', async () => {
			const limiter = throttle();
			const taken = [];
			for (let i = 0; i < MAX_FAILURES + 2; i++) taken.push(await limiter.take('a', T0 + i));
			expect(taken).toEqual([0, 0, 0, WINDOW_MS - 3, WINDOW_MS - 4]);
			expect(await limiter.take('a', T0 + WINDOW_MS)).toBe(0);
			expect(await limiter.take('a', T0 + WINDOW_MS)).toBe(0);
			expect(await limiter.take('b', T0)).toBe(0);
		});

		it('keeps counting other keys correctly when expired windows are pruned', async () => {
			const limiter = throttle();
			await failTimes(limiter, 'old', MAX_FAILURES);
			await failTimes(limiter, 'recent', MAX_FAILURES - 1, T0 + WINDOW_MS / 2);
			for (let i = 0; i < 300; i++) await limiter.fail(`new-${i}`, T0 + WINDOW_MS);
			expect(await limiter.blockedForMs('old', T0 + WINDOW_MS)).toBe(0);
			await limiter.fail('recent', T0 + WINDOW_MS);
			expect(await limiter.blockedForMs('recent', T0 + WINDOW_MS)).toBe(WINDOW_MS / 2);
		});
	});

	describe.skipIf(skip)('GrowingDelay', () => {
		const FREE = 3;
		const FIRST_MS = 30_000;
		const MAX_MS = 15 * 60_000;
		const growing = () => new GrowingDelay(named(), FREE, FIRST_MS, MAX_MS, WINDOW_MS, backend.counters());

		it('lets the budget through, then blocks for twice as long each time, up to the cap', async () => {
			const delay = growing();
			await failTimes(delay, 'a', FREE - 1);
			expect(await delay.retryAfterMs('a', T0)).toBe(0);
			await delay.fail('a', T0);
			expect(await delay.retryAfterMs('a', T0)).toBe(FIRST_MS);
			expect(await delay.retryAfterMs('a', T0 + 1_000)).toBe(FIRST_MS - 1_000);
			await delay.fail('a', T0 + FIRST_MS);
			expect(await delay.retryAfterMs('a', T0 + FIRST_MS)).toBe(2 * FIRST_MS);
			await failTimes(delay, 'a', 40, T0 + FIRST_MS);
			expect(await delay.retryAfterMs('a', T0 + FIRST_MS)).toBe(MAX_MS);
			expect(await delay.retryAfterMs('b', T0)).toBe(0);
		});

		it('forgets a key some time after its last block ends, and on reset', async () => {
			const delay = growing();
			await failTimes(delay, 'a', FREE);
			await delay.fail('a', T0 + FIRST_MS + WINDOW_MS);
			expect(await delay.retryAfterMs('a', T0 + FIRST_MS + WINDOW_MS)).toBe(0);
			await failTimes(delay, 'b', FREE + 1);
			await delay.reset('b');
			expect(await delay.retryAfterMs('b', T0)).toBe(0);
		});

		it('remembers a key until forgetAfterMs after its block ended', async () => {
			const delay = growing();
			await failTimes(delay, 'a', FREE);
			const blockEnd = T0 + FIRST_MS;
			await delay.fail('a', blockEnd + WINDOW_MS - 1);
			expect(await delay.retryAfterMs('a', blockEnd + WINDOW_MS - 1)).toBe(2 * FIRST_MS);
		});
	});

	describe.skipIf(skip)('PacedRate', () => {
		const PER_MINUTE = 60; // one turn a second
		const BURST = 3;
		const MAX_WAIT_MS = 2_000;
		const paced = () => new PacedRate(named(), PER_MINUTE, BURST, MAX_WAIT_MS, backend.counters());

		it('gives the burst at once, then turns a rate apart, each caller told how long to wait', async () => {
			const pace = paced();
			const turns = [];
			for (let i = 0; i < BURST + 2; i++) turns.push(await pace.take('a', T0));
			expect(turns.map((turn) => turn.taken && turn.waitMs)).toEqual([0, 0, 0, 1_000, 2_000]);
			expect(await pace.take('b', T0)).toEqual({ taken: true, waitMs: 0 });
		});

		it('refuses a turn further than the longest wait, without taking it, and says when to come back', async () => {
			const pace = paced();
			for (let i = 0; i < BURST + 2; i++) await pace.take('a', T0);
			expect(await pace.take('a', T0)).toEqual({ taken: false, retryAfterMs: 3_000 });
			expect(await pace.take('a', T0 + 1_000)).toEqual({ taken: true, waitMs: 2_000 });
		});

		it('refills fractions of a turn, up to the burst and not beyond', async () => {
			const pace = paced();
			for (let i = 0; i < BURST; i++) await pace.take('a', T0);
			expect(await pace.take('a', T0 + 250)).toEqual({ taken: true, waitMs: 750 });
			const later = T0 + 60_000;
			for (let i = 0; i < BURST; i++) expect(await pace.take('a', later)).toEqual({ taken: true, waitMs: 0 });
			expect(await pace.take('a', later)).toEqual({ taken: true, waitMs: 1_000 });
		});
	});
});

describe('rate limits without REDIS_URL', () => {
	it('count in the process by default', async () => {
		const name = `default-${randomUUID()}`;
		const limiter = new FailureThrottle(name, 1, WINDOW_MS);
		expect(await limiter.take('a', T0)).toBe(0);
		expect(await limiter.take('a', T0)).toBe(WINDOW_MS);
		expect(await new FailureThrottle(name, 1, WINDOW_MS).take('a', T0)).toBe(0);
	});
});
