import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { putItem } from '../../src/lib/journey/document';
import { CLOSE_CODES } from '../../server/close-codes';
import {
	addMember,
	api,
	cleanup,
	connectClient,
	createBoard,
	PASSWORD,
	sessionCookie,
	signUp,
	touchpoint,
	touchpointIds,
	upgradeStatus,
	waitFor,
	type Account,
	type Client,
	type TestServer
} from './helpers';
import { setupBoard } from './setup';

/** Waits until the client's first socket was closed by the server, and returns that code. */
async function firstCloseCode(client: Client): Promise<number> {
	await waitFor(() => client.closeCodes.length > 0, 'the server to close the socket');
	return client.closeCodes[0];
}

/** Proves a client's socket still works: an edit from `from` reaches `to`. */
async function expectLive(from: Client, to: Client, id: string): Promise<void> {
	putItem(from.doc, 'touchpoints', touchpoint(id));
	await waitFor(() => touchpointIds(to.doc).includes(id), `${id} to arrive`);
}

// Logging out, losing membership and deleting a board close the affected open sockets at once.
describe('sockets closed when access ends', () => {
	let server: TestServer;
	let owner: Account;
	let member: Account;
	let boardId: string;
	let otherBoardId: string;

	beforeEach(async () => {
		({
			server,
			owner,
			members: { member },
			boardId
		} = await setupBoard({ members: { member: 'editor' }, board: { title: 'Main' } }));
		otherBoardId = await createBoard(server, owner, { title: 'Other' });
		await addMember(server, owner, otherBoardId, member, 'editor');
	});
	afterEach(cleanup);

	test('logout (204) closes that session’s sockets on every board, and only that session’s', async () => {
		const login = await api(server, 'POST', '/api/auth/login', { body: { email: member.email, password: PASSWORD } });
		const secondSession = sessionCookie(login.headers)!;
		const onMain = connectClient(server, member.cookie, boardId);
		const onOther = connectClient(server, member.cookie, otherBoardId);
		const otherSession = connectClient(server, secondSession, boardId);
		const ownerClient = connectClient(server, owner.cookie, boardId);
		await Promise.all([onMain.synced, onOther.synced, otherSession.synced, ownerClient.synced]);

		expect((await api(server, 'POST', '/api/auth/logout', { cookie: member.cookie })).status).toBe(204);
		expect(await firstCloseCode(onMain)).toBe(CLOSE_CODES.sessionEnded);
		expect(await firstCloseCode(onOther)).toBe(CLOSE_CODES.sessionEnded);
		// Reconnecting with the ended session is refused at the upgrade.
		expect(await upgradeStatus(server, boardId, { cookie: member.cookie })).toBe(401);
		onMain.destroy();
		onOther.destroy();

		await expectLive(otherSession, ownerClient, 'tp-other-session');
		await expectLive(ownerClient, otherSession, 'tp-owner');
		expect(otherSession.closeCodes).toEqual([]);
		expect(ownerClient.closeCodes).toEqual([]);
	});

	test('removing a member closes their sockets on that board only', async () => {
		const onMain = connectClient(server, member.cookie, boardId);
		const onOther = connectClient(server, member.cookie, otherBoardId);
		const ownerMain = connectClient(server, owner.cookie, boardId);
		const ownerOther = connectClient(server, owner.cookie, otherBoardId);
		await Promise.all([onMain.synced, onOther.synced, ownerMain.synced, ownerOther.synced]);

		const removed = await api(server, 'DELETE', `/api/boards/${boardId}/members/${member.id}`, { cookie: owner.cookie });
		expect(removed.status).toBe(204);
		expect(await firstCloseCode(onMain)).toBe(CLOSE_CODES.accessRevoked);
		expect(await upgradeStatus(server, boardId, { cookie: member.cookie })).toBe(404);
		// The removed member's later edits never reach the board.
		putItem(onMain.doc, 'touchpoints', touchpoint('tp-after-removal'));
		onMain.destroy();

		await expectLive(onOther, ownerOther, 'tp-member-other-board');
		expect(onOther.closeCodes).toEqual([]);
		expect(ownerMain.closeCodes).toEqual([]);
		const fresh = connectClient(server, owner.cookie, boardId);
		await fresh.synced;
		expect(touchpointIds(fresh.doc)).not.toContain('tp-after-removal');
	});

	test('deleting a board closes every socket on it', async () => {
		const memberClient = connectClient(server, member.cookie, boardId);
		const ownerClient = connectClient(server, owner.cookie, boardId);
		const elsewhere = connectClient(server, member.cookie, otherBoardId);
		const ownerElsewhere = connectClient(server, owner.cookie, otherBoardId);
		await Promise.all([memberClient.synced, ownerClient.synced, elsewhere.synced, ownerElsewhere.synced]);

		expect((await api(server, 'DELETE', `/api/boards/${boardId}`, { cookie: owner.cookie })).status).toBe(204);
		expect(await firstCloseCode(memberClient)).toBe(CLOSE_CODES.boardDeleted);
		expect(await firstCloseCode(ownerClient)).toBe(CLOSE_CODES.boardDeleted);
		expect(await upgradeStatus(server, boardId, { cookie: owner.cookie })).toBe(404);
		memberClient.destroy();
		ownerClient.destroy();
		await expectLive(elsewhere, ownerElsewhere, 'tp-survivor');
		expect(elsewhere.closeCodes).toEqual([]);
	});
});

/** Upgrades one person keeps in flight when their access ends, as a client reconnecting in a loop. */
const CHURNING_SOCKETS = 8;
/** Times access ends in the middle of that churn. */
const CHURN_ROUNDS = 10;

/**
 * Keeps `count` sockets of one person cycling (open, close after a moment, open again) until
 * `stop()`; then each keeps the socket it has, so one that opened after the access ended stays.
 */
function churn(server: TestServer, cookie: string, boardId: string, count: number) {
	let stopped = false;
	const current = new Set<WebSocket>();
	const loop = async () => {
		while (!stopped) {
			const socket = new WebSocket(`${server.syncUrl}/${boardId}`, { headers: { cookie } });
			socket.on('error', () => {});
			const opened = await new Promise<boolean>((resolve) => {
				socket.once('open', () => resolve(true));
				socket.once('unexpected-response', () => resolve(false));
				socket.once('close', () => resolve(false));
			});
			if (!opened) {
				socket.terminate();
				if (stopped) return;
				continue;
			}
			current.add(socket);
			socket.once('close', () => current.delete(socket));
			await new Promise((resolve) => setTimeout(resolve, Math.random() * 10));
			if (stopped) return;
			socket.close();
		}
	};
	const loops = Array.from({ length: count }, loop);
	return {
		/** Stops cycling; resolves once each loop is settled. */
		stop: async () => {
			stopped = true;
			await Promise.all(loops);
		},
		open: () => [...current].filter((socket) => socket.readyState === WebSocket.OPEN)
	};
}

describe('access that ends while a client keeps reconnecting', () => {
	afterEach(cleanup);

	test(`${CHURN_ROUNDS} removals and sign-outs in the middle of ${CHURNING_SOCKETS} reconnecting sockets leave none open`, async () => {
		const { server, owner, boardId } = await setupBoard({ board: { title: 'Churn' } });
		for (let round = 0; round < CHURN_ROUNDS; round++) {
			const person = await signUp(server, `Churn ${round}`);
			await addMember(server, owner, boardId, person, 'editor');
			const sockets = churn(server, person.cookie, boardId, CHURNING_SOCKETS);
			await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 50));
			const ended =
				round % 2 === 0
					? await api(server, 'DELETE', `/api/boards/${boardId}/members/${person.id}`, { cookie: owner.cookie })
					: await api(server, 'POST', '/api/auth/logout', { cookie: person.cookie });
			expect(ended.status).toBe(204);
			await sockets.stop();
			// Past any upgrade still in flight.
			await new Promise((resolve) => setTimeout(resolve, 500));
			expect(sockets.open()).toHaveLength(0);
		}
	});
});
