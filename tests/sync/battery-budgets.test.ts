/**
 * Battery: no member can hurt the others through connections or bytes. One person opening
 * sockets without end is refused at the upgrade (429 past the person's or board's budget, 503
 * past the process's, with a JSON body); sockets that stop reading while asking for a large
 * board's state are closed (4000) without the server queueing a copy per request; frames that
 * stop half-way are cut (4001) past the total of unfinished bytes or their time limit. In each,
 * everyone else keeps getting `/healthz`, sign-up, another board's edits at a real client, and
 * the server's memory stays within a budget.
 */
import { afterAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { putItem } from '../../src/lib/journey/document';
import { CLOSE_CODES } from '../../server/close-codes';
import { generateJourney } from '../bench/workload';
import { isAlive, rssKb, scaled, syncStep1 } from './battery-helpers';
import {
	addMember,
	api,
	cleanup,
	connectClient,
	createBoard,
	signUp,
	touchpoint,
	touchpointIds,
	waitFor,
	type Account,
	type TestServer,
	onPostgres
} from './helpers';
import { setupBoard } from './setup';

/** Upgrades the attacker tries on one board (the product's default budget lets 8 through). */
const ATTEMPTS = scaled(60, 2_000);
/** Sockets that stop reading and ask for the large board's state, and how often each asks. */
const NON_READERS = scaled(20, 60);
const REQUESTS_PER_SOCKET = 10;
/** Edits made while a slow reader is still being sent the large board. */
const SLOW_READER_EDITS = 20;
/** Touchpoints of the large board (about 2.5 MB encoded), and of their descriptions. */
const LARGE_BOARD_TOUCHPOINTS = 1_000;
const LARGE_BOARD_DESCRIPTION_CHARS = 2_000;
/** Sockets sending most of a large frame and stopping, and that frame's declared and sent bytes. */
const STALLED_SENDERS = scaled(30, 120);
const STALLED_FRAME_MB = 4;
const STALLED_SENT_BYTES = STALLED_FRAME_MB * 1024 * 1024 - 64 * 1024;
/** Memory the server may gain under each attack: far below what queueing or keeping its bytes would cost. */
const RSS_ALLOWANCE_KB = 48 * 1024;

afterAll(cleanup);

/** What an upgrade attempt got: the socket when it opened, or the HTTP status and body. */
type Attempt = { status: 101; socket: WebSocket } | { status: number; body: string; retryAfter: string | undefined };

function attempt(server: TestServer, cookie: string, boardId: string): Promise<Attempt> {
	return new Promise((resolveAttempt, rejectAttempt) => {
		const socket = new WebSocket(`${server.syncUrl}/${boardId}`, { headers: { cookie } });
		socket.on('error', () => {});
		socket.once('open', () => resolveAttempt({ status: 101, socket }));
		socket.once('unexpected-response', (_request, response) => {
			let body = '';
			response.on('data', (chunk) => (body += chunk));
			response.on('end', () => resolveAttempt({ status: response.statusCode ?? 0, body, retryAfter: response.headers['retry-after'] }));
			response.on('error', rejectAttempt);
		});
	});
}

/** Opens `count` upgrades at once; returns the opened sockets and the refusals. */
async function attempts(server: TestServer, cookie: string, boardId: string, count: number) {
	const results = await Promise.all(Array.from({ length: count }, () => attempt(server, cookie, boardId)));
	const opened = results.flatMap((result) => ('socket' in result ? [result.socket] : []));
	const refused = results.flatMap((result) => ('socket' in result ? [] : [result]));
	return { opened, refused };
}

/** What everyone else must keep getting: `/healthz`, sign-up, and an edit on another board arriving at a real client. */
async function othersAreServed(
	server: TestServer,
	writer: ReturnType<typeof connectClient>,
	reader: ReturnType<typeof connectClient>,
	id: string
) {
	expect((await api(server, 'GET', '/healthz')).status).toBe(200);
	await signUp(server, 'Newcomer');
	putItem(writer.doc, 'touchpoints', touchpoint(id));
	await waitFor(() => touchpointIds(reader.doc).includes(id), `${id} to reach the other board's reader`);
	expect(isAlive(server.pid)).toBe(true);
}

/** Honest people on a board of their own: a writer and a reader, connected and synced. */
async function honestBoard(server: TestServer, owner: Account) {
	const { clients } = await setupBoard({ server, owner, members: { reader: 'editor' }, clients: ['owner', 'reader'] });
	return { writer: clients[0], reader: clients[1] };
}

const closedCode = (socket: WebSocket) =>
	new Promise<number>((resolveClose) => {
		if (socket.readyState === WebSocket.CLOSED) return resolveClose(-1);
		socket.once('close', (code) => resolveClose(code));
	});

describe('socket budgets', () => {
	const LIMITS = { perUserBoard: 4, perUser: 6, perBoard: 10, total: 16 };

	test(`one person's ${ATTEMPTS} upgrades: ${LIMITS.perUserBoard} open, the rest refused with 429 before a socket exists`, async () => {
		const { server, owner, members, boardId } = await setupBoard({
			env: {
				SYNC_MAX_SOCKETS_PER_USER_BOARD: String(LIMITS.perUserBoard),
				SYNC_MAX_SOCKETS_PER_USER: String(LIMITS.perUser),
				SYNC_MAX_SOCKETS_PER_BOARD: String(LIMITS.perBoard),
				SYNC_MAX_SOCKETS: String(LIMITS.total)
			},
			members: { attacker: 'viewer', crowd1: 'viewer', crowd2: 'viewer' }
		});
		const { writer, reader } = await honestBoard(server, owner);
		const second = await createBoard(server, owner, { title: 'Second', template: 'blank' });
		for (const member of [members.attacker, members.crowd2]) await addMember(server, owner, second, member, 'viewer');
		const before = rssKb(server.pid!);

		// The person's budget on one board.
		const flood = await attempts(server, members.attacker.cookie, boardId, ATTEMPTS);
		expect(flood.opened.length).toBe(LIMITS.perUserBoard);
		expect(new Set(flood.refused.map((refusal) => refusal.status))).toEqual(new Set([429]));
		expect(JSON.parse(flood.refused[0].body)).toEqual({ error: expect.stringContaining('on this board') });
		await othersAreServed(server, writer, reader, 'tp-during-flood');

		// The person's budget across boards.
		const elsewhere = await attempts(server, members.attacker.cookie, second, LIMITS.perUser);
		expect(elsewhere.opened.length).toBe(LIMITS.perUser - LIMITS.perUserBoard);
		expect(JSON.parse(elsewhere.refused[0].body)).toEqual({ error: expect.stringContaining('for this account') });

		// The board's budget: others fill it, then even a new person is refused there.
		const first = await attempts(server, members.crowd1.cookie, boardId, LIMITS.perUserBoard);
		expect(first.opened.length).toBe(LIMITS.perUserBoard);
		const full = await attempts(server, members.crowd2.cookie, boardId, LIMITS.perUserBoard);
		expect(full.opened.length).toBe(LIMITS.perBoard - 2 * LIMITS.perUserBoard);
		expect(full.refused.map((refusal) => refusal.status)).toEqual([429, 429]);
		expect(JSON.parse(full.refused[0].body)).toEqual({ error: 'Too many live connections on this board' });

		// The process's budget: 503 with Retry-After, while HTTP and the open sockets carry on. It is
		// each process's own capacity: on PostgreSQL the sockets are spread over two processes by the
		// proxy, so there the same attempts all open (tests/cluster/budgets.test.ts reaches each process).
		const open = 2 + LIMITS.perUser + LIMITS.perBoard - LIMITS.perUserBoard;
		const last = await attempts(server, members.crowd2.cookie, second, LIMITS.total - open + 1);
		if (onPostgres) expect(last.refused).toEqual([]);
		else {
			expect(last.opened.length).toBe(LIMITS.total - open);
			expect(last.refused).toEqual([{ status: 503, body: expect.stringContaining('"error"'), retryAfter: '5' }]);
		}
		await othersAreServed(server, writer, reader, 'tp-at-capacity');
		expect(rssKb(server.pid!) - before).toBeLessThan(RSS_ALLOWANCE_KB);

		// Closed sockets give their slots back.
		for (const socket of flood.opened) socket.terminate();
		await waitFor(async () => {
			const again = await attempt(server, members.attacker.cookie, boardId);
			if ('socket' in again) again.socket.terminate();
			return again.status === 101;
		}, 'a slot to be given back');
		for (const socket of [...elsewhere.opened, ...first.opened, ...full.opened, ...last.opened]) socket.terminate();
		expect(writer.closeCodes).toEqual([]);
		expect(reader.closeCodes).toEqual([]);
	});
});

describe('bytes queued to sockets that do not read', () => {
	// Memory is a process's: with several processes (sync-pg) each is measured and held to the allowance.
	test(`${NON_READERS} sockets stop reading and ask ${REQUESTS_PER_SOCKET} times for a large board: closed, nothing queued per request`, async () => {
		const viewers = Object.fromEntries(Array.from({ length: Math.ceil(NON_READERS / 5) }, (_, i) => [`viewer${i}`, 'viewer' as const]));
		const { server, owner, members, boardId } = await setupBoard({
			// The product's per-person budgets, and a small per-socket queue so the suite stays quick.
			env: { SYNC_MAX_SOCKETS_PER_USER_BOARD: '8', SYNC_MAX_SOCKETS_PER_USER: '32', SYNC_MAX_QUEUED_MB: '1' },
			members: viewers,
			board: { journey: generateJourney(LARGE_BOARD_TOUCHPOINTS, { descriptionChars: LARGE_BOARD_DESCRIPTION_CHARS }) }
		});
		const { writer, reader } = await honestBoard(server, owner);
		// The large board is loaded by someone reading it, so the baseline holds it: two readers per
		// process (the suite's proxy sends each new connection to the next process; one spare, should
		// another connection come between).
		const followers: ReturnType<typeof connectClient>[] = [];
		for (let i = 0; i < 2 * server.pids.length; i++) {
			const reading = connectClient(server, owner.cookie, boardId);
			await reading.synced;
			followers.push(reading);
		}
		// Every process has hashed a password (a sign-up, as `othersAreServed` makes) before the
		// baseline: Argon2's memory, once taken, stays with the process.
		for (let i = 0; i < 2 * server.pids.length; i++) await signUp(server, `Warm-up ${i}`);
		const follower = followers[0];
		const memory = () => server.pids.map((pid) => rssKb(pid));
		const before = memory();

		const accounts = Object.values(members);
		const sockets: WebSocket[] = [];
		for (let i = 0; i < NON_READERS; i++) {
			const result = await attempt(server, accounts[i % accounts.length].cookie, boardId);
			if (!('socket' in result)) throw new Error(`upgrade refused: ${result.status}`);
			sockets.push(result.socket);
		}
		const codes = sockets.map(closedCode);
		for (const socket of sockets) {
			(socket as unknown as { _socket: { pause(): void } })._socket.pause();
			for (let i = 0; i < REQUESTS_PER_SOCKET; i++) socket.send(syncStep1(Uint8Array.of(0)));
		}
		// Queueing each answer would hold NON_READERS × REQUESTS_PER_SOCKET copies of the board.
		await othersAreServed(server, writer, reader, 'tp-during-non-readers');
		const fresh = connectClient(server, owner.cookie, boardId);
		await fresh.synced;
		expect(touchpointIds(fresh.doc).length).toBe(LARGE_BOARD_TOUCHPOINTS);
		const during = memory();

		for (const socket of sockets) (socket as unknown as { _socket: { resume(): void } })._socket.resume();
		// A socket that reads nothing sees the close frame only behind what it did not read, if at all.
		const closed = await Promise.all(codes);
		expect(closed.filter((code) => code !== CLOSE_CODES.slowConsumer && code !== 1006)).toEqual([]);
		await othersAreServed(server, writer, reader, 'tp-after-non-readers');
		const after = memory();
		console.log(
			`[battery] ${NON_READERS} non-reading sockets × ${REQUESTS_PER_SOCKET} full-state requests: server RSS ${before
				.map((kb, i) => `${kb} → ${during[i]} → ${after[i]}`)
				.join(' KiB, ')} KiB; closes ${[...new Set(closed)].join(', ')}`
		);
		for (let i = 0; i < before.length; i++) {
			expect(during[i] - before[i], `process ${i + 1} of ${before.length}`).toBeLessThan(RSS_ALLOWANCE_KB);
			expect(after[i] - before[i], `process ${i + 1} of ${before.length}`).toBeLessThan(RSS_ALLOWANCE_KB);
		}
		for (const reading of followers) expect(reading.closeCodes).toEqual([]);

		// A slow but honest reader is not closed: the whole state it is still being sent does not
		// count against its budget, the edits made meanwhile do.
		const slow = await attempt(server, accounts[0].cookie, boardId);
		if (!('socket' in slow)) throw new Error(`upgrade refused: ${slow.status}`);
		const received: Buffer[] = [];
		slow.socket.on('message', (data: Buffer) => received.push(data));
		const slowCode = closedCode(slow.socket);
		(slow.socket as unknown as { _socket: { pause(): void } })._socket.pause();
		slow.socket.send(syncStep1(Uint8Array.of(0)));
		for (let i = 0; i < SLOW_READER_EDITS; i++) putItem(follower.doc, 'touchpoints', touchpoint(`tp-while-slow-${i}`));
		await othersAreServed(server, writer, reader, 'tp-while-slow');
		(slow.socket as unknown as { _socket: { resume(): void } })._socket.resume();
		// Its step 1, the whole state, and the edits (batched by the server into one update or more).
		await waitFor(() => received.length >= 3, 'the slow reader to receive the state and the edits');
		await othersAreServed(server, writer, reader, 'tp-after-slow');
		expect(slow.socket.readyState).toBe(WebSocket.OPEN);
		slow.socket.close();
		expect(await slowCode).toBe(1005);
	});
});

describe('unfinished frames', () => {
	/** Opens a socket and sends the header of a masked binary frame of `declared` bytes and `sent` bytes of it. */
	async function stallFrame(
		server: TestServer,
		cookie: string,
		boardId: string,
		declared: number,
		sent: number
	): Promise<{ closed: Promise<number> }> {
		const result = await attempt(server, cookie, boardId);
		if (!('socket' in result)) throw new Error(`upgrade refused: ${result.status}`);
		const code = closedCode(result.socket);
		const header = Buffer.alloc(14);
		header[0] = 0x82; // FIN, binary
		header[1] = 0x80 | 127; // masked, 64-bit length
		header.writeBigUInt64BE(BigInt(declared), 2);
		header.writeUInt32BE(0x12345678, 10);
		(result.socket as unknown as { _socket: { write(data: Buffer): void } })._socket.write(Buffer.concat([header, Buffer.alloc(sent, 7)]));
		return { closed: code };
	}

	test(`${STALLED_SENDERS} sockets send most of a ${STALLED_FRAME_MB} MB frame and stop: cut past the total with 4001`, async () => {
		const { server, owner, members, boardId } = await setupBoard({
			env: {
				SYNC_MAX_MESSAGE_MB: String(STALLED_FRAME_MB),
				SYNC_MAX_PARTIAL_TOTAL_MB: String(STALLED_FRAME_MB),
				SYNC_FRAME_TIMEOUT_SECONDS: '600'
			},
			members: { viewer: 'viewer' }
		});
		const { writer, reader } = await honestBoard(server, owner);
		const before = rssKb(server.pid!);
		const codes = await Promise.all(
			Array.from({ length: STALLED_SENDERS }, () =>
				stallFrame(server, members.viewer.cookie, boardId, STALLED_SENT_BYTES + 64 * 1024, STALLED_SENT_BYTES)
			)
		);
		// Every socket but the one whose frame fits the total alone is cut.
		const settled: number[] = [];
		for (const { closed } of codes) void closed.then((code) => settled.push(code));
		await waitFor(() => settled.length >= STALLED_SENDERS - 1, 'the stalled senders past the total to be cut');
		expect(settled.filter((code) => code !== CLOSE_CODES.incompleteFrame)).toEqual([]);
		await othersAreServed(server, writer, reader, 'tp-during-stalled');
		const after = rssKb(server.pid!);
		console.log(
			`[battery] ${STALLED_SENDERS} stalled ${STALLED_FRAME_MB} MB frames (${((STALLED_SENDERS * STALLED_SENT_BYTES) / 1024 / 1024).toFixed(0)} MB sent): server RSS ${before} → ${after} KiB`
		);
		expect(after - before).toBeLessThan(RSS_ALLOWANCE_KB);
	});

	test('a frame in progress past its time limit is cut with 4001', async () => {
		const { server, owner, members, boardId } = await setupBoard({
			env: { SYNC_FRAME_TIMEOUT_SECONDS: '1' },
			members: { viewer: 'viewer' }
		});
		const { writer, reader } = await honestBoard(server, owner);
		const codes = await Promise.all(
			Array.from({ length: 5 }, () => stallFrame(server, members.viewer.cookie, boardId, 2 * 1024 * 1024, 1024 * 1024))
		);
		expect(await Promise.all(codes.map(({ closed }) => closed))).toEqual(codes.map(() => CLOSE_CODES.incompleteFrame));
		await othersAreServed(server, writer, reader, 'tp-after-timeout');
		// Honest sockets, whose frames finish, are never cut.
		expect(writer.closeCodes).toEqual([]);
		expect(reader.closeCodes).toEqual([]);
	});
});
