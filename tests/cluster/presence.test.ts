/**
 * Presence over two processes, without routing: a presence client id belongs to the person who
 * first announced it on the board, whichever process a later claim comes through, and a crowd
 * split over both processes stays within the board's presence budget as a whole (what both
 * processes publish to each other over Redis, and what each socket receives). While Redis is away,
 * each process shows its own sockets' presence by its own rule.
 */
import * as decoding from 'lib0/decoding';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { readAwarenessEntries } from '../../server/awareness-entries';
import { decodeBoardMessage } from '../../server/cluster/bus-codec';
import { presenceOwnerKey } from '../../server/cluster/presence-owners';
import { MESSAGE_AWARENESS } from '../../server/protocol';
import { redisCommand } from '../support/engines';
import type { ProductProcess } from '../support/product-process';
import { awarenessFrame, awarenessUpdate } from '../sync/battery-helpers';
import { barrier, cleanup, connectClient, waitFor, type Client } from '../sync/helpers';
import { clusterBoard } from './cluster-board';

const AWARENESS_MAX_PER_SECOND = 10;
const AWARENESS_TICK_MS = 50;
const AWARENESS_BOARD_PER_SEC = 400;
/** Entries one tick of the whole board may carry. */
const ENTRIES_PER_TICK = (AWARENESS_BOARD_PER_SEC * AWARENESS_TICK_MS) / 1000;
/** Viewer sockets in the crowd, half on each process: they offer 2.5 times the board's budget. */
const CROWD = 100;
/** How long the crowd sends presence. */
const STORM_MS = 3_000;
/** Entries each of the two processes applies per tick once it has heard of the other: half the board's. */
const SHARE_PER_TICK = ENTRIES_PER_TICK / 2;
/** Ticks beyond the storm's length a bound allows: each process's first tick before it hears of the other, and the ticks running as the storm starts and ends. */
const EXTRA_TICKS = 4;
/** Ticks of each process that may apply more than its share: those before the other's first announcement reaches it. */
const WARM_UP_TICKS = 2;

afterAll(cleanup);

/** A raw socket speaking for one presence client id, counting the presence frames it receives. */
interface PresenceSocket {
	socket: WebSocket;
	clientId: number;
	clock: number;
	largestFrame: number;
}

function openPresenceSocket(server: ProductProcess, cookie: string, boardId: string, clientId: number): Promise<PresenceSocket> {
	const presence: PresenceSocket = {
		socket: new WebSocket(`${server.syncUrl}/${boardId}`, { headers: { cookie } }),
		clientId,
		clock: 0,
		largestFrame: 0
	};
	const { socket } = presence;
	socket.on('error', () => {});
	socket.on('message', (data: Buffer) => {
		if (data[0] !== MESSAGE_AWARENESS) return;
		const decoder = decoding.createDecoder(new Uint8Array(data));
		decoding.readVarUint(decoder);
		decoding.readVarUint(decoder);
		presence.largestFrame = Math.max(presence.largestFrame, decoding.readVarUint(decoder));
	});
	return new Promise((resolveOpen, rejectOpen) => {
		socket.once('open', () => resolveOpen(presence));
		socket.once('unexpected-response', (_request, response) => rejectOpen(new Error(`upgrade refused: ${response.statusCode}`)));
	});
}

/** Sends the socket's next state for its client id, as the canvas sends a cursor. */
function announce(presence: PresenceSocket, cursor: { x: number; y: number }): void {
	if (presence.socket.readyState !== WebSocket.OPEN) return;
	presence.clock += 1;
	const state = { user: { name: `Viewer ${presence.clientId}` }, cursor };
	presence.socket.send(awarenessFrame(awarenessUpdate([{ clientId: presence.clientId, clock: presence.clock, state }])));
}

const cursorOf = (client: Client, clientId: number) => client.provider.awareness.getStates().get(clientId)?.cursor?.x;

describe('a presence client id across processes', () => {
	test('another person’s claim through the other process is dropped, even where the owner was never seen; the owner gets it back there', async () => {
		const { cluster, a, b, owner, members, boardId } = await clusterBoard({ members: { victim: 'editor', mallory: 'viewer' } });
		// Only process a serves the board while the victim announces their id.
		const victim = connectClient(a, members.victim.cookie, boardId);
		const watcherOnA = connectClient(a, owner.cookie, boardId);
		await Promise.all([victim.synced, watcherOnA.synced]);
		const victimId = victim.doc.clientID;
		victim.provider.awareness.setLocalStateField('cursor', { x: 1, y: 1 });
		await waitFor(() => cursorOf(watcherOnA, victimId) === 1, 'the victim’s cursor to arrive');
		expect(await redisCommand(cluster.redis.port, 'GET', presenceOwnerKey(boardId, victimId))).toBe(members.victim.id);

		// Mallory claims the id through b, whose room has never seen it: Redis knows its owner.
		const mallory = await openPresenceSocket(b, members.mallory.cookie, boardId, victimId);
		mallory.clock = 1_000;
		announce(mallory, { x: 666, y: 6 });
		const watcherOnB = connectClient(b, owner.cookie, boardId);
		await watcherOnB.synced;
		victim.provider.awareness.setLocalStateField('cursor', { x: 2, y: 2 });
		await waitFor(() => cursorOf(watcherOnB, victimId) === 2, 'the victim’s cursor to reach b');
		announce(mallory, { x: 667, y: 6 });
		await barrier(watcherOnB, watcherOnA);
		await barrier(watcherOnA, watcherOnB);
		expect(cursorOf(watcherOnA, victimId)).toBe(2);
		expect(cursorOf(watcherOnB, victimId)).toBe(2);
		expect(mallory.socket.readyState).toBe(WebSocket.OPEN);

		// The victim leaves and comes back through b with the same id: theirs there too.
		victim.provider.disconnect();
		await waitFor(() => cursorOf(watcherOnA, victimId) === undefined, 'the victim’s presence to be removed');
		announce(mallory, { x: 668, y: 6 });
		const back = connectClient(b, members.victim.cookie, boardId, { doc: victim.doc });
		await back.synced;
		back.provider.awareness.setLocalStateField('cursor', { x: 3, y: 3 });
		await waitFor(() => cursorOf(watcherOnA, victimId) === 3, 'the returning victim’s cursor to reach a');
		expect(cursorOf(watcherOnB, victimId)).toBe(3);
		mallory.socket.terminate();
	});
});

describe('a crowd split over both processes', () => {
	test('the board’s presence stays within its budget as a whole: published between the processes, and in every frame', async () => {
		const { cluster, a, b, owner, members, boardId } = await clusterBoard({
			members: { viewer: 'viewer' },
			env: {
				AWARENESS_MAX_PER_SECOND: String(AWARENESS_MAX_PER_SECOND),
				AWARENESS_TICK_MS: String(AWARENESS_TICK_MS),
				AWARENESS_BOARD_PER_SEC: String(AWARENESS_BOARD_PER_SEC),
				SYNC_MAX_SOCKETS_PER_USER_BOARD: '10000',
				SYNC_MAX_SOCKETS_PER_USER: '10000'
			}
		});
		const watcherOnA = connectClient(a, owner.cookie, boardId);
		const watcherOnB = connectClient(b, owner.cookie, boardId);
		await Promise.all([watcherOnA.synced, watcherOnB.synced]);
		const crowd = await Promise.all(
			Array.from({ length: CROWD }, (_, i) => openPresenceSocket(i % 2 ? b : a, members.viewer.cookie, boardId, 2_000_000 + i))
		);

		// What the processes tell each other about the board's presence, read off Redis.
		const listener = new Redis(cluster.redis.url, { maxRetriesPerRequest: 0 });
		listener.on('error', () => {});
		/** Entries of each presence message (one per tick), by sending process. */
		const published = new Map<string, number[]>();
		let counting = false;
		listener.on('messageBuffer', (_channel: Buffer, bytes: Buffer) => {
			const message = decodeBoardMessage(new Uint8Array(bytes));
			if (!counting || message?.kind !== 'presence') return;
			published.set(message.from, [...(published.get(message.from) ?? []), readAwarenessEntries(message.update).length]);
		});
		await listener.subscribe(`journey:board:${boardId}`);
		try {
			await barrier(watcherOnA, watcherOnB);
			for (const presence of crowd) presence.largestFrame = 0;
			counting = true;
			const startedAt = Date.now();
			let round = 0;
			const sender = setInterval(() => {
				round += 1;
				for (const presence of crowd) announce(presence, { x: round, y: presence.clientId % 500 });
			}, 1000 / AWARENESS_MAX_PER_SECOND);
			// The storm is the load under test, not a wait for an outcome.
			await new Promise((resolve) => setTimeout(resolve, STORM_MS));
			clearInterval(sender);
			counting = false;
			const ticks = Math.ceil((Date.now() - startedAt) / AWARENESS_TICK_MS) + EXTRA_TICKS;
			const offered = crowd.reduce((sum, presence) => sum + presence.clock, 0);
			const perProcess = [...published.values()];
			const sum = (counts: number[]) => counts.reduce((total, count) => total + count, 0);
			const total = sum(perProcess.map(sum));
			const largestFrame = Math.max(...crowd.map((presence) => presence.largestFrame));
			console.log(
				`[cluster] presence crowd: ${CROWD} sockets offered ${offered} updates; the processes published ` +
					`${perProcess.map(sum).join(' + ')} = ${total} entries in ${perProcess.map((counts) => counts.length).join(' + ')} ticks ` +
					`(at most ${perProcess.map((counts) => Math.max(...counts)).join(' and ')} a tick; the board's budget over the storm is ` +
					`${ticks} ticks × ${ENTRIES_PER_TICK}); largest frame ${largestFrame} entries`
			);
			// Both processes applied presence, each at most its half of the board's budget per tick
			// (once it has heard of the other), so together no more than the board's budget.
			expect(perProcess).toHaveLength(2);
			for (const counts of perProcess) expect(counts.filter((count) => count > SHARE_PER_TICK).length).toBeLessThanOrEqual(WARM_UP_TICKS);
			expect(total).toBeLessThanOrEqual(ticks * ENTRIES_PER_TICK);
			expect(largestFrame).toBeLessThanOrEqual(ENTRIES_PER_TICK);
			expect(crowd.every((presence) => presence.socket.readyState === WebSocket.OPEN)).toBe(true);

			// Everyone's newest state reaches the watchers on both processes.
			const present = (client: Client) => client.provider.awareness.getStates().size;
			await waitFor(() => present(watcherOnA) >= CROWD + 2 && present(watcherOnB) >= CROWD + 2, 'the crowd’s states on both processes');
			for (const presence of crowd) presence.socket.close();
			await waitFor(() => present(watcherOnA) === 2 && present(watcherOnB) === 2, 'the crowd’s presence to be removed on both');
		} finally {
			for (const presence of crowd) presence.socket.terminate();
			listener.disconnect();
		}
	});
});

describe('presence while Redis is away', () => {
	test('each process shows its own sockets’ presence by its own rule, and presence crosses again once Redis is back', async () => {
		const { cluster, a, b, owner, members, boardId } = await clusterBoard({ members: { editor: 'editor', mallory: 'viewer' } });
		const watcherOnA = connectClient(a, owner.cookie, boardId);
		const watcherOnB = connectClient(b, owner.cookie, boardId);
		await Promise.all([watcherOnA.synced, watcherOnB.synced]);
		await cluster.redis.halt();

		// A person arriving meanwhile is shown at once on their process; another person's claim of
		// their id there is still dropped (the process knows its owner).
		const editor = connectClient(a, members.editor.cookie, boardId);
		await editor.synced;
		editor.provider.awareness.setLocalStateField('cursor', { x: 1, y: 1 });
		await waitFor(() => cursorOf(watcherOnA, editor.doc.clientID) === 1, 'the editor’s cursor on their process while Redis is away');
		const mallory = await openPresenceSocket(a, members.mallory.cookie, boardId, editor.doc.clientID);
		mallory.clock = 1_000;
		announce(mallory, { x: 666, y: 6 });
		editor.provider.awareness.setLocalStateField('cursor', { x: 2, y: 2 });
		await waitFor(() => cursorOf(watcherOnA, editor.doc.clientID) === 2, 'the editor’s next cursor');
		await barrier(editor, watcherOnA);
		expect(cursorOf(watcherOnA, editor.doc.clientID)).toBe(2);

		await cluster.redis.start();
		// A state sent before the bus is back reaches only its own process: the cursor moves until one crosses.
		let moves = 0;
		await waitFor(() => {
			moves += 1;
			editor.provider.awareness.setLocalStateField('cursor', { x: 3, y: moves });
			return cursorOf(watcherOnB, editor.doc.clientID) === 3;
		}, 'the editor’s cursor on the other process once Redis is back');
		for (const process of [a, b]) expect(process.exitCode).toBeNull();
		mallory.socket.terminate();
	});
});
