import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { missingEngines, startRedis, type RedisEngine } from '../../../../tests/support/engines';
import { FailureThrottle, GrowingDelay, PacedRate } from '../rate-limit';
import { counterKey, RedisCounters } from './redis-counters';

const WINDOW_MS = 60_000;

/**
 * Two `RedisCounters` on one Redis stand for two product processes: each has its own connection
 * and its own limiter objects, as separate processes would, and only Redis between them.
 */
describe.skipIf(missingEngines('redis').length > 0)('rate limits shared through Redis', () => {
	let redis: RedisEngine;
	let inspect: Redis;
	const logs = { a: [] as string[], b: [] as string[] };
	let processA: RedisCounters;
	let processB: RedisCounters;

	beforeAll(async () => {
		redis = await startRedis();
		inspect = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 100 });
		inspect.on('error', () => {});
		processA = new RedisCounters(redis.url, { log: (message) => logs.a.push(message) });
		processB = new RedisCounters(redis.url, { log: (message) => logs.b.push(message) });
		await Promise.all([processA.ready(), processB.ready(), inspect.connect()]);
	});

	beforeEach(() => {
		logs.a.length = 0;
		logs.b.length = 0;
	});

	afterAll(async () => {
		await processA?.close();
		await processB?.close();
		inspect?.disconnect();
		await redis?.stop();
	});

	it('gives two processes one log-in budget: failures made on either block the key on both', async () => {
		const onA = new FailureThrottle('shared-login', 5, WINDOW_MS, processA);
		const onB = new FailureThrottle('shared-login', 5, WINDOW_MS, processB);
		for (let i = 0; i < 3; i++) await onA.fail('ada@example.com');
		for (let i = 0; i < 2; i++) await onB.fail('ada@example.com');
		expect(await onA.blockedForMs('ada@example.com')).toBeGreaterThan(0);
		expect(await onB.blockedForMs('ada@example.com')).toBeGreaterThan(0);
		await onB.reset('ada@example.com');
		expect(await onA.blockedForMs('ada@example.com')).toBe(0);
		expect(logs).toEqual({ a: [], b: [] });
	});

	it('lets exactly the budget through when two processes take uses at the same moment', async () => {
		const MAX = 30;
		const onA = new FailureThrottle('shared-signup', MAX, WINDOW_MS, processA);
		const onB = new FailureThrottle('shared-signup', MAX, WINDOW_MS, processB);
		const takes = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? onA : onB).take('203.0.113.7')));
		expect(takes.filter((blockedMs) => blockedMs === 0)).toHaveLength(MAX);
	});

	it('paces one person across processes: the burst and the queue of turns are shared', async () => {
		const onA = new PacedRate('shared-reads', 60, 3, 2_000, processA);
		const onB = new PacedRate('shared-reads', 60, 3, 2_000, processB);
		const now = Date.now();
		const turns = [];
		for (const pace of [onA, onB, onA, onB, onA, onB]) turns.push(await pace.take('user-1', now));
		expect(turns).toEqual([
			{ taken: true, waitMs: 0 },
			{ taken: true, waitMs: 0 },
			{ taken: true, waitMs: 0 },
			{ taken: true, waitMs: 1_000 },
			{ taken: true, waitMs: 2_000 },
			{ taken: false, retryAfterMs: 3_000 }
		]);
	});

	it("grows one account's delay from failures made on both processes", async () => {
		const onA = new GrowingDelay('shared-account', 2, 30_000, 15 * 60_000, WINDOW_MS, processA);
		const onB = new GrowingDelay('shared-account', 2, 30_000, 15 * 60_000, WINDOW_MS, processB);
		const now = Date.now();
		await onA.fail('ada@example.com', now);
		expect(await onB.retryAfterMs('ada@example.com', now)).toBe(0);
		await onB.fail('ada@example.com', now);
		expect(await onA.retryAfterMs('ada@example.com', now)).toBe(30_000);
	});

	it('keeps no email or address in Redis, and gives every key a TTL that ends with its window', async () => {
		const throttle = new FailureThrottle('ttl-window', 3, WINDOW_MS, processA);
		const pace = new PacedRate('ttl-pace', 60, 3, 2_000, processA);
		const delay = new GrowingDelay('ttl-delay', 2, 30_000, 15 * 60_000, WINDOW_MS, processA);
		await throttle.fail('grace@example.com');
		await pace.take('grace@example.com');
		await delay.fail('grace@example.com');
		const keys = await inspect.keys('journey:limit:ttl-*');
		expect(keys.sort()).toEqual(
			[
				counterKey('ttl-delay', 'grace@example.com'),
				counterKey('ttl-pace', 'grace@example.com'),
				counterKey('ttl-window', 'grace@example.com')
			].sort()
		);
		expect(keys.join(' ')).not.toContain('grace');
		const ttl = async (name: string) => inspect.pttl(counterKey(name, 'grace@example.com'));
		expect(await ttl('ttl-window')).toBeGreaterThan(0);
		expect(await ttl('ttl-window')).toBeLessThanOrEqual(WINDOW_MS);
		// One turn taken of three: back to the full burst a second later, and then forgotten.
		expect(await ttl('ttl-pace')).toBeGreaterThan(0);
		expect(await ttl('ttl-pace')).toBeLessThanOrEqual(1_000);
		expect(await ttl('ttl-delay')).toBeGreaterThan(0);
		expect(await ttl('ttl-delay')).toBeLessThanOrEqual(WINDOW_MS);
		await throttle.reset('grace@example.com');
		expect(await inspect.exists(counterKey('ttl-window', 'grace@example.com'))).toBe(0);
	});

	it('sends a script again to a Redis that forgot it', async () => {
		const throttle = new FailureThrottle('after-flush', 1, WINDOW_MS, processA);
		await throttle.fail('k');
		await inspect.script('FLUSH');
		expect(await new FailureThrottle('after-flush', 1, WINDOW_MS, processB).take('k')).toBeGreaterThan(0);
		expect(logs).toEqual({ a: [], b: [] });
	});

	it('counts in each process while Redis is stopped, still holding every limit there, and shares again once it is back', async () => {
		const onA = new FailureThrottle('outage', 3, WINDOW_MS, processA);
		const onB = new FailureThrottle('outage', 3, WINDOW_MS, processB);
		await onA.fail('203.0.113.9');

		await redis.halt();
		await expect.poll(() => processA.available || processB.available).toBe(false);
		// Each process alone: its own count from zero, and its limit still applies.
		const alone = [];
		for (let i = 0; i < 4; i++) alone.push(await onA.take('203.0.113.9'));
		expect(alone.map((blockedMs) => blockedMs > 0)).toEqual([false, false, false, true]);
		expect(await onB.blockedForMs('203.0.113.9')).toBe(0);
		expect(logs.a).toHaveLength(1);
		expect(logs.a[0]).toMatch(/Redis cannot be reached/);

		await redis.start();
		await Promise.all([processA.ready(), processB.ready()]);
		// Shared again: Redis started empty, and failures on either process count together.
		await onA.fail('203.0.113.9');
		await onB.fail('203.0.113.9');
		expect(await onB.blockedForMs('203.0.113.9')).toBe(0);
		await onA.fail('203.0.113.9');
		expect(await onB.blockedForMs('203.0.113.9')).toBeGreaterThan(0);
		expect(logs.a).toEqual([expect.stringMatching(/Redis cannot be reached/), expect.stringMatching(/answers again/)]);
	});

	it('counts locally a call Redis does not answer in time, skips Redis for a while, then shares again', async () => {
		const onA = new FailureThrottle('paused', 1, WINDOW_MS, processA);
		const onB = new FailureThrottle('paused', 1, WINDOW_MS, processB);
		// Redis holds every client's commands for 1.5 s, longer than the command timeout.
		await inspect.call('CLIENT', 'PAUSE', '1500', 'ALL');
		expect(await onA.take('k')).toBe(0);
		expect(processA.available).toBe(false);
		// Counted in the process without asking Redis: the limit holds there.
		expect(await onA.take('k')).toBeGreaterThan(0);
		expect(logs.a).toEqual([expect.stringMatching(/Redis cannot be reached/)]);
		await expect.poll(() => processA.available, { timeout: 5_000 }).toBe(true);
		// The call that timed out still reached Redis once the pause ended: the use was counted there
		// too (twice rather than never), so the other process finds the budget spent.
		expect(await onB.take('k')).toBeGreaterThan(0);
		expect(await onA.take('k')).toBeGreaterThan(0);
		expect(logs.a).toEqual([expect.stringMatching(/Redis cannot be reached/), expect.stringMatching(/answers again/)]);
	});
});
