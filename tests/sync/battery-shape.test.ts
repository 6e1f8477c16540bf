/**
 * Battery: the document keeps its shape. An editor's update that would put into the board what the
 * journey document's shape does not allow (a title that is a `Y.Map` nested 20,000 deep), more
 * maps than a board holds items (100,000 tiny maps), or more than the board's memory budget, is
 * refused with 4422 and a reason naming what was wrong: nothing of it is applied, stored or
 * relayed, the board's reads, exports and versions keep answering (also after a restart), and an
 * honest editor's edits made meanwhile all arrive.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { putItem } from '../../src/lib/journey/document';
import { MAX_ITEMS } from '../../src/lib/journey/document-shape';
import { CLOSE_CODES } from '../../server/close-codes';
import { storedBoard, rssKb, syncUpdate } from './battery-helpers';
import {
	api,
	barrier,
	cleanup,
	connectClient,
	loadFresh,
	touchpoint,
	waitFor,
	type Account,
	type Client,
	type TestServer
} from './helpers';
import { setupBoard } from './setup';

/** The boards' memory budget here: far above the blank board, below 5,000 cards in one edit. */
const MAX_MEMORY_MB = 32;
/** Depth of the nested title. */
const DEPTH = 20_000;
/** Tiny maps per hostile update, and such updates sent. */
const TINY_MAPS = 100_000;
const TINY_MAP_UPDATES = 3;
/**
 * Resident memory the server may gain over the tiny-map updates. They are counted before they are
 * decoded (decoding one would cost 120 MB); taking them cost 947 MB (the live document and the
 * guard's copy).
 */
const RSS_ALLOWANCE_KB = 64 * 1024;

/** Closes of one raw socket: code and reason. */
interface Closed {
	code: number;
	reason: string;
}

describe('document shape', () => {
	let server: TestServer;
	let owner: Account;
	let mallory: Account;
	let boardId: string;
	let alice: Client;
	let bob: Client;

	beforeAll(async () => {
		({
			server,
			owner,
			boardId,
			members: { mallory },
			clients: [alice, bob]
		} = await setupBoard({
			env: { BOARD_MAX_MEMORY_MB: String(MAX_MEMORY_MB) },
			owner: 'Alice',
			members: { bob: { role: 'editor', name: 'Bob' }, mallory: { role: 'editor', name: 'Mallory' } },
			board: { title: 'Shape', template: 'blank' },
			clients: ['owner', 'bob']
		}));
		putItem(alice.doc, 'touchpoints', touchpoint('tp-1', { title: 'First card' }));
		await barrier(alice, bob);
		await waitFor(() => bob.doc.getMap('touchpoints').has('tp-1'), 'the first card to reach Bob');
	});
	afterAll(cleanup);

	/** An update made on a copy of the board as Mallory's client has it. */
	function hostileUpdate(change: (doc: Y.Doc) => void): Uint8Array {
		const doc = new Y.Doc();
		Y.applyUpdate(doc, Y.encodeStateAsUpdate(alice.doc));
		const before = Y.encodeStateVector(doc);
		change(doc);
		const update = Y.encodeStateAsUpdate(doc, before);
		doc.destroy();
		return update;
	}

	/** Sends one update frame on a raw socket of Mallory's and resolves with how the server closed it. */
	function sendRaw(update: Uint8Array): Promise<Closed> {
		return new Promise((resolveClose, rejectClose) => {
			const socket = new WebSocket(`${server.syncUrl}/${boardId}`, { headers: { cookie: mallory.cookie } });
			socket.on('error', () => {});
			socket.once('unexpected-response', (_request, response) => rejectClose(new Error(`upgrade refused: ${response.statusCode}`)));
			socket.once('close', (code, reason) => resolveClose({ code, reason: reason.toString() }));
			socket.once('open', () => socket.send(syncUpdate(update), { binary: true }));
		});
	}

	/** Bob adds cards one by one until `stop` resolves; the ids he added. */
	async function bobEditsUntil(stop: Promise<unknown>): Promise<string[]> {
		const ids: string[] = [];
		let done = false;
		void stop.finally(() => (done = true));
		while (!done) {
			const id = `tp-bob-${ids.length}`;
			putItem(bob.doc, 'touchpoints', touchpoint(id, { title: `Bob ${ids.length}` }));
			ids.push(id);
			await new Promise((resolvePause) => setTimeout(resolvePause, 20));
		}
		return ids;
	}

	/** Every read the board offers answers 200: journey, analysis, CSV, saving and restoring a version. */
	async function expectBoardServes(label: string): Promise<void> {
		const cookie = owner.cookie;
		for (const path of ['journey', 'analysis', 'export/csv', 'export/pdf']) {
			expect((await api(server, 'GET', `/api/boards/${boardId}/${path}`, { cookie })).status, `${label}: GET ${path}`).toBe(200);
		}
		const saved = await api(server, 'POST', `/api/boards/${boardId}/versions`, { cookie, body: { name: `Before ${label}` } });
		expect(saved.status, `${label}: saving a version`).toBe(201);
		const restored = await api(server, 'POST', `/api/boards/${boardId}/versions/${saved.body.id}/restore`, { cookie });
		expect(restored.status, `${label}: restoring a version`).toBe(200);
		expect((await api(server, 'GET', `/api/boards/${boardId}/journey`, { cookie })).body.touchpoints.length).toBeGreaterThan(0);
	}

	/** The first card's title is its plain text everywhere: Alice, Bob, a fresh client, the store. */
	async function expectTitleIntact(): Promise<void> {
		const fresh = await loadFresh(server, owner, boardId);
		const stored = await storedBoard(server, boardId);
		for (const [where, doc] of [
			['Alice', alice.doc],
			['Bob', bob.doc],
			['a fresh client', fresh],
			['the store', stored.doc]
		] as const) {
			const title = doc.getMap<Y.Map<unknown>>('touchpoints').get('tp-1')?.get('title');
			expect(typeof title, `the first card's title at ${where}`).toBe('string');
		}
		fresh.destroy();
		stored.doc.destroy();
	}

	test(`a title nested ${DEPTH} maps deep is refused with 4422, from a stock provider and a raw socket`, async () => {
		const nest = (doc: Y.Doc) =>
			doc.transact(() => {
				let map = new Y.Map<unknown>();
				doc.getMap<Y.Map<unknown>>('touchpoints').get('tp-1')!.set('title', map);
				for (let i = 0; i < DEPTH; i++) {
					const inner = new Y.Map<unknown>();
					map.set('title', inner);
					map = inner;
				}
			});
		const closed = await sendRaw(hostileUpdate(nest));
		expect(closed).toEqual({ code: CLOSE_CODES.documentShape, reason: 'touchpoints.tp-1.title: a text value expected' });

		// The stock provider: refused the same way, and it does not reconnect to try again.
		const attacker = connectClient(server, mallory.cookie, boardId);
		await attacker.synced;
		const edits = bobEditsUntil(waitFor(() => attacker.closeCodes.length > 0, "the attacker's socket to close"));
		nest(attacker.doc);
		const bobIds = await edits;
		expect(attacker.closeCodes).toEqual([CLOSE_CODES.documentShape]);
		attacker.destroy();

		await barrier(bob, alice);
		await waitFor(() => bobIds.every((id) => alice.doc.getMap('touchpoints').has(id)), "all of Bob's cards to reach Alice");
		await expectTitleIntact();
		await expectBoardServes('the nested title');

		await server.restart();
		await expectTitleIntact();
		await expectBoardServes('the restart');
		await waitFor(() => bob.provider.wsconnected && alice.provider.wsconnected, 'the clients to reconnect');
		putItem(bob.doc, 'touchpoints', touchpoint('tp-after-restart'));
		await waitFor(() => alice.doc.getMap('touchpoints').has('tp-after-restart'), "Bob's edit after the restart to reach Alice");
	});

	test(`${TINY_MAP_UPDATES} updates of ${TINY_MAPS} tiny maps are refused, and the server's memory stays flat`, async () => {
		const tinyMaps = hostileUpdate((doc) =>
			doc.transact(() => {
				const card = doc.getMap<Y.Map<unknown>>('touchpoints').get('tp-1')!;
				for (let i = 0; i < TINY_MAPS; i++) {
					const map = new Y.Map<unknown>();
					card.set(`k${i}`, map);
					map.set('a', 1);
				}
			})
		);
		const before = rssKb(server.pid!);
		const attacks = (async () => {
			const closes: Closed[] = [];
			for (let i = 0; i < TINY_MAP_UPDATES; i++) closes.push(await sendRaw(tinyMaps));
			return closes;
		})();
		const bobIds = await bobEditsUntil(attacks);
		const after = rssKb(server.pid!);
		console.log(`[battery] ${TINY_MAP_UPDATES} × ${TINY_MAPS} tiny maps (${tinyMaps.length} B each): server RSS ${before} → ${after} KiB`);
		for (const closed of await attacks) {
			expect(closed).toEqual({
				code: CLOSE_CODES.documentShape,
				reason: `the edit creates ${TINY_MAPS} maps or lists; a board holds at most ${MAX_ITEMS} items`
			});
		}
		expect(after - before).toBeLessThan(RSS_ALLOWANCE_KB);

		await barrier(bob, alice);
		await waitFor(() => bobIds.every((id) => alice.doc.getMap('touchpoints').has(id)), "all of Bob's cards to reach Alice");
		const fresh = await loadFresh(server, owner, boardId);
		expect([...fresh.getMap<Y.Map<unknown>>('touchpoints').get('tp-1')!.keys()].filter((key) => /^k\d+$/.test(key))).toEqual([]);
		fresh.destroy();
		await expectTitleIntact();
	});

	test(`an edit that would take the board past its ${MAX_MEMORY_MB} MB memory budget is refused, one under it is taken`, async () => {
		const cards = (count: number, prefix: string) =>
			hostileUpdate((doc) =>
				doc.transact(() => {
					for (let i = 0; i < count; i++) putItem(doc, 'touchpoints', touchpoint(`${prefix}-${i}`, { description: 'Seen in the field' }));
				})
			);
		const closed = await sendRaw(cards(5_000, 'too-many'));
		expect(closed.code).toBe(CLOSE_CODES.documentShape);
		expect(closed.reason).toMatch(/^the board would take about \d+(\.\d)? MB in memory, past its 32 MB budget$/);
		expect(alice.doc.getMap('touchpoints').has('too-many-0')).toBe(false);

		const editor = connectClient(server, mallory.cookie, boardId);
		await editor.synced;
		editor.doc.transact(() => {
			for (let i = 0; i < 200; i++) putItem(editor.doc, 'touchpoints', touchpoint(`fits-${i}`));
		});
		await waitFor(() => alice.doc.getMap('touchpoints').has('fits-199'), 'an edit under the budget to reach Alice');
		expect(editor.closeCodes).toEqual([]);
		editor.destroy();
	});
});
