import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingEngines, startRedis, type RedisEngine } from '../../tests/support/engines';
import { PRESENCE_OWNER_TTL_MS, presenceOwnerKey, RedisPresenceOwners } from './presence-owners';

/** Two registries on one Redis stand for two product processes: only Redis is between them. */
describe.skipIf(missingEngines('redis').length > 0)('presence client id owners shared through Redis', () => {
	let redis: RedisEngine;
	let inspect: Redis;
	let processA: RedisPresenceOwners;
	let processB: RedisPresenceOwners;

	beforeAll(async () => {
		redis = await startRedis();
		inspect = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 100 });
		inspect.on('error', () => {});
		processA = new RedisPresenceOwners(redis.url);
		processB = new RedisPresenceOwners(redis.url);
		await Promise.all([processA.ready(), processB.ready(), inspect.connect()]);
	});

	afterAll(async () => {
		await processA?.close();
		await processB?.close();
		inspect?.disconnect();
		await redis?.stop();
	});

	it('gives an id to the first person who claims it, on every process; the owner claims it again anywhere', async () => {
		expect(await processA.claim('board-1', 42, 'victim')).toBe('victim');
		expect(await processB.claim('board-1', 42, 'mallory')).toBe('victim');
		expect(await processB.claim('board-1', 42, 'victim')).toBe('victim');
		// Another board's id 42 is another id.
		expect(await processB.claim('board-2', 42, 'mallory')).toBe('mallory');
	});

	it('keeps each claim for a limited time, renewed while a room knows it', async () => {
		await processA.claim('board-ttl', 7, 'ada');
		const key = presenceOwnerKey('board-ttl', 7);
		const ttl = await inspect.pttl(key);
		expect(ttl).toBeGreaterThan(0);
		expect(ttl).toBeLessThanOrEqual(PRESENCE_OWNER_TTL_MS);
		await inspect.pexpire(key, 1_000);
		processB.renew('board-ttl', new Map([[7, 'ada']]));
		await expect.poll(() => inspect.pttl(key)).toBeGreaterThan(1_000);
		expect(await inspect.get(key)).toBe('ada');
	});

	it('records, when renewing, the ids claimed while Redis was away, without taking anyone else’s', async () => {
		await processA.claim('board-away', 1, 'ada');
		processB.renew(
			'board-away',
			new Map([
				[1, 'mallory'],
				[2, 'grace']
			])
		);
		await expect.poll(() => inspect.get(presenceOwnerKey('board-away', 2))).toBe('grace');
		expect(await inspect.get(presenceOwnerKey('board-away', 1))).toBe('ada');
	});

	it('answers null while Redis is away, without throwing or waiting, and claims again once it is back', async () => {
		const owners = new RedisPresenceOwners(redis.url);
		try {
			await owners.ready();
			await redis.halt();
			await expect.poll(() => owners.available).toBe(false);
			expect(await owners.claim('board-down', 5, 'ada')).toBeNull();
			owners.renew('board-down', new Map([[5, 'ada']]));
			await redis.start();
			await owners.ready();
			await expect.poll(() => owners.claim('board-down', 5, 'ada')).toBe('ada');
			await expect.poll(() => processB.claim('board-down', 5, 'mallory')).toBe('ada');
		} finally {
			await owners.close();
		}
	});
});
