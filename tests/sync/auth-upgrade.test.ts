import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	addMember,
	api,
	cleanup,
	connectClient,
	FOREIGN_ORIGIN,
	signUp,
	upgradeStatus,
	waitFor,
	type Account,
	type TestServer
} from './helpers';
import { setupBoard } from './setup';

// The sync endpoint authenticates at the HTTP upgrade, before any socket opens (docs/api.md, Sync: authentication at the upgrade).
describe('WS /sync/:boardId upgrade', () => {
	let server: TestServer;
	let owner: Account;
	let outsider: Account;
	let viewer: Account;
	let boardId: string;

	beforeAll(async () => {
		({
			server,
			owner,
			members: { outsider, viewer },
			boardId
		} = await setupBoard({ members: { outsider: null, viewer: 'viewer' } }));
	});
	afterAll(cleanup);

	test('a member with a session cookie is upgraded', async () => {
		expect(await upgradeStatus(server, boardId, { cookie: owner.cookie })).toBe(101);
		expect(await upgradeStatus(server, boardId, { cookie: viewer.cookie })).toBe(101);
	});

	test('the server’s own origin is accepted', async () => {
		expect(await upgradeStatus(server, boardId, { cookie: owner.cookie, origin: server.origin })).toBe(101);
	});

	test('no cookie is refused with 401', async () => {
		expect(await upgradeStatus(server, boardId)).toBe(401);
	});

	test('an unknown session token is refused with 401', async () => {
		expect(await upgradeStatus(server, boardId, { cookie: 'session=not-a-real-session-token' })).toBe(401);
		expect(await upgradeStatus(server, boardId, { cookie: 'session=' })).toBe(401);
	});

	test('a foreign Origin header is refused with 403, even for a member', async () => {
		expect(await upgradeStatus(server, boardId, { cookie: owner.cookie, origin: FOREIGN_ORIGIN })).toBe(403);
		// Same host name, other port: still another origin.
		const otherPort = `http://localhost:${server.port + 1}`;
		expect(await upgradeStatus(server, boardId, { cookie: owner.cookie, origin: otherPort })).toBe(403);
	});

	test('a signed-in non-member gets 404, the same as for a board that does not exist', async () => {
		expect(await upgradeStatus(server, boardId, { cookie: outsider.cookie })).toBe(404);
		expect(await upgradeStatus(server, 'no-such-board', { cookie: owner.cookie })).toBe(404);
	});

	test('a path outside /sync/:boardId is not upgraded', async () => {
		expect(await upgradeStatus(server, '../../api/me', { cookie: owner.cookie })).toBe(404);
	});

	test('a refused WebsocketProvider never opens a socket nor receives the board', async () => {
		const refused = connectClient(server, outsider.cookie, boardId);
		const statuses: string[] = [];
		refused.provider.on('status', ({ status }) => statuses.push(status));
		// Each refused attempt ends in a close without the socket ever opening; wait for a few.
		await waitFor(() => refused.closeCodes.length >= 3, 'three refused connection attempts');
		expect(statuses).not.toContain('connected');
		expect(refused.doc.getMap('board').size).toBe(0);
		refused.destroy();
	});

	test('a session ended by logout can no longer upgrade', async () => {
		const leaving = await signUp(server, 'Leaving');
		await addMember(server, owner, boardId, leaving, 'editor');
		expect(await upgradeStatus(server, boardId, { cookie: leaving.cookie })).toBe(101);
		expect((await api(server, 'POST', '/api/auth/logout', { cookie: leaving.cookie })).status).toBe(204);
		expect(await upgradeStatus(server, boardId, { cookie: leaving.cookie })).toBe(401);
	});
});
