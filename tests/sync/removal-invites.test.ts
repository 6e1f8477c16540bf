/**
 * Removing a member also takes away the invite links they were given before: such a link no longer
 * lets them back in, while a link made after the removal, and everyone else's use of the old one,
 * still work.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { api, cleanup, sessionCookie, type Account, type TestServer } from './helpers';
import { setupBoard } from './setup';

const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html,application/xhtml+xml' };

let server: TestServer;
let owner: Account;
let bob: Account;
let carol: Account;
let boardId: string;

beforeAll(async () => {
	({
		server,
		owner,
		boardId,
		members: { bob, carol }
	} = await setupBoard({ members: { bob: null, carol: null } }));
});
afterAll(cleanup);

async function newLink(role = 'editor'): Promise<string> {
	const created = await api(server, 'POST', `/api/boards/${boardId}/invites`, { cookie: owner.cookie, body: { role, expiresInHours: 1 } });
	expect(created.status).toBe(201);
	return new URL(created.body.invite.url).pathname.split('/').pop()!;
}

const join = (token: string, cookie: string) =>
	api(server, 'POST', `/join/${token}?/join`, { cookie, body: '', headers: { ...FORM_HEADERS, origin: server.origin } });

const remove = (userId: string) => api(server, 'DELETE', `/api/boards/${boardId}/members/${userId}`, { cookie: owner.cookie });

const boardStatus = async (account: { cookie: string }) =>
	(await api(server, 'GET', `/api/boards/${boardId}`, { cookie: account.cookie })).status;

describe('removal and earlier invite links', () => {
	test('a removed member cannot come back through a link made before the removal', async () => {
		const before = await newLink();
		expect((await join(before, bob.cookie)).status).toBe(303);
		expect(await boardStatus(bob)).toBe(200);
		expect((await remove(bob.id)).status).toBe(204);

		const again = await join(before, bob.cookie);
		expect(again.status).toBe(403);
		expect(String(again.body)).toMatch(/removed from this board after this link was made/);
		expect(await boardStatus(bob)).toBe(404);

		// Others still use the link; a link made after the removal lets Bob in again.
		expect((await join(before, carol.cookie)).status).toBe(303);
		expect(await boardStatus(carol)).toBe(200);
		expect((await join(await newLink(), bob.cookie)).status).toBe(303);
		expect(await boardStatus(bob)).toBe(200);
	});

	test('the same holds for a guest who kept their session', async () => {
		const link = await newLink('commenter');
		const joined = await api(server, 'POST', `/join/${link}?/guest`, {
			body: new URLSearchParams({ name: 'Guest' }).toString(),
			headers: { ...FORM_HEADERS, origin: server.origin }
		});
		expect(joined.status).toBe(303);
		const guest = { cookie: sessionCookie(joined.headers)! };
		const me = await api(server, 'GET', '/api/me', { cookie: guest.cookie });
		expect((await remove(me.body.user.id)).status).toBe(204);
		expect((await join(link, guest.cookie)).status).toBe(403);
		expect(await boardStatus(guest)).toBe(404);
	});
});
