import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { missingEngines, startRedis, type RedisEngine } from '../../tests/support/engines';
import { counterKey } from '../../src/lib/server/counters/redis-counters';
import { SOCKET_REFUSALS, type SocketLimits, type SocketRefusal } from '../socket-budget';
import { SocketSlots, type SocketSlot } from '../socket-slots';
import type { UpgradeIdentity } from '../upgrade-auth';
import { SocketLeases } from './socket-leases';

/** The product's lease: long enough that nothing in a test ends it unless the test waits for it. */
const LEASE_MS = 30_000;
/** A lease short enough to see a dead process's sockets leave within a test. */
const SHORT_LEASE_MS = 3_000;
const LIMITS: SocketLimits = { perUserBoard: 4, perUser: 6, perBoard: 10, perAddress: 8, total: 100 };

function identity(userId: string, boardId = 'board-1'): UpgradeIdentity {
	return { boardId, userId, userName: userId, sessionId: `session-${userId}`, role: 'editor' };
}

/** A process's budgets: its own counts and its leases on the shared Redis. */
interface Process {
	slots: SocketSlots;
	leases: SocketLeases;
	logs: string[];
}

/**
 * Two or more `SocketSlots` with a `SocketLeases` each, on one Redis, stand for product processes:
 * each has its own connection and its own counts, and only Redis between them.
 */
describe.skipIf(missingEngines('redis').length > 0)('socket budgets shared through Redis', () => {
	let redis: RedisEngine;
	let inspect: Redis;
	const started: Process[] = [];

	function startProcess(leaseMs = LEASE_MS, limits = LIMITS): Process {
		const logs: string[] = [];
		const leases = new SocketLeases(redis.url, { leaseMs, log: (message) => logs.push(message) });
		const member = { slots: new SocketSlots(limits, leases), leases, logs };
		started.push(member);
		return member;
	}

	/** Redis's clock, in ms: lease ends are measured by it. */
	async function redisNow(): Promise<number> {
		const [seconds, microseconds] = await inspect.time();
		return Number(seconds) * 1000 + Math.floor(Number(microseconds) / 1000);
	}

	async function connected(...members: Process[]) {
		await Promise.all(members.map(({ leases }) => leases.connected(5_000)));
		for (const { leases } of members) expect(leases.available).toBe(true);
	}

	/** Takes `count` slots at once; returns the slots taken and the refusals. */
	async function takeMany(member: Process, who: UpgradeIdentity, count: number, address = '203.0.113.1') {
		const results = await Promise.all(Array.from({ length: count }, () => member.slots.take(who, address)));
		const slots = results.filter((result): result is SocketSlot => 'release' in result);
		const refusals = results.filter((result): result is SocketRefusal => 'error' in result);
		return { slots, refusals };
	}

	/** How many live leases a budget holds in Redis. */
	const held = (kind: string, key: string) => inspect.zcount(counterKey(`sync-sockets-${kind}`, key), '-inf', '+inf');

	beforeAll(async () => {
		redis = await startRedis();
		inspect = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 100 });
		inspect.on('error', () => {});
		await inspect.connect();
	});

	afterEach(async () => {
		for (const { leases } of started.splice(0)) await leases.close();
		if (inspect.status === 'ready') await inspect.flushall();
	});

	afterAll(async () => {
		inspect?.disconnect();
		await redis?.stop();
	});

	it('holds one person to their budget on a board when their upgrades come to two processes at once', async () => {
		const a = startProcess();
		const b = startProcess();
		await connected(a, b);
		const ada = identity('ada');
		const [onA, onB] = await Promise.all([takeMany(a, ada, 10), takeMany(b, ada, 10)]);
		expect(onA.slots.length + onB.slots.length).toBe(LIMITS.perUserBoard);
		expect([...onA.refusals, ...onB.refusals]).toEqual(Array(20 - LIMITS.perUserBoard).fill(SOCKET_REFUSALS.userBoard));
		expect(await held('userBoard', 'ada\u0000board-1')).toBe(LIMITS.perUserBoard);
		expect([...a.logs, ...b.logs]).toEqual([]);
	});

	it('counts the person across boards, the board and the address over both processes, each with its own refusal', async () => {
		const a = startProcess();
		const b = startProcess();
		await connected(a, b);
		// The person: 6 over two boards, whichever process holds them.
		expect((await takeMany(a, identity('ada', 'board-1'), 3)).slots).toHaveLength(3);
		expect((await takeMany(b, identity('ada', 'board-2'), 3)).slots).toHaveLength(3);
		expect(await a.slots.take(identity('ada', 'board-3'), '203.0.113.1')).toEqual(SOCKET_REFUSALS.user);
		// The board: 10 over both, from other addresses so the address budget is not what refuses.
		for (const [index, name] of ['bo', 'cy', 'di'].entries()) {
			const on = index % 2 ? a : b;
			expect((await takeMany(on, identity(name), 3, `198.51.100.${index}`)).slots.length).toBeGreaterThan(0);
		}
		expect(await held('board', 'board-1')).toBe(LIMITS.perBoard);
		expect(await b.slots.take(identity('eve'), '198.51.100.99')).toEqual(SOCKET_REFUSALS.board);
		// The address: 8 over both processes; ada holds 6 from it already.
		expect((await takeMany(b, identity('fay', 'board-4'), 2)).slots).toHaveLength(2);
		expect(await a.slots.take(identity('gus', 'board-4'), '203.0.113.1')).toEqual(SOCKET_REFUSALS.address);
		// The process total is each process's own: a process with room admits while the other is full.
		const small = { ...LIMITS, total: 1 };
		const c = startProcess(LEASE_MS, small);
		const d = startProcess(LEASE_MS, small);
		await connected(c, d);
		expect(await c.slots.take(identity('hal', 'board-5'), '192.0.2.1')).toHaveProperty('release');
		expect(await c.slots.take(identity('hal', 'board-5'), '192.0.2.1')).toEqual(SOCKET_REFUSALS.process);
		expect(await d.slots.take(identity('hal', 'board-5'), '192.0.2.1')).toHaveProperty('release');
	});

	it('gives a slot back on release, to the other process too, and only once', async () => {
		const a = startProcess();
		const b = startProcess();
		await connected(a, b);
		const ada = identity('ada');
		const { slots } = await takeMany(a, ada, LIMITS.perUserBoard);
		expect(await b.slots.take(ada, '203.0.113.1')).toEqual(SOCKET_REFUSALS.userBoard);
		slots[0].release();
		slots[0].release();
		await expect.poll(() => held('userBoard', 'ada\u0000board-1')).toBe(LIMITS.perUserBoard - 1);
		expect(await b.slots.take(ada, '203.0.113.1')).toHaveProperty('release');
		expect(await b.slots.take(ada, '203.0.113.1')).toEqual(SOCKET_REFUSALS.userBoard);
		expect(a.leases.size).toBe(LIMITS.perUserBoard - 1);
	});

	it('frees the sockets of a process that stops renewing (killed) once their leases end, and keeps a live process’s', async () => {
		const dead = startProcess(SHORT_LEASE_MS);
		const live = startProcess(SHORT_LEASE_MS);
		await connected(dead, live);
		await takeMany(dead, identity('ada'), 2);
		await takeMany(live, identity('ada'), 2);
		// Killed: it renews nothing more and gives nothing back.
		(dead.leases as unknown as { renew(): Promise<void> }).renew = async () => {};
		const deadMember = `${dead.leases.processId}:1`;
		const key = counterKey('sync-sockets-userBoard', 'ada\u0000board-1');
		const firstEnd = Number(await inspect.zscore(key, deadMember));
		const other = startProcess(SHORT_LEASE_MS);
		await connected(other);
		expect(await other.slots.take(identity('ada'), '203.0.113.1')).toEqual(SOCKET_REFUSALS.userBoard);
		// Once Redis's clock is past the dead process's leases, only the live process's two count.
		await expect.poll(async () => (await redisNow()) > firstEnd, { timeout: 2 * SHORT_LEASE_MS }).toBe(true);
		const { slots, refusals } = await takeMany(other, identity('ada'), 3);
		expect(slots).toHaveLength(2);
		expect(refusals).toEqual([SOCKET_REFUSALS.userBoard]);
		expect(await inspect.zscore(key, deadMember)).toBeNull();
		// The live process renewed its leases past their first end: they still count.
		expect(await inspect.zcount(key, '-inf', '+inf')).toBe(LIMITS.perUserBoard);
	});

	it('counts in each process while Redis is stopped, never refusing more than there, and counts those sockets together once it is back', async () => {
		const a = startProcess();
		const b = startProcess();
		await connected(a, b);
		const ada = identity('ada');
		const before = await takeMany(a, ada, 1);

		await redis.halt();
		await expect.poll(() => a.leases.available || b.leases.available).toBe(false);
		// Each process alone: its own sockets against the budget, none refused for Redis being away.
		const onA = await takeMany(a, ada, 5);
		const onB = await takeMany(b, ada, 5);
		expect([onA.slots.length, onB.slots.length]).toEqual([LIMITS.perUserBoard - 1, LIMITS.perUserBoard]);
		expect([...onA.refusals, ...onB.refusals].every((refusal) => refusal === SOCKET_REFUSALS.userBoard)).toBe(true);
		// A socket closed meanwhile is given back here at once.
		onB.slots[0].release();
		expect(await b.slots.take(ada, '203.0.113.1')).toHaveProperty('release');
		expect(a.logs).toEqual([expect.stringMatching(/Redis cannot be reached/)]);

		await redis.start();
		await connected(a, b);
		// Every open socket is in Redis again (Redis started empty): the two processes' 8 count together.
		await expect.poll(() => held('userBoard', 'ada\u0000board-1')).toBe(2 * LIMITS.perUserBoard);
		// a closes all of its sockets: b's 4 still fill the budget, so a refuses though it holds none.
		for (const slot of [...before.slots, ...onA.slots]) slot.release();
		await expect.poll(() => held('userBoard', 'ada\u0000board-1')).toBe(LIMITS.perUserBoard);
		expect(await a.slots.take(ada, '203.0.113.1')).toEqual(SOCKET_REFUSALS.userBoard);
		onB.slots[1].release();
		await expect.poll(() => held('userBoard', 'ada\u0000board-1')).toBe(LIMITS.perUserBoard - 1);
		expect(await a.slots.take(ada, '203.0.113.1')).toHaveProperty('release');
		expect(await a.slots.take(ada, '203.0.113.1')).toEqual(SOCKET_REFUSALS.userBoard);
		expect(a.logs).toEqual([expect.stringMatching(/Redis cannot be reached/), expect.stringMatching(/answers again/)]);
	});

	it('decides alone when Redis does not answer in time, then counts that socket with the others', async () => {
		const a = startProcess();
		const b = startProcess();
		await connected(a, b);
		const ada = identity('ada');
		await takeMany(b, ada, LIMITS.perUserBoard - 1);
		// Redis holds every client's commands for 1.5 s, longer than the request timeout.
		await inspect.call('CLIENT', 'PAUSE', '1500', 'ALL');
		const late = await a.slots.take(ada, '203.0.113.1');
		expect(late).toHaveProperty('release');
		expect(a.leases.available).toBe(false);
		expect(a.logs).toEqual([expect.stringMatching(/Redis cannot be reached/)]);
		await expect.poll(() => a.leases.available, { timeout: 5_000 }).toBe(true);
		// The request that timed out ran once Redis resumed: that socket counts for b as well.
		expect(await held('userBoard', 'ada\u0000board-1')).toBe(LIMITS.perUserBoard);
		expect(await b.slots.take(ada, '203.0.113.1')).toEqual(SOCKET_REFUSALS.userBoard);
		(late as SocketSlot).release();
		await expect.poll(() => held('userBoard', 'ada\u0000board-1')).toBe(LIMITS.perUserBoard - 1);
	});

	it('keeps no id or address in the clear, gives every key a TTL of one lease, and gives back every lease on close', async () => {
		const a = startProcess();
		await connected(a);
		await takeMany(a, identity('grace@example.com', 'board-secret'), 2, '198.51.100.250');
		const keys = await inspect.keys('journey:limit:sync-sockets-*');
		expect(keys).toHaveLength(4);
		expect(keys.join(' ')).not.toMatch(/grace|board-secret|198\.51/);
		for (const key of keys) {
			expect(await inspect.pttl(key)).toBeGreaterThan(0);
			expect(await inspect.pttl(key)).toBeLessThanOrEqual(LEASE_MS);
		}
		await a.leases.close();
		for (const key of keys) expect(await inspect.zcard(key)).toBe(0);
	});
});
