/**
 * Battery: reads cost little and never block writes. A viewer looping journey, analysis and
 * export reads of a large board does not keep another board's edits from arriving nor `/healthz`
 * from answering; a read right after an edit is of the new state; the render queue is bounded
 * (503 with `Retry-After`), imports are built off the event loop, saved versions are viewed and compared off the event loop too, exports are rated per person (429), a board too large to render is
 * 413, and the server's memory stays within a budget during concurrent exports. No timing is
 * asserted, only outcomes.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { putItem } from '../../src/lib/journey/document';
import { generateJourney } from '../bench/workload';
import { isAlive, rssKb, scaled, scaledTimeout } from './battery-helpers';
import {
	addMember,
	api,
	barrier,
	cleanup,
	createBoard,
	signUp,
	touchpoint,
	waitFor,
	type Account,
	type Client,
	type TestServer
} from './helpers';
import { setupBoard } from './setup';

/** Cards on the large board: large enough that a PNG takes a worker a good while, small enough for CI. */
const LARGE_CARDS = scaled(400, 2_000);
/** Time for the tests that render the large board, on a busy CI machine. */
const RENDER_TEST_TIMEOUT_MS = scaledTimeout(180_000, 900_000);
const LARGE_DESCRIPTION_CHARS = 300;
/** Readers looping at once, as the viewer of the report did (three tabs). */
const READERS = 3;
/** Edits on the other board while the readers loop. */
const EDITS_WHILE_READING = scaled(20, 200);
/** Exports started at once in the memory test. */
const CONCURRENT_EXPORTS = 8;
/** Resident memory the server may gain over its idle size while eight exports run. */
const EXPORT_RSS_BUDGET_KB = 768 * 1024;
const RSS_SAMPLE_MS = 25;
/** Rooms sleep quickly here, so an edit that wakes a sleeping room can be read. */
const ROOM_SLEEP_SECONDS = 1;
const LOOP_PATHS = ['journey', 'analysis', 'export/png', 'export/pdf', 'export/svg', 'export/csv', 'export/md'];

/** A GET whose body is read whole; the status, headers and body text. */
async function get(server: TestServer, path: string, cookie: string) {
	const response = await fetch(server.url + path, { headers: { cookie } });
	const body = Buffer.from(await response.arrayBuffer());
	return { status: response.status, headers: response.headers, text: () => body.toString('utf8') };
}

describe('reads beside writes', () => {
	let server: TestServer;
	let owner: Account;
	let viewer: Account;
	let largeBoard: string;
	let otherBoard: string;
	let alice: Client;
	let bob: Client;

	beforeAll(async () => {
		({
			server,
			owner,
			members: { viewer },
			boardId: largeBoard
		} = await setupBoard({
			// A rate high enough for the loop; the rate itself is tested below.
			// Two render workers, whatever the machine, so two renders share the memory budget below.
			env: { EXPORTS_PER_MINUTE: '100000', ROOM_SLEEP_SECONDS: String(ROOM_SLEEP_SECONDS), RENDER_WORKERS: '2' },
			members: { viewer: 'viewer', editor: 'editor' },
			board: { title: 'Large board', journey: generateJourney(LARGE_CARDS, { descriptionChars: LARGE_DESCRIPTION_CHARS }) }
		}));
		({
			boardId: otherBoard,
			clients: [alice, bob]
		} = await setupBoard({ server, owner, members: { editor: { role: 'editor', name: 'Bob' } }, clients: ['owner', 'editor'] }));
	});

	afterAll(cleanup);

	test(
		'a viewer looping reads and exports of a large board keeps neither edits of another board nor /healthz waiting for good',
		async () => {
			// A saved version is viewed and compared with the board too: both are read off the event loop.
			const saved = await api(server, 'POST', `/api/boards/${largeBoard}/versions`, {
				cookie: owner.cookie,
				body: { name: 'Before the workshop' }
			});
			expect(saved.status).toBe(201);
			const versionId = (saved.body as { id: string }).id;
			const paths = [...LOOP_PATHS, `versions/${versionId}`, `versions/compare?from=${versionId}&to=current`];
			let reading = true;
			const statuses = new Map<number, number>();
			const loop = async (reader: number) => {
				for (let i = reader; reading; i++) {
					const { status } = await get(server, `/api/boards/${largeBoard}/${paths[i % paths.length]}`, viewer.cookie);
					statuses.set(status, (statuses.get(status) ?? 0) + 1);
				}
			};
			const readers = Array.from({ length: READERS }, (_, reader) => loop(reader));
			try {
				for (let i = 0; i < EDITS_WHILE_READING; i++) {
					putItem(alice.doc, 'touchpoints', touchpoint(`tp-while-reading-${i}`, { title: `Edit ${i}` }));
					await waitFor(() => bob.doc.getMap('touchpoints').has(`tp-while-reading-${i}`), `edit ${i} to reach the other client`);
					expect((await api(server, 'GET', '/healthz')).status).toBe(200);
				}
			} finally {
				reading = false;
				await Promise.all(readers);
			}
			// Every read was served, or refused as busy with 503 or past the viewer's share with 429; none failed.
			expect([...statuses.keys()].filter((status) => ![200, 429, 503].includes(status))).toEqual([]);
			expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
		},
		RENDER_TEST_TIMEOUT_MS
	);

	test(
		'importing the largest board twice, saving a version and restoring one at once keep neither edits of another board nor /healthz waiting',
		async () => {
			const journey = generateJourney(LARGE_CARDS, { descriptionChars: LARGE_DESCRIPTION_CHARS });
			const saved = await api(server, 'POST', `/api/boards/${largeBoard}/versions`, { cookie: owner.cookie, body: { name: 'To restore' } });
			const versionId = (saved.body as { id: string }).id;
			let importing = true;
			const imports = Promise.all([
				...[1, 2].map((copy) => api(server, 'POST', '/api/boards', { cookie: owner.cookie, body: { title: `Imported ${copy}`, journey } })),
				api(server, 'POST', `/api/boards/${largeBoard}/versions`, { cookie: owner.cookie, body: { name: 'While importing' } }),
				api(server, 'POST', `/api/boards/${largeBoard}/versions/${versionId}/restore`, { cookie: owner.cookie })
			]).finally(() => (importing = false));
			let edits = 0;
			// Documents and versions are built on render workers: the event loop goes on relaying meanwhile.
			do {
				putItem(alice.doc, 'touchpoints', touchpoint(`tp-while-importing-${edits}`, { title: `Import edit ${edits}` }));
				await waitFor(() => bob.doc.getMap('touchpoints').has(`tp-while-importing-${edits}`), `edit ${edits} to reach the other client`);
				expect((await api(server, 'GET', '/healthz')).status).toBe(200);
				edits++;
			} while (importing && edits < EDITS_WHILE_READING);
			const [first, second, version, restore] = await imports;
			expect([version.status, restore.status]).toEqual([201, 200]);
			for (const created of [first, second]) {
				expect(created.status).toBe(201);
				const id = (created.body as { id: string }).id;
				const read = JSON.parse((await get(server, `/api/boards/${id}/journey`, owner.cookie)).text());
				expect(read.touchpoints).toHaveLength(LARGE_CARDS);
			}
		},
		RENDER_TEST_TIMEOUT_MS
	);

	test('the journey, analysis and exports read right after an edit are of the new state', async () => {
		for (let i = 0; i < scaled(5, 50); i++) {
			// Read first, so the old state is the one kept.
			expect((await get(server, `/api/boards/${otherBoard}/journey`, owner.cookie)).status).toBe(200);
			const title = `Fresh title ${i}`;
			putItem(alice.doc, 'touchpoints', touchpoint(`tp-fresh-${i}`, { title }));
			// The server stores an edit before relaying it: once Bob has it, every read must show it.
			await barrier(alice, bob);
			await waitFor(() => bob.doc.getMap('touchpoints').has(`tp-fresh-${i}`), 'the edit to reach Bob');
			const journey = JSON.parse((await get(server, `/api/boards/${otherBoard}/journey`, owner.cookie)).text());
			expect(journey.touchpoints.map((card: { title: string }) => card.title)).toContain(title);
			const analysis = JSON.parse((await get(server, `/api/boards/${otherBoard}/analysis`, owner.cookie)).text());
			expect(analysis.touchpoints).toBe(journey.touchpoints.length);
			expect((await get(server, `/api/boards/${otherBoard}/export/csv`, owner.cookie)).text()).toContain(title);
			expect((await get(server, `/api/boards/${otherBoard}/export/svg`, owner.cookie)).text()).toContain(title);
		}
	});

	test('an edit that wakes a sleeping room is in the next read', async () => {
		expect((await get(server, `/api/boards/${otherBoard}/journey`, owner.cookie)).status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 2 * ROOM_SLEEP_SECONDS * 1000));
		putItem(alice.doc, 'touchpoints', touchpoint('tp-after-sleep', { title: 'Written to a sleeping room' }));
		await waitFor(() => bob.doc.getMap('touchpoints').has('tp-after-sleep'), 'the edit to reach Bob');
		const journey = JSON.parse((await get(server, `/api/boards/${otherBoard}/journey`, owner.cookie)).text());
		expect(journey.touchpoints.map((card: { id: string }) => card.id)).toContain('tp-after-sleep');
	});

	test(
		`the server's memory stays within a budget while ${CONCURRENT_EXPORTS} exports run at once`,
		async () => {
			// Distinct renderings (format × language), so none shares another's work.
			const exportAll = async (boardId: string, reader: Account) => {
				const exports = Array.from({ length: CONCURRENT_EXPORTS }, (_, i) => {
					const format = ['png', 'pdf', 'svg', 'png'][i % 4];
					const locale = i < CONCURRENT_EXPORTS / 2 ? 'en' : 'zh-CN';
					return get(server, `/api/boards/${boardId}/export/${format}`, `${reader.cookie}; locale=${locale}`);
				});
				const statuses = (await Promise.all(exports)).map(({ status }) => status);
				expect(statuses.filter((status) => status !== 200 && status !== 503)).toEqual([]);
				expect(statuses).toContain(200);
			};
			// Another board's exports start the render workers (a fixed cost per process, bounded by
			// RENDER_WORKERS; on two processes behind a proxy earlier reads may all have gone to the
			// other) without leaving this board's renderings cached.
			await exportAll(otherBoard, owner);
			const idle = rssKb(server.pid!);
			let peak = idle;
			const sampler = setInterval(() => {
				if (server.pid !== undefined && isAlive(server.pid)) peak = Math.max(peak, rssKb(server.pid));
			}, RSS_SAMPLE_MS);
			try {
				await exportAll(largeBoard, viewer);
			} finally {
				clearInterval(sampler);
			}
			expect(peak - idle).toBeLessThan(EXPORT_RSS_BUDGET_KB);
		},
		RENDER_TEST_TIMEOUT_MS
	);
});

describe('read limits', () => {
	/** Cards a board may have to be rendered on this server. */
	const MAX_CARDS = 50;
	/** Image and PDF exports per person and minute on this server. */
	const PER_MINUTE = 3;
	/** Boards read at once to fill the one worker and its one queue place. */
	const CROWD = 8;
	const CROWD_ROUNDS = 5;
	let server: TestServer;
	let owner: Account;

	beforeAll(async () => {
		({ server, owner } = await setupBoard({
			// Reads unpaced, so the crowd below reaches the queue at once.
			env: {
				RENDER_WORKERS: '1',
				RENDER_QUEUE_MAX: '1',
				EXPORTS_PER_MINUTE: String(PER_MINUTE),
				EXPORT_MAX_CARDS: String(MAX_CARDS),
				READS_PER_MINUTE: '100000'
			},
			board: false
		}));
	});

	afterAll(cleanup);

	test('a board with more cards than the render budget is 413 as PNG, PDF and SVG, and still exports as text', async () => {
		const member = await signUp(server, 'Large exporter');
		const boardId = await createBoard(server, owner, { title: 'Too large', journey: generateJourney(MAX_CARDS + 1) });
		await addMember(server, owner, boardId, member, 'viewer');
		for (const format of ['png', 'pdf', 'svg']) {
			const response = await get(server, `/api/boards/${boardId}/export/${format}`, member.cookie);
			expect(response.status).toBe(413);
			expect(JSON.parse(response.text()).error).toMatch(/too large/);
		}
		expect((await get(server, `/api/boards/${boardId}/export/csv`, member.cookie)).status).toBe(200);
		expect((await get(server, `/api/boards/${boardId}/journey`, member.cookie)).status).toBe(200);
	});

	test('one person past the export rate gets 429 with Retry-After; another person is not held back', async () => {
		const [first, second] = [await signUp(server, 'Eager exporter'), await signUp(server, 'Patient exporter')];
		const boardId = await createBoard(server, owner, { title: 'Rated' });
		for (const member of [first, second]) await addMember(server, owner, boardId, member, 'viewer');
		for (let i = 0; i < PER_MINUTE; i++) expect((await get(server, `/api/boards/${boardId}/export/png`, first.cookie)).status).toBe(200);
		const refused = await get(server, `/api/boards/${boardId}/export/pdf`, first.cookie);
		expect(refused.status).toBe(429);
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(JSON.parse(refused.text()).error).toMatch(/exports a minute/);
		// Text exports and reads are not rated.
		expect((await get(server, `/api/boards/${boardId}/export/csv`, first.cookie)).status).toBe(200);
		expect((await get(server, `/api/boards/${boardId}/export/png`, second.cookie)).status).toBe(200);
	});

	test('reads past the full render queue are refused at once with 503 and Retry-After, and none fails', async () => {
		const statuses: number[] = [];
		let busy: Awaited<ReturnType<typeof get>> | undefined;
		for (let round = 0; round < CROWD_ROUNDS && !busy; round++) {
			// New boards each round, so no read is already kept; made one at a time, as building a
			// board's document takes the same render queue.
			const boards: string[] = [];
			for (let i = 0; i < CROWD; i++) {
				boards.push(await createBoard(server, owner, { title: `Crowd ${round}.${i}`, journey: generateJourney(MAX_CARDS) }));
			}
			const responses = await Promise.all(boards.map((boardId) => get(server, `/api/boards/${boardId}/analysis`, owner.cookie)));
			statuses.push(...responses.map(({ status }) => status));
			busy = responses.find(({ status }) => status === 503);
		}
		expect(statuses.filter((status) => status !== 200 && status !== 503)).toEqual([]);
		expect(busy).toBeDefined();
		expect(Number(busy!.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(JSON.parse(busy!.text()).error).toMatch(/busy/);
	});
});

describe('read pace', () => {
	/** Board reads per person and minute on this server: 15 at once, then one a second. */
	const READS_PER_MINUTE = 60;
	const AT_ONCE = READS_PER_MINUTE / 4;
	/** Reads one viewer starts together: far past what waiting up to 2 s can serve. */
	const LOOPED = 30;
	let server: TestServer;
	let owner: Account;
	let looper: Account;
	let other: Account;
	let boardId: string;

	beforeAll(async () => {
		({
			server,
			owner,
			members: { looper, other },
			boardId
		} = await setupBoard({ env: { READS_PER_MINUTE: String(READS_PER_MINUTE) }, members: { looper: 'viewer', other: 'viewer' } }));
	});

	afterAll(cleanup);

	test('a viewer reading faster than their share waits for their turn, then gets 429 with Retry-After; others are served', async () => {
		const paths = ['journey', 'analysis', 'export/csv'];
		const responses = await Promise.all(
			Array.from({ length: LOOPED }, (_, i) => get(server, `/api/boards/${boardId}/${paths[i % paths.length]}`, looper.cookie))
		);
		const statuses = responses.map(({ status }) => status);
		expect(statuses.filter((status) => status !== 200 && status !== 429)).toEqual([]);
		// Their share at once, and at least one more that waited its turn, is served.
		expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(AT_ONCE);
		const refused = responses.find(({ status }) => status === 429);
		expect(refused).toBeDefined();
		expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(JSON.parse(refused!.text()).error).toMatch(/reads and exports a minute/);
		// Another viewer and the owner have shares of their own.
		expect((await get(server, `/api/boards/${boardId}/journey`, other.cookie)).status).toBe(200);
		expect((await get(server, `/api/boards/${boardId}/export/md`, owner.cookie)).status).toBe(200);
	});
});
