/**
 * Battery: presence costs linear work. A crowd of viewer sockets sending presence at the allowed
 * rate gets one coalesced frame per board tick (`AWARENESS_TICK_MS`) with at most the board's
 * budget of entries (`AWARENESS_BOARD_PER_SEC`), while `/healthz` answers, an edit on
 * another board arrives, and a real client's cursor still reaches the others. Presence client ids
 * belong to the person who first used them on a board: another person's claim is dropped, also
 * after the owner left, and the owner gets the id back on reconnect. On PostgreSQL the board's
 * sockets are spread over two processes (`sync-pg`), and all of this holds for the board as a whole.
 */
import * as decoding from 'lib0/decoding';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { putItem } from '../../src/lib/journey/document';
import { MESSAGE_AWARENESS } from '../../server/protocol';
import { awarenessFrame, awarenessUpdate, ProbeSocket, scaled, scaledTimeout } from './battery-helpers';
import { api, barrier, cleanup, connectClient, touchpoint, touchpointIds, waitFor, type Account, type TestServer } from './helpers';
import { setupBoard } from './setup';

const AWARENESS_MAX_PER_SECOND = 10;
const AWARENESS_TICK_MS = 50;
const AWARENESS_BOARD_PER_SEC = 400;
/** Entries one tick may carry: the board's budget spread over its ticks. */
const ENTRIES_PER_TICK = (AWARENESS_BOARD_PER_SEC * AWARENESS_TICK_MS) / 1000;
/** Viewer sockets in the crowd. */
const CROWD = scaled(200, 1_000);
/** How long the crowd sends presence. */
const STORM_MS = scaled(4_000, 30_000);
/** Sockets opened at once while the crowd gathers. */
const OPEN_BATCH = 50;
/** Frames a socket may receive beyond one per tick: the tick running as the storm starts and ends. */
const EXTRA_TICKS = 2;

/** A raw viewer socket of the crowd, counting the presence frames it receives. */
interface CrowdSocket {
	socket: WebSocket;
	clientId: number;
	clock: number;
	frames: number;
	entries: number;
	largestFrame: number;
}

/** Opens a crowd socket; resolves once it is open. */
function openCrowdSocket(server: TestServer, cookie: string, boardId: string, clientId: number): Promise<CrowdSocket> {
	const crowdSocket: CrowdSocket = {
		socket: new WebSocket(`${server.syncUrl}/${boardId}`, { headers: { cookie } }),
		clientId,
		clock: 0,
		frames: 0,
		entries: 0,
		largestFrame: 0
	};
	const { socket } = crowdSocket;
	socket.on('error', () => {});
	socket.on('message', (data: Buffer) => {
		if (data[0] !== MESSAGE_AWARENESS) return;
		const decoder = decoding.createDecoder(new Uint8Array(data));
		decoding.readVarUint(decoder);
		decoding.readVarUint(decoder);
		const entries = decoding.readVarUint(decoder);
		crowdSocket.frames += 1;
		crowdSocket.entries += entries;
		crowdSocket.largestFrame = Math.max(crowdSocket.largestFrame, entries);
	});
	return new Promise((resolveOpen, rejectOpen) => {
		socket.once('open', () => resolveOpen(crowdSocket));
		socket.once('unexpected-response', (_request, response) => rejectOpen(new Error(`upgrade refused: ${response.statusCode}`)));
	});
}

/** Sends the socket's next cursor position, as the canvas does. */
function move(crowdSocket: CrowdSocket): void {
	if (crowdSocket.socket.readyState !== WebSocket.OPEN) return;
	crowdSocket.clock += 1;
	const state = { user: { name: `Viewer ${crowdSocket.clientId}` }, cursor: { x: crowdSocket.clock, y: crowdSocket.clientId % 500 } };
	crowdSocket.socket.send(awarenessFrame(awarenessUpdate([{ clientId: crowdSocket.clientId, clock: crowdSocket.clock, state }])));
}

describe('presence', () => {
	let server: TestServer;
	let owner: Account;
	let viewer: Account;
	let editor: Account;

	beforeAll(async () => {
		({
			server,
			owner,
			members: { viewer, editor }
		} = await setupBoard({
			board: false,
			env: {
				AWARENESS_MAX_PER_SECOND: String(AWARENESS_MAX_PER_SECOND),
				AWARENESS_TICK_MS: String(AWARENESS_TICK_MS),
				AWARENESS_BOARD_PER_SEC: String(AWARENESS_BOARD_PER_SEC)
			},
			members: { viewer: null, editor: null }
		}));
	});

	afterAll(cleanup);

	test(
		'a crowd sending presence gets one frame per tick; health, another board and a real cursor stay live',
		async () => {
			const {
				boardId,
				clients: [presenter, audience]
			} = await setupBoard({
				server,
				owner,
				members: { viewer: { role: 'viewer', account: viewer } },
				board: { title: 'Town hall', template: 'blank' },
				clients: ['owner', 'viewer']
			});
			const {
				clients: [alice, bob]
			} = await setupBoard({
				server,
				owner,
				members: { editor: { role: 'editor', account: editor } },
				board: { title: 'Elsewhere', template: 'blank' },
				clients: ['owner', 'editor']
			});

			const crowd: CrowdSocket[] = [];
			try {
				for (let first = 0; first < CROWD; first += OPEN_BATCH) {
					const batch = Array.from({ length: Math.min(OPEN_BATCH, CROWD - first) }, (_, i) =>
						openCrowdSocket(server, viewer.cookie, boardId, 1_000_000 + first + i)
					);
					crowd.push(...(await Promise.all(batch)));
				}
				// Joining sent each socket the presence present then; count only what the storm causes.
				await barrier(presenter, audience);
				for (const crowdSocket of crowd) crowdSocket.frames = crowdSocket.entries = crowdSocket.largestFrame = 0;

				const startedAt = Date.now();
				const sender = setInterval(() => crowd.forEach(move), 1000 / AWARENESS_MAX_PER_SECOND);
				let healthChecks = 0;
				const health = (async () => {
					while (Date.now() - startedAt < STORM_MS) {
						expect((await api(server, 'GET', '/healthz')).status).toBe(200);
						healthChecks += 1;
					}
				})();
				try {
					// Another board's edit arrives; a real client's cursor reaches the crowded board.
					putItem(bob.doc, 'touchpoints', touchpoint('tp-during-the-crowd'));
					await waitFor(() => touchpointIds(alice.doc).includes('tp-during-the-crowd'), 'the other board’s edit to arrive');
					presenter.provider.awareness.setLocalStateField('cursor', { x: 42, y: 7 });
					await waitFor(
						() => audience.provider.awareness.getStates().get(presenter.doc.clientID)?.cursor?.x === 42,
						'the presenter’s cursor to reach the audience'
					);
					await health;
				} finally {
					clearInterval(sender);
				}
				const elapsedMs = Date.now() - startedAt;

				const sent = crowd.reduce((sum, crowdSocket) => sum + crowdSocket.clock, 0);
				const received = crowd.reduce((sum, crowdSocket) => sum + crowdSocket.frames, 0);
				const mostFrames = Math.max(...crowd.map((crowdSocket) => crowdSocket.frames));
				const largestFrame = Math.max(...crowd.map((crowdSocket) => crowdSocket.largestFrame));
				const mostEntries = Math.max(...crowd.map((crowdSocket) => crowdSocket.entries));
				console.log(
					`[battery] presence crowd: ${CROWD} sockets sent ${sent} updates in ${elapsedMs} ms; ` +
						`${received} frames received (relaying each would be ${sent * (CROWD - 1)}), at most ${mostFrames} ` +
						`per socket, at most ${largestFrame} entries per frame; ${healthChecks} health checks answered`
				);
				expect(crowd.every((crowdSocket) => crowdSocket.socket.readyState === WebSocket.OPEN)).toBe(true);
				expect(healthChecks).toBeGreaterThan(0);
				// One frame per tick, at most the board's budget in each, whatever the crowd sends.
				expect(mostFrames).toBeLessThanOrEqual(Math.ceil(elapsedMs / AWARENESS_TICK_MS) + EXTRA_TICKS);
				expect(largestFrame).toBeLessThanOrEqual(ENTRIES_PER_TICK);
				expect(mostEntries).toBeLessThanOrEqual((Math.ceil(elapsedMs / AWARENESS_TICK_MS) + EXTRA_TICKS) * ENTRIES_PER_TICK);

				// A newcomer gets everyone's presence on joining; the crowd's leaving reaches the others.
				const present = () => audience.provider.awareness.getStates().size;
				await waitFor(() => present() >= CROWD + 2, 'the crowd’s newest states to be applied');
				const newcomer = connectClient(server, owner.cookie, boardId);
				await newcomer.synced;
				expect(newcomer.provider.awareness.getStates().size).toBeGreaterThanOrEqual(CROWD + 2);
				for (const crowdSocket of crowd) crowdSocket.socket.close();
				await waitFor(() => present() === 3, 'the crowd’s presence to be removed');
			} finally {
				for (const crowdSocket of crowd) crowdSocket.socket.terminate();
			}
		},
		scaledTimeout(120_000, 600_000)
	);

	test('a presence client id belongs to its person: a claim by another is dropped, its owner gets it back', async () => {
		const {
			boardId,
			clients: [watcher, marker, victim]
		} = await setupBoard({
			server,
			owner,
			members: { editor: { role: 'editor', account: editor }, viewer: { role: 'viewer', account: viewer } },
			board: { title: 'Claims', template: 'blank' },
			clients: ['owner', 'owner', 'editor']
		});
		const victimId = victim.doc.clientID;
		const stateOf = (id: number) => watcher.provider.awareness.getStates().get(id);
		victim.provider.awareness.setLocalStateField('cursor', { x: 1, y: 1 });
		await waitFor(() => stateOf(victimId)?.cursor?.x === 1, 'the victim’s cursor to arrive');

		// The victim leaves: their cursor disappears for the others.
		victim.provider.disconnect();
		await waitFor(() => stateOf(victimId) === undefined, 'the victim’s presence to be removed');

		// Another person claims the id: the entry is dropped and the socket stays open.
		const mallory = await ProbeSocket.open(server, viewer.cookie, boardId);
		const claim = (clock: number) =>
			mallory.deliver(
				awarenessFrame(awarenessUpdate([{ clientId: victimId, clock, state: { user: { name: 'Mallory' }, cursor: { x: 666, y: 6 } } }]))
			);
		expect(await claim(10_000)).toEqual({ closed: false });
		await barrier(marker, watcher);
		expect(stateOf(victimId)).toBeUndefined();

		// The victim reconnects with the same id: their presence is back, and it moves.
		victim.provider.connect();
		await waitFor(() => stateOf(victimId)?.cursor?.x === 1, 'the reconnected victim’s presence to arrive');
		victim.provider.awareness.setLocalStateField('cursor', { x: 2, y: 2 });
		await waitFor(() => stateOf(victimId)?.cursor?.x === 2, 'the reconnected victim’s cursor to move');

		// Claiming it again while the owner is present is dropped too.
		expect(await claim(20_000)).toEqual({ closed: false });
		await barrier(marker, watcher);
		expect(stateOf(victimId)?.cursor).toEqual({ x: 2, y: 2 });
		expect(victim.closeCodes).toEqual([]);
		mallory.close();
	});
});
