import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCounters } from '../src/lib/server/counters/redis-counters';
import { openDb, type Db } from '../src/lib/server/db';
import { missingEngines, startRedis, type RedisEngine } from '../tests/support/engines';
import { UpgradeGate, type AddressedUpgrade } from './upgrade-auth';

const MAX_REFUSALS = 4;

/** An upgrade to a board's sync path without a session cookie, from a client address. */
function upgradeFrom(address: string): IncomingMessage {
	return { url: '/sync/board-1', headers: {}, socket: { remoteAddress: address } } as unknown as IncomingMessage;
}

const statusOf = (auth: AddressedUpgrade) => (auth.kind === 'refused' ? auth.status : auth.kind);

/** Two gates on one Redis stand for the sync endpoints of two processes behind a round-robin proxy. */
describe.skipIf(missingEngines('redis').length > 0)('refused sync upgrades counted across processes', () => {
	let redis: RedisEngine;
	let dir: string;
	let db: Db;
	const processes: RedisCounters[] = [];

	beforeAll(async () => {
		redis = await startRedis();
		dir = mkdtempSync(join(tmpdir(), 'upgrade-gate-'));
		db = openDb(dir);
		for (let i = 0; i < 2; i++) processes.push(new RedisCounters(redis.url, { log: () => {} }));
		await Promise.all(processes.map((counters) => counters.ready()));
	});

	afterAll(async () => {
		await Promise.all(processes.map((counters) => counters.close()));
		db?.$client.close();
		if (dir) rmSync(dir, { recursive: true, force: true });
		await redis?.stop();
	});

	it('holds an address to one budget of refusals whichever process it reaches, and leaves other addresses alone', async () => {
		const gates = processes.map((counters) => new UpgradeGate(db, MAX_REFUSALS, counters));
		const answers = [];
		for (let i = 0; i < MAX_REFUSALS + 2; i++) answers.push(statusOf(await gates[i % 2].authenticate(upgradeFrom('198.51.100.7'))));
		expect(answers).toEqual([401, 401, 401, 401, 429, 429]);
		const throttled = await gates[1].authenticate(upgradeFrom('198.51.100.7'));
		expect(throttled).toMatchObject({ kind: 'refused', status: 429, throttled: { retryAfterSeconds: expect.any(Number) } });
		expect(statusOf(await gates[0].authenticate(upgradeFrom('198.51.100.8')))).toBe(401);
	});

	it('holds each process to the budget on its own when counting locally, as without REDIS_URL', async () => {
		const gates = [new UpgradeGate(db, MAX_REFUSALS, null), new UpgradeGate(db, MAX_REFUSALS, null)];
		for (let i = 0; i < MAX_REFUSALS; i++) expect(statusOf(await gates[0].authenticate(upgradeFrom('198.51.100.9')))).toBe(401);
		expect(statusOf(await gates[0].authenticate(upgradeFrom('198.51.100.9')))).toBe(429);
		expect(statusOf(await gates[1].authenticate(upgradeFrom('198.51.100.9')))).toBe(401);
	});
});
