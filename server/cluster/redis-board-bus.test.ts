/**
 * The Redis bus against a real Redis (`startRedis()`, started on loopback by the test): binary
 * board messages arrive byte for byte, only at other processes, and a Redis stopped and started
 * again is reconnected to and every subscription made again before the bus says it is connected.
 */
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { missingEngines, startRedis, type RedisEngine } from '../../tests/support/engines';
import { Redis } from 'ioredis';
import * as Y from 'yjs';
import { journeyToDoc, putItem, readJourney } from '../../src/lib/journey/document';
import { templateJourney } from '../../src/lib/journey/templates';
import { newTouchpoint } from '../../src/lib/journey/touchpoint';
import type { Room } from '../room';
import { Rooms } from '../rooms';
import { MemoryBoardEvents, MemoryBoardStore } from '../storage/memory-board-store';
import type { ClusterEvent, ReceivedBoardMessage } from './board-bus';
import { encodeBoardMessage } from './bus-codec';
import { RedisBoardBus } from './redis-board-bus';

const WAIT = { timeout: 15_000, interval: 20 };
/** Long enough that no room unloads or sleeps by itself during a test. */
const IDLE_MS = 60_000;

/** A message's bytes (an update's or a presence's). */
function payload(message: ReceivedBoardMessage): Uint8Array {
	return 'update' in message ? message.update : new Uint8Array();
}

/** The touchpoint titles a room's board holds. */
function titles(room: Room): string[] {
	return readJourney(room.copyDoc())
		.touchpoints.map((touchpoint) => touchpoint.title)
		.sort();
}

/** A server-side edit (as the hub makes): stored, then published. */
function addTouchpoint(room: Room, title: string): void {
	room.doc.transact(() =>
		putItem(room.doc, 'touchpoints', newTouchpoint({ id: title, stageId: 'stage-1', laneId: 'lane-touchpoints', title }))
	);
}

describe.skipIf(missingEngines('redis').length > 0)('the Redis board bus', () => {
	let redis: RedisEngine;
	const buses: RedisBoardBus[] = [];

	beforeAll(async () => {
		redis = await startRedis();
	}, 30_000);

	afterAll(async () => {
		for (const bus of buses) await bus.close();
		await redis?.stop();
	});

	async function connectedBus(ackMs?: number): Promise<RedisBoardBus> {
		const bus = new RedisBoardBus(redis.url, ackMs);
		buses.push(bus);
		await vi.waitFor(() => expect(bus.connected).toBe(true), WAIT);
		return bus;
	}

	/** A subscriber that hears events but never acknowledges them (an older process, a hung one); it does not reconnect. */
	async function silentSubscriber(): Promise<{ client: Redis; heard: string[] }> {
		const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
		client.on('error', () => {});
		await client.connect();
		const heard: string[] = [];
		client.on('message', (_channel: string, message: string) => heard.push(message));
		await client.subscribe('journey:events');
		return { client, heard };
	}

	test('a binary update reaches the other process unchanged, and never its sender', async () => {
		const [a, b] = [await connectedBus(), await connectedBus()];
		const onA: ReceivedBoardMessage[] = [];
		const onB: ReceivedBoardMessage[] = [];
		await a.subscribe('board-x', (message) => onA.push(message));
		await b.subscribe('board-x', (message) => onB.push(message));
		// Every byte value, zeros and invalid UTF-8 included, as a Yjs update may hold them.
		const update = new Uint8Array(70_000).map((_, index) => (index * 31) % 256);
		b.publish('board-x', { kind: 'update', seq: 41, update });
		b.publish('board-x', { kind: 'presence', update: new Uint8Array([1, 0, 255]) });
		await vi.waitFor(() => expect(onA).toHaveLength(2), WAIT);
		expect(onA[0]).toMatchObject({ kind: 'update', seq: 41, from: b.processId });
		expect(Buffer.compare(payload(onA[0]), update)).toBe(0);
		expect(onA[1]).toMatchObject({ kind: 'presence', from: b.processId });
		expect([...payload(onA[1])]).toEqual([1, 0, 255]);
		b.publish('board-x', { kind: 'head', seq: 7 });
		await vi.waitFor(() => expect(onA[2]).toEqual({ kind: 'head', seq: 7, from: b.processId }), WAIT);
		expect(b.counts.published).toBe(3);
		expect(onB).toHaveLength(0);
		// On the wire: the update's bytes plus the kind, the sender's id and the number; no base64.
		expect(encodeBoardMessage(b.processId, { kind: 'update', seq: 41, update }).length).toBeLessThan(update.length + 48);
	});

	test('process-wide events reach every other process', async () => {
		const [a, b] = [await connectedBus(), await connectedBus()];
		const heard: ClusterEvent[] = [];
		a.onEvent((event) => heard.push(event));
		b.publishEvent({ type: 'set-member-role', boardId: 'board-x', userId: 'u1', role: null });
		await vi.waitFor(() => expect(heard).toEqual([{ type: 'set-member-role', boardId: 'board-x', userId: 'u1', role: null }]), WAIT);
	});

	test('an event resolves once every other process has applied it; one that never answers is waited for only until the timeout', async () => {
		const [a, b, c] = [await connectedBus(), await connectedBus(), await connectedBus()];
		const applied: string[] = [];
		a.onEvent(() => applied.push('a'));
		c.onEvent(() => applied.push('c'));
		await b.publishEvent({ type: 'close-session', sessionId: 'session-1' });
		expect(applied.sort()).toEqual(['a', 'c']);

		const { client: silent, heard } = await silentSubscriber();
		const impatient = await connectedBus(200);
		await impatient.publishEvent({ type: 'close-session', sessionId: 'session-2' });
		expect(heard).toHaveLength(1);
		expect(applied.filter((process) => process === 'a')).toHaveLength(2);
		silent.disconnect();

		// Down, nothing is sent and nothing is waited for.
		await impatient.close();
		await impatient.publishEvent({ type: 'close-session', sessionId: 'session-3' });
		expect(applied).toHaveLength(4);
	});

	test('an event waiting for acknowledgements is settled as soon as Redis is lost, not at its timeout', async () => {
		// The event is heard but never acknowledged; the sender would wait an hour.
		const { client: silent, heard } = await silentSubscriber();
		const patient = await connectedBus(3_600_000);
		const waiting = patient.publishEvent({ type: 'close-session', sessionId: 'session-lost' });
		await vi.waitFor(() => expect(heard).toHaveLength(1), WAIT);

		await redis.halt();
		await expect(waiting).resolves.toBeUndefined();
		silent.disconnect();
		await redis.start();
		await vi.waitFor(() => expect(patient.connected).toBe(true), WAIT);
	}, 60_000);

	test('Redis stopped and started again: both reconnect, resubscribe, and messages flow again', async () => {
		const [a, b] = [await connectedBus(), await connectedBus()];
		const onA: ReceivedBoardMessage[] = [];
		const states: boolean[] = [];
		a.onConnection((connected) => states.push(connected));
		await a.subscribe('board-y', (message) => onA.push(message));

		await redis.halt();
		await vi.waitFor(() => expect(a.connected || b.connected).toBe(false), WAIT);
		// Dropped while down, without throwing.
		b.publish('board-y', { kind: 'update', seq: 1, update: new Uint8Array([1]) });
		// Subscribed while down: made once Redis is back.
		await a.subscribe('board-z', (message) => onA.push(message));

		await redis.start();
		await vi.waitFor(() => expect(a.connected && b.connected).toBe(true), WAIT);
		expect(states).toEqual([false, true]);
		b.publish('board-y', { kind: 'update', seq: 2, update: new Uint8Array([2]) });
		b.publish('board-z', { kind: 'update', seq: 1, update: new Uint8Array([3]) });
		await vi.waitFor(() => expect(onA.map((message) => [...payload(message)])).toEqual([[2], [3]]), WAIT);
	}, 60_000);

	test('two processes’ rooms converge over Redis, while it is stopped (polling the store), and after', async () => {
		const store = new MemoryBoardStore();
		store.createBoard('board-r', Y.encodeStateAsUpdate(journeyToDoc(templateJourney('blank', 'Redis', 'en'))));
		const open = async () => {
			const rooms = new Rooms(store, new MemoryBoardEvents(), IDLE_MS, IDLE_MS, { bus: await connectedBus(), pollMs: 50 });
			return { rooms, room: await rooms.open('board-r') };
		};
		const [a, b] = [await open(), await open()];
		try {
			addTouchpoint(a.room, 'over-redis');
			await vi.waitFor(() => expect(titles(b.room)).toEqual(['over-redis']), WAIT);

			await redis.halt();
			addTouchpoint(a.room, 'while-redis-is-down');
			addTouchpoint(b.room, 'also-while-down');
			await vi.waitFor(() => expect(titles(b.room)).toEqual(titles(a.room)), WAIT);
			expect(titles(a.room)).toHaveLength(3);

			await redis.start();
			addTouchpoint(b.room, 'after-the-restart');
			await vi.waitFor(() => expect(titles(a.room)).toEqual(titles(b.room)), WAIT);
			expect(titles(a.room)).toContain('after-the-restart');
		} finally {
			await a.rooms.closeAll();
			await b.rooms.closeAll();
		}
	}, 60_000);
});
