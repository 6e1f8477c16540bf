/**
 * Adding people by email never trusts an unconfirmed address, against the real server and a real
 * SMTP server on loopback: the squatting case (a guest upgrades to someone else's address; the
 * owner adds that address; the squatter reads nothing, the mailbox's owner gets in through the
 * mailed link), the same answer for known and unknown addresses, and personal invites that work
 * once, expire, are revoked and are refused to other accounts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	acceptInvite,
	api,
	cleanup,
	createBoard,
	inviteToken,
	newServer,
	PASSWORD,
	sessionCookie,
	signUp,
	type Account,
	type TestServer,
	queryServerDb
} from './helpers';
import { linkIn, startMailServer, type MailServer, type ReceivedMail } from './mail-server';

const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html,application/xhtml+xml' };
const NEW_PASSWORD = 'the real ceo passphrase';

/** The `/join/<token>` link of an invitation mail. */
function inviteLinkIn(mail: ReceivedMail): URL {
	const match = /https?:\/\/\S+\/join\/[a-z0-9]+/.exec(mail.text);
	if (!match) throw new Error(`no invite link in:\n${mail.text}`);
	return new URL(match[0]);
}

/** A guest that joined a board through a link, then chose an email and password. */
async function upgradedGuest(server: TestServer, host: Account, email: string): Promise<string> {
	const boardId = await createBoard(server, host);
	const link = await api(server, 'POST', `/api/boards/${boardId}/invites`, {
		cookie: host.cookie,
		body: { role: 'viewer', expiresInHours: 1 }
	});
	const joined = await api(server, 'POST', `/join/${inviteToken(link.body.invite.url)}?/guest`, {
		body: 'name=Squatter',
		headers: { ...FORM_HEADERS, origin: server.origin }
	});
	const cookie = sessionCookie(joined.headers)!;
	expect((await api(server, 'POST', '/api/auth/upgrade', { cookie, body: { email, password: PASSWORD } })).status).toBe(200);
	return cookie;
}

const share = (server: TestServer, owner: Account, boardId: string, email: string, role = 'editor') =>
	api(server, 'POST', `/api/boards/${boardId}/members`, { cookie: owner.cookie, body: { email, role } });

describe('personal invites, with mail', () => {
	let mail: MailServer;
	let server: TestServer;
	let owner: Account;

	beforeAll(async () => {
		mail = await startMailServer();
		server = await newServer({ SMTP_URL: mail.url });
		owner = await signUp(server, 'Olga');
	});
	afterAll(async () => {
		await cleanup();
		await mail.close();
	});

	test('the squatter of ceo@… reads nothing; the mailbox’s owner accepts through the mailed link and reads the board', async () => {
		const ceo = 'ceo@bigcorp.example';
		const squatter = await upgradedGuest(server, owner, ceo);
		await mail.next(ceo); // the confirmation mail of the upgrade reaches the real mailbox, not the squatter

		const boardId = await createBoard(server, owner, { title: 'Board strategy' });
		const shared = await share(server, owner, boardId, ceo);
		expect(shared.status).toBe(202);
		expect(Object.keys(shared.body.invite).sort()).toEqual(['expiresAt', 'mailed', 'url']);
		expect(shared.body.invite.mailed).toBe(true);
		expect((await api(server, 'GET', `/api/boards/${boardId}`, { cookie: squatter })).status).toBe(404);
		// Even the owner's copy of the link, leaked to the squatter, needs a confirmed address.
		const leaked = await api(server, 'POST', '/api/invites/accept', {
			cookie: squatter,
			body: { token: inviteToken(shared.body.invite.url) }
		});
		expect(leaked.status).toBe(403);
		expect(leaked.body.error).toContain('Confirm your email address first');
		expect((await api(server, 'GET', `/api/boards/${boardId}`, { cookie: squatter })).status).toBe(404);

		const invitation = await mail.next(ceo);
		expect(invitation.subject).toBe('Olga invited you to “Board strategy”');
		expect(invitation.html).toContain('Open the invitation');
		const link = inviteLinkIn(invitation);
		expect(link.pathname).not.toBe(new URL(shared.body.invite.url).pathname);
		const landing = await fetch(server.url + link.pathname);
		expect(landing.status).toBe(200);
		expect(await landing.text()).toContain('This invitation is for ceo@bigcorp.example');

		// The real CEO proves the mailbox by a reset (the squatter's sessions end), then accepts.
		await api(server, 'POST', '/api/auth/password-reset', { body: { email: ceo } });
		const token = linkIn(await mail.next(ceo), '/reset-password').searchParams.get('token');
		expect((await api(server, 'POST', '/api/auth/password-reset/confirm', { body: { token, password: NEW_PASSWORD } })).status).toBe(204);
		expect((await api(server, 'GET', '/api/me', { cookie: squatter })).status).toBe(401);
		const login = await api(server, 'POST', '/api/auth/login', { body: { email: ceo, password: NEW_PASSWORD } });
		const real = { ...login.body.user, cookie: sessionCookie(login.headers)! } as Account;
		await acceptInvite(server, real, link.href);
		const board = await api(server, 'GET', `/api/boards/${boardId}`, { cookie: real.cookie });
		expect(board.status).toBe(200);
		expect(board.body.board.role).toBe('editor');
		expect((await api(server, 'GET', '/api/me', { cookie: real.cookie })).body.emailVerified).toBe(true);
	});

	test('a stranger without an account creates it from the mailed link: confirmed at once, on the board', async () => {
		const boardId = await createBoard(server, owner, { title: 'Onboarding' });
		const address = `newcomer-${process.pid}@example.test`;
		expect((await share(server, owner, boardId, address, 'commenter')).status).toBe(202);
		const link = inviteLinkIn(await mail.next(address));
		const created = await api(server, 'POST', `${link.pathname}?/signup`, {
			body: `name=Nia&password=${encodeURIComponent(PASSWORD)}`,
			headers: { ...FORM_HEADERS, origin: server.origin }
		});
		expect(created.status).toBe(303);
		expect(created.headers.get('location')).toBe(`/boards/${boardId}`);
		const cookie = sessionCookie(created.headers)!;
		expect((await api(server, 'GET', '/api/me', { cookie })).body).toMatchObject({
			user: { email: address, name: 'Nia' },
			emailVerified: true
		});
		expect((await api(server, 'GET', `/api/boards/${boardId}`, { cookie })).body.board.role).toBe('commenter');
		// Used: the link is gone.
		expect((await fetch(server.url + link.pathname)).status).toBe(410);
	});

	test('another signed-in account cannot use the invitation, even through the mailed link', async () => {
		const boardId = await createBoard(server, owner, { title: 'Private' });
		const intruder = await signUp(server, 'Intruder');
		const address = `target-${process.pid}@example.test`;
		await share(server, owner, boardId, address);
		const link = inviteLinkIn(await mail.next(address));
		const refused = await api(server, 'POST', '/api/invites/accept', { cookie: intruder.cookie, body: { token: inviteToken(link.href) } });
		expect(refused.status).toBe(403);
		expect(refused.body.error).toContain('another email address');
		expect((await api(server, 'GET', `/api/boards/${boardId}`, { cookie: intruder.cookie })).status).toBe(404);
	});

	test('the answer is the same for an unknown address and an unconfirmed account; a confirmed account joins at once', async () => {
		const boardId = await createBoard(server, owner, { title: 'Shapes' });
		const unconfirmed = await signUp(server, 'Uma');
		const confirmed = await signUp(server, 'Cleo');
		await mail.next(unconfirmed.email);
		const verify = linkIn(await mail.next(confirmed.email), '/verify-email');
		expect((await api(server, 'POST', '/api/auth/verify-email', { body: { token: verify.searchParams.get('token') } })).status).toBe(204);

		const known = await share(server, owner, boardId, unconfirmed.email);
		const unknown = await share(server, owner, boardId, `nobody-${process.pid}@example.test`);
		for (const answer of [known, unknown]) {
			expect(answer.status).toBe(202);
			expect(Object.keys(answer.body)).toEqual(['invite']);
			expect(Object.keys(answer.body.invite).sort()).toEqual(['expiresAt', 'mailed', 'url']);
			expect(answer.body.invite.mailed).toBe(true);
			expect(answer.body.invite.url).toMatch(/^http:\/\/localhost:\d+\/join\/[a-z0-9]{32}$/);
		}
		expect(Date.parse(known.body.invite.expiresAt) - Date.parse(unknown.body.invite.expiresAt)).toBeLessThan(60_000);
		expect((await api(server, 'GET', `/api/boards/${boardId}`, { cookie: unconfirmed.cookie })).status).toBe(404);

		const direct = await share(server, owner, boardId, confirmed.email, 'viewer');
		expect(direct.status).toBe(201);
		expect(direct.body.member).toEqual({ userId: confirmed.id, email: confirmed.email, name: 'Cleo', role: 'viewer' });
	});
});

describe('personal invites, without mail', () => {
	let server: TestServer;
	let owner: Account;

	beforeAll(async () => {
		server = await newServer();
		owner = await signUp(server, 'Olga');
	});
	afterAll(cleanup);

	test('the owner hands over the link; it works once, for its address only, and is listed as pending until then', async () => {
		const boardId = await createBoard(server, owner);
		const bo = await signUp(server, 'Bo');
		const shared = await share(server, owner, boardId, bo.email.toUpperCase(), 'viewer');
		expect(shared.status).toBe(202);
		expect(shared.body.invite.mailed).toBe(false);
		const listed = await api(server, 'GET', `/api/boards/${boardId}/invites`, { cookie: owner.cookie });
		expect(listed.body.invites).toEqual([
			expect.objectContaining({ email: bo.email, role: 'viewer', uses: 0, revoked: false, expired: false })
		]);

		const other = await signUp(server, 'Other');
		expect(
			(await api(server, 'POST', '/api/invites/accept', { cookie: other.cookie, body: { token: inviteToken(shared.body.invite.url) } }))
				.status
		).toBe(403);
		await acceptInvite(server, bo, shared.body.invite.url);
		expect((await api(server, 'GET', `/api/boards/${boardId}`, { cookie: bo.cookie })).body.board.role).toBe('viewer');
		const again = await api(server, 'POST', '/api/invites/accept', {
			cookie: bo.cookie,
			body: { token: inviteToken(shared.body.invite.url) }
		});
		expect(again.status).toBe(410);
		expect((await api(server, 'GET', `/api/boards/${boardId}/invites`, { cookie: owner.cookie })).body.invites[0].uses).toBe(1);
		// A member's role changes directly, confirmed or not.
		expect((await share(server, owner, boardId, bo.email, 'editor')).status).toBe(201);
	});

	test('a revoked or expired invitation is refused (410); a newer one replaces the pending one', async () => {
		const boardId = await createBoard(server, owner);
		const cy = await signUp(server, 'Cy');
		const first = await share(server, owner, boardId, cy.email);
		const second = await share(server, owner, boardId, cy.email);
		const accept = (url: string) => api(server, 'POST', '/api/invites/accept', { cookie: cy.cookie, body: { token: inviteToken(url) } });
		expect((await accept(first.body.invite.url)).status).toBe(410);
		const pending = (await api(server, 'GET', `/api/boards/${boardId}/invites`, { cookie: owner.cookie })).body.invites.filter(
			(invite: { revoked: boolean }) => !invite.revoked
		);
		expect(pending).toHaveLength(1);
		expect((await api(server, 'DELETE', `/api/boards/${boardId}/invites/${pending[0].id}`, { cookie: owner.cookie })).status).toBe(204);
		expect((await accept(second.body.invite.url)).status).toBe(410);
		expect((await fetch(server.url + new URL(second.body.invite.url).pathname)).status).toBe(410);

		const third = await share(server, owner, boardId, cy.email);
		await queryServerDb(server, 'UPDATE invites SET expires_at = ? WHERE board_id = ? AND revoked_at IS NULL', [Date.now() - 1, boardId]);
		expect((await accept(third.body.invite.url)).status).toBe(410);
		expect((await api(server, 'GET', `/api/boards/${boardId}`, { cookie: cy.cookie })).status).toBe(404);
	});

	test('known and unknown addresses take the same path: the same answers, timed side by side (printed, not asserted)', async () => {
		const boardId = await createBoard(server, owner);
		const ROUNDS = 30;
		const known: number[] = [];
		const unknown: number[] = [];
		const accounts = await Promise.all(Array.from({ length: ROUNDS }, (_, index) => signUp(server, `Known ${index}`)));
		for (let round = 0; round < ROUNDS; round++) {
			for (const [email, times] of [
				[accounts[round].email, known],
				[`unknown-${round}-${process.pid}@example.test`, unknown]
			] as const) {
				const started = performance.now();
				const answer = await share(server, owner, boardId, email);
				times.push(performance.now() - started);
				expect(answer.status).toBe(202);
			}
		}
		const median = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)].toFixed(2);
		console.log(`POST /members median over ${ROUNDS}: unconfirmed account ${median(known)} ms, unknown address ${median(unknown)} ms`);
	});

	test('bad input is a clear 400; a guest’s placeholder address cannot be invited', async () => {
		const boardId = await createBoard(server, owner);
		const bad = await share(server, owner, boardId, 'not-an-address');
		expect(bad.status).toBe(400);
		expect(bad.body.error).toContain('email must be a valid email address');
		expect((await share(server, owner, boardId, 'guest-x@guest.invalid')).status).toBe(400);
		expect((await api(server, 'POST', '/api/invites/accept', { cookie: owner.cookie, body: { token: 'x'.repeat(200) } })).status).toBe(400);
		expect((await api(server, 'POST', '/api/invites/accept', { cookie: owner.cookie, body: { token: 'nosuchtoken' } })).status).toBe(404);
		expect((await api(server, 'POST', '/api/invites/accept', { body: { token: 'nosuchtoken' } })).status).toBe(401);
	});
});
