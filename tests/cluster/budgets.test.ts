/**
 * Socket budgets hold across processes, whichever process an upgrade lands on: one person's sockets
 * spread over both processes get the person's budget, a board's crowd the board's; the process total
 * stays each process's own capacity; and a process killed with `kill -9` frees its sockets' places
 * once their leases end (`SYNC_SOCKET_LEASE_SECONDS`), without anyone closing them.
 */
import { afterAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { addMember, cleanup, createBoard, waitFor, type Endpoint } from '../sync/helpers';
import { clusterBoard } from './cluster-board';

/** The budgets of both processes in these tests (small, so they fill quickly). */
const LIMITS = { perUserBoard: 4, perUser: 6, perBoard: 10 };
const BUDGET_ENV = {
	SYNC_MAX_SOCKETS_PER_USER_BOARD: String(LIMITS.perUserBoard),
	SYNC_MAX_SOCKETS_PER_USER: String(LIMITS.perUser),
	SYNC_MAX_SOCKETS_PER_BOARD: String(LIMITS.perBoard)
};
/** Upgrades tried at once on each process. */
const ATTEMPTS_PER_PROCESS = 10;

afterAll(cleanup);

/** What an upgrade attempt got: the open socket, or the HTTP status and body. */
type Attempt = { status: 101; socket: WebSocket } | { status: number; body: string; retryAfter: string | undefined };

const opened: WebSocket[] = [];
afterAll(() => {
	for (const socket of opened) socket.terminate();
});

function attempt(server: Endpoint, cookie: string, boardId: string): Promise<Attempt> {
	return new Promise((resolveAttempt, rejectAttempt) => {
		const socket = new WebSocket(`${server.syncUrl}/${boardId}`, { headers: { cookie } });
		socket.on('error', () => {});
		socket.once('open', () => {
			opened.push(socket);
			resolveAttempt({ status: 101, socket });
		});
		socket.once('unexpected-response', (_request, response) => {
			let body = '';
			response.on('data', (chunk) => (body += chunk));
			response.on('end', () => resolveAttempt({ status: response.statusCode ?? 0, body, retryAfter: response.headers['retry-after'] }));
			response.on('error', rejectAttempt);
		});
	});
}

/** `count` upgrades at once on each of the servers; the sockets opened and the refusals, all servers together. */
async function attempts(servers: Endpoint[], cookie: string, boardId: string, count: number) {
	const results = await Promise.all(servers.flatMap((server) => Array.from({ length: count }, () => attempt(server, cookie, boardId))));
	const sockets = results.flatMap((result) => ('socket' in result ? [result.socket] : []));
	const refused = results.flatMap((result) => ('socket' in result ? [] : [result]));
	return { sockets, refused, errors: new Set(refused.map((refusal) => JSON.parse(refusal.body).error)) };
}

describe('socket budgets over two processes', () => {
	test('one person’s upgrades spread over both get the person’s budget, a board’s crowd the board’s, and a closed socket frees its place on the other', async () => {
		const { a, b, owner, members, boardId } = await clusterBoard({
			env: BUDGET_ENV,
			members: { attacker: 'viewer', crowd1: 'viewer', crowd2: 'viewer', crowd3: 'viewer' }
		});
		const both = [a, b];
		const second = await createBoard(a, owner, { title: 'Second', template: 'blank' });
		await addMember(a, owner, second, members.attacker, 'viewer');

		// The person on one board: ten upgrades at once on each process, four open in all.
		const flood = await attempts(both, members.attacker.cookie, boardId, ATTEMPTS_PER_PROCESS);
		expect(flood.sockets).toHaveLength(LIMITS.perUserBoard);
		expect(flood.refused.every((refusal) => refusal.status === 429)).toBe(true);
		expect(flood.errors).toEqual(new Set(['Too many live connections for this account on this board']));

		// The person across boards: two more, wherever they land. A process holding few of the
		// person's sockets counts the upgrades it is still asking Redis about, so up to two of its six
		// may be refused for the board's share before Redis refuses the rest for the person's.
		const elsewhere = await attempts(both, members.attacker.cookie, second, LIMITS.perUser);
		expect(elsewhere.sockets).toHaveLength(LIMITS.perUser - LIMITS.perUserBoard);
		expect(elsewhere.refused.every((refusal) => refusal.status === 429)).toBe(true);
		expect(elsewhere.errors).toContain('Too many live connections for this account');
		for (const error of elsewhere.errors) {
			expect(['Too many live connections for this account', 'Too many live connections for this account on this board']).toContain(error);
		}

		// The board: three people fill the rest of it from both processes, then it refuses everyone.
		const crowd = await Promise.all(
			[members.crowd1, members.crowd2, members.crowd3].map((member) => attempts(both, member.cookie, boardId, LIMITS.perUserBoard))
		);
		expect(crowd.reduce((sum, { sockets }) => sum + sockets.length, 0)).toBe(LIMITS.perBoard - LIMITS.perUserBoard);
		const late = await attempts(both, owner.cookie, boardId, 1);
		expect(late.sockets).toHaveLength(0);
		expect(late.errors).toEqual(new Set(['Too many live connections on this board']));

		// The attacker's sockets close, wherever they were: their places are free on both processes.
		for (const socket of flood.sockets) socket.terminate();
		await waitFor(async () => {
			const again = await attempts(both, owner.cookie, boardId, 1);
			for (const socket of again.sockets) socket.terminate();
			return again.sockets.length === 2;
		}, 'the closed sockets’ places to be free on both processes');
	});

	test('the process total is each process’s own: a full process answers 503, the other still admits', async () => {
		const total = 3;
		const { a, b, owner, boardId } = await clusterBoard({ env: { ...BUDGET_ENV, SYNC_MAX_SOCKETS: String(total) } });
		const onA = await attempts([a], owner.cookie, boardId, total + 1);
		expect(onA.sockets).toHaveLength(total);
		expect(onA.refused).toEqual([{ status: 503, body: expect.stringContaining('"error"'), retryAfter: '5' }]);
		const onB = await attempts([b], owner.cookie, boardId, 1);
		expect(onB.sockets).toHaveLength(1);
	});

	test('a process killed with kill -9 frees its sockets’ places once their leases end', async () => {
		const { a, b, members, boardId } = await clusterBoard({
			env: { ...BUDGET_ENV, SYNC_SOCKET_LEASE_SECONDS: '2' },
			members: { attacker: 'viewer' }
		});
		const onA = await attempts([a], members.attacker.cookie, boardId, LIMITS.perUserBoard);
		expect(onA.sockets).toHaveLength(LIMITS.perUserBoard);
		expect((await attempts([b], members.attacker.cookie, boardId, 1)).errors).toEqual(
			new Set(['Too many live connections for this account on this board'])
		);

		await a.kill9();
		// Nobody closes a's sockets in Redis: b admits again once their leases ended, and holds the budget then.
		await waitFor(
			async () => (await attempts([b], members.attacker.cookie, boardId, 1)).sockets.length === 1,
			'the killed process’s places to be freed'
		);
		const onB = await attempts([b], members.attacker.cookie, boardId, LIMITS.perUserBoard);
		expect(onB.sockets).toHaveLength(LIMITS.perUserBoard - 1);
		expect(onB.errors).toEqual(new Set(['Too many live connections for this account on this board']));
	});
});
