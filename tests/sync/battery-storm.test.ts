/**
 * Battery: reconnect storm. 200 real `WebsocketProvider` clients on several boards, each with an
 * edit made online and one made while the server was down; the server is killed and restarted,
 * all 200 reconnect at once, and every board ends with each edit exactly once (a replay written
 * anew would leave a second entry for its card in the touchpoints map, counted with the deleted
 * ones) on every client, a fresh client and the stored board.
 *
 * The clients back off as the browser client does (`jitterReconnects`), and the test records when
 * they retried: their first retries after the kill must be spread, not all at the same moments.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { putItem } from '../../src/lib/journey/document';
import { jitterReconnects, MAX_RECONNECT_BACKOFF_MS } from '../../src/lib/board/reconnect-jitter';
import { fingerprint, storedBoard, scaled, scaledTimeout } from './battery-helpers';
import { cleanup, createBoard, loadFresh, touchpoint, waitFor, webSocketWith, type Account, type TestServer } from './helpers';
import { setupBoard } from './setup';

const CLIENTS = scaled(200, 1_000);
const BOARDS = 8;

interface StormClient {
	index: number;
	boardId: string;
	doc: Y.Doc;
	provider: WebsocketProvider;
	/** When this client opened a socket (ms, performance.now()). */
	attempts: number[];
}

describe('reconnect storm', () => {
	let server: TestServer;
	let owner: Account;
	const clients: StormClient[] = [];

	beforeAll(async () => {
		({ server, owner } = await setupBoard({ owner: 'Storm owner', board: false }));
	});
	afterAll(async () => {
		for (const client of clients) {
			client.provider.destroy();
			client.doc.destroy();
		}
		await cleanup();
	});

	test(
		`${CLIENTS} clients reconnect after a restart and resync with no duplicated content`,
		async () => {
			// Every provider adds an exit listener to the process (y-websocket does, in Node).
			process.setMaxListeners(CLIENTS + 50);
			const boards = await Promise.all(
				Array.from({ length: BOARDS }, (_, i) => createBoard(server, owner, { title: `Storm ${i}`, template: 'blank' }))
			);
			const Socket = webSocketWith(owner.cookie);
			for (let index = 0; index < CLIENTS; index++) {
				const attempts: number[] = [];
				// Records every socket the provider opens, to see when it retried.
				class CountingSocket extends Socket {
					constructor(address: string | URL | null, protocols?: string | string[]) {
						super(address, protocols);
						attempts.push(performance.now());
					}
				}
				const doc = new Y.Doc();
				const boardId = boards[index % BOARDS];
				const provider = new WebsocketProvider(server.syncUrl, boardId, doc, {
					WebSocketPolyfill: CountingSocket as unknown as typeof globalThis.WebSocket,
					disableBc: true,
					// As the browser client: the storm after a restart is what this backoff shapes.
					maxBackoffTime: MAX_RECONNECT_BACKOFF_MS
				});
				jitterReconnects(provider, MAX_RECONNECT_BACKOFF_MS);
				clients.push({ index, boardId, doc, provider, attempts });
			}
			await waitFor(() => clients.every((client) => client.provider.synced), 'all clients to sync', 60_000);

			for (const client of clients) {
				putItem(client.doc, 'touchpoints', touchpoint(`c${client.index}`, { x: client.index }));
			}
			const perBoard = CLIENTS / BOARDS;
			await waitFor(
				() => clients.every((client) => client.doc.getMap('touchpoints').size === perBoard),
				'the online edits everywhere',
				60_000
			);

			await server.kill9();
			const killedAt = performance.now();
			await waitFor(() => clients.every((client) => !client.provider.wsconnected), 'every client to notice the kill');
			for (const client of clients) {
				putItem(client.doc, 'touchpoints', touchpoint(`c${client.index}-offline`, { x: client.index }));
			}
			const started = performance.now();
			await server.restart();
			const restartedAt = performance.now();
			await waitFor(() => clients.every((client) => client.provider.synced), 'all clients to resync', 60_000);
			await waitFor(
				() => clients.every((client) => client.doc.getMap('touchpoints').size >= 2 * perBoard),
				'the offline edits everywhere',
				60_000
			);
			const resynced = performance.now();

			for (const boardId of boards) {
				const onBoard = clients.filter((client) => client.boardId === boardId);
				const expected = onBoard.flatMap((client) => [`c${client.index}`, `c${client.index}-offline`]).sort();
				await waitFor(
					() => onBoard.every((client) => fingerprint(client.doc) === fingerprint(onBoard[0].doc)),
					'the board’s clients to agree'
				);
				expect(entriesEverWritten(onBoard[0].doc, 'touchpoints'), 'no entry duplicated by a replay').toBe(expected.length);
				expect([...onBoard[0].doc.getMap('touchpoints').keys()].sort()).toEqual(expected);
				const fresh = await loadFresh(server, owner, boardId);
				expect(fingerprint(fresh)).toBe(fingerprint(onBoard[0].doc));
				const stored = await storedBoard(server, boardId);
				expect(stored.integrity).toBe('ok');
				expect(fingerprint(stored.doc)).toBe(fingerprint(onBoard[0].doc));
			}
			expect(server.stderr).toBe('');

			// When did they retry? Relative to the kill, rounded to 10 ms.
			const retries = clients.map((client) =>
				client.attempts.filter((at) => at > killedAt).map((at) => Math.round((at - killedAt) / 10) * 10)
			);
			const firstRetry = retries.map((times) => times[0]).filter((time) => time !== undefined);
			const spread = Math.max(...firstRetry) - Math.min(...firstRetry);
			const distinct = new Set(retries.map((times) => times.slice(0, 3).join(','))).size;
			console.log(
				`[battery] reconnect storm: ${CLIENTS} clients on ${BOARDS} boards resynced ${((resynced - restartedAt) / 1000).toFixed(2)} s after the restart ` +
					`(restart took ${((restartedAt - started) / 1000).toFixed(2)} s); first retries after the kill span ${spread} ms, ` +
					`${distinct} distinct retry schedules among ${CLIENTS} clients`
			);
			// Without jitter every client retries on the same schedule (one distinct schedule).
			expect(distinct, 'reconnect schedules with jitter').toBeGreaterThan(CLIENTS / 4);
		},
		scaledTimeout(120_000, 600_000)
	);
});

/** Entries ever written to a top-level map, overwritten and deleted ones included (each is one struct). */
function entriesEverWritten(doc: Y.Doc, name: string): number {
	const map = doc.getMap(name);
	let count = 0;
	for (const structs of doc.store.clients.values()) {
		for (const struct of structs) if (struct instanceof Y.Item && struct.parent === map) count++;
	}
	return count;
}
