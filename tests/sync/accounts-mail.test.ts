/**
 * Mail, against a real SMTP server on loopback: sign-up mails a verification link; a password reset
 * mails a single-use link, sets the password, ends every session and closes their sockets; mails
 * are text + HTML in the reader's language; the owner of an account under attack gets in by reset.
 * Without SMTP_URL nothing offers mail.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	addMember,
	api,
	cleanup,
	createBoard,
	newServer,
	openRawSocket,
	PASSWORD,
	sessionCookie,
	type Account,
	type TestServer
} from './helpers';
import { linkIn, startMailServer, type MailServer } from './mail-server';

const NEW_PASSWORD = 'a brand new passphrase';
/** Free failed log-ins of one account from all addresses (SECURITY.md). */
const LOGIN_ACCOUNT_FREE_FAILURES = 10;

let seq = 0;

async function signUpAs(server: TestServer, name: string, headers: Record<string, string> = {}): Promise<Account> {
	const email = `${name.toLowerCase()}-${++seq}@mail.example.test`;
	const response = await api(server, 'POST', '/api/auth/signup', { body: { email, password: PASSWORD, name }, headers });
	expect(response.status).toBe(201);
	return { ...response.body.user, cookie: sessionCookie(response.headers)! };
}

async function page(server: TestServer, path: string): Promise<{ status: number; html: string }> {
	const response = await fetch(server.url + path, { redirect: 'manual' });
	return { status: response.status, html: await response.text() };
}

describe('mail: verification and password reset', () => {
	let mail: MailServer;
	let server: TestServer;

	beforeAll(async () => {
		mail = await startMailServer();
		server = await newServer({ SMTP_URL: mail.url, MAIL_FROM: 'Journeys <journeys@example.test>', ADDRESS_HEADER: 'x-forwarded-for' });
	});
	afterAll(async () => {
		await cleanup();
		await mail.close();
	});

	test('sign-up mails a verification link (text and HTML); following it verifies the email, once', async () => {
		const ada = await signUpAs(server, 'Ada');
		expect((await api(server, 'GET', '/api/me', { cookie: ada.cookie })).body.emailVerified).toBe(false);
		const received = await mail.next(ada.email);
		expect(received.parsed.from?.text).toContain('journeys@example.test');
		expect(received.subject).toBe('Confirm your email address');
		expect(received.html).toContain('Confirm my email');
		const link = linkIn(received, '/verify-email');
		expect(link.origin).toBe(server.origin);

		const landing = await page(server, link.pathname + link.search);
		expect(landing.status).toBe(200);
		expect(landing.html).toContain('Your email address is confirmed.');
		expect((await api(server, 'GET', '/api/me', { cookie: ada.cookie })).body.emailVerified).toBe(true);
		expect((await page(server, link.pathname + link.search)).html).toContain('This link has expired or was already used.');
		const token = link.searchParams.get('token');
		expect((await api(server, 'POST', '/api/auth/verify-email', { body: { token } })).status).toBe(400);
	});

	test('mails are in the reader’s language', async () => {
		const li = await signUpAs(server, 'Li', { 'accept-language': 'zh-CN,zh;q=0.9' });
		const received = await mail.next(li.email);
		expect(received.subject).toBe('请确认你的电子邮箱');
		expect(received.text).toContain('确认我的邮箱');
		expect(received.html).toContain('确认我的邮箱');
	});

	test('reset: 202 for any address; the mailed link sets the password once, ends every session and closes its sockets', async () => {
		const bea = await signUpAs(server, 'Bea');
		await mail.next(bea.email); // the verification mail
		const boardId = await createBoard(server, bea);
		const socket = await openRawSocket(server, bea.cookie, boardId);

		expect((await api(server, 'POST', '/api/auth/password-reset', { body: { email: 'nobody-here@mail.example.test' } })).status).toBe(202);
		expect((await api(server, 'POST', '/api/auth/password-reset', { body: { email: bea.email.toUpperCase() } })).status).toBe(202);
		const received = await mail.next(bea.email);
		expect(received.subject).toBe('Reset your password');
		expect(received.text).toContain('30 minutes');
		expect(received.html).toContain('Choose a new password');
		expect(mail.received.some((m) => m.to === 'nobody-here@mail.example.test')).toBe(false);
		const token = linkIn(received, '/reset-password').searchParams.get('token');

		const tooShort = await api(server, 'POST', '/api/auth/password-reset/confirm', { body: { token, password: 'short' } });
		expect(tooShort.status).toBe(400);
		const confirmed = await api(server, 'POST', '/api/auth/password-reset/confirm', { body: { token, password: NEW_PASSWORD } });
		expect(confirmed.status).toBe(204);
		expect(await socket.closed).toBeGreaterThan(0);
		expect((await api(server, 'GET', '/api/me', { cookie: bea.cookie })).status).toBe(401);
		const again = await api(server, 'POST', '/api/auth/password-reset/confirm', { body: { token, password: 'yet another one' } });
		expect(again.status).toBe(400);

		const login = (password: string) =>
			api(server, 'POST', '/api/auth/login', { body: { email: bea.email, password }, headers: { 'x-forwarded-for': '192.0.2.50' } });
		expect((await login(PASSWORD)).status).toBe(401);
		const fresh = await login(NEW_PASSWORD);
		expect(fresh.status).toBe(200);
		// The link reached the address: it counts as verified.
		expect((await api(server, 'GET', '/api/me', { cookie: sessionCookie(fresh.headers)! })).body.emailVerified).toBe(true);
	});

	test('the owner of an account guessed at from 20 addresses gets in by reset', async () => {
		const target = await signUpAs(server, 'Target');
		await mail.next(target.email);
		for (let address = 1; address <= 20; address++) {
			await api(server, 'POST', '/api/auth/login', {
				body: { email: target.email, password: `guess ${address}` },
				headers: { 'x-forwarded-for': `198.51.100.${address}` }
			});
		}
		const login = (password: string) =>
			api(server, 'POST', '/api/auth/login', { body: { email: target.email, password }, headers: { 'x-forwarded-for': '192.0.2.77' } });
		expect((await login(PASSWORD)).status).toBe(429);

		await api(server, 'POST', '/api/auth/password-reset', { body: { email: target.email }, headers: { 'x-forwarded-for': '192.0.2.77' } });
		const token = linkIn(await mail.next(target.email), '/reset-password').searchParams.get('token');
		expect((await api(server, 'POST', '/api/auth/password-reset/confirm', { body: { token, password: NEW_PASSWORD } })).status).toBe(204);
		expect((await login(NEW_PASSWORD)).status).toBe(200);
		expect(LOGIN_ACCOUNT_FREE_FAILURES).toBeLessThan(20);
	});

	test('the login page offers “Forgot password?”; the reset pages work in HTML', async () => {
		expect((await page(server, '/login')).html).toContain('href="/forgot-password"');
		expect((await page(server, '/forgot-password')).status).toBe(200);
		expect((await page(server, '/reset-password?token=x')).status).toBe(200);
	});
});

describe('without SMTP_URL', () => {
	let server: TestServer;

	beforeAll(async () => {
		server = await newServer();
	});
	afterAll(cleanup);

	test('nothing offers mail: no “Forgot password?”, no reset page, reset API 501; sign-up works', async () => {
		expect((await page(server, '/login')).html).not.toContain('forgot-password');
		expect((await page(server, '/forgot-password')).status).toBe(404);
		expect((await api(server, 'POST', '/api/auth/password-reset', { body: { email: 'a@example.test' } })).status).toBe(501);
		const ada = await signUpAs(server, 'Ada');
		expect((await api(server, 'GET', '/api/me', { cookie: ada.cookie })).body.emailVerified).toBe(false);
	});
});

describe('your account: sessions and name', () => {
	let server: TestServer;

	beforeAll(async () => {
		server = await newServer();
	});
	afterAll(cleanup);

	test('lists where you are signed in, signs out elsewhere (closing that socket), and renames', async () => {
		const ada = await signUpAs(server, 'Ada');
		const login = await api(server, 'POST', '/api/auth/login', { body: { email: ada.email, password: PASSWORD } });
		const laptop = sessionCookie(login.headers)!;
		const boardId = await createBoard(server, ada);
		const socket = await openRawSocket(server, laptop, boardId);

		const listed = await api(server, 'GET', '/api/me/sessions', { cookie: ada.cookie });
		expect(listed.status).toBe(200);
		expect(listed.body.sessions).toHaveLength(2);
		const [current] = listed.body.sessions.filter((session: { current: boolean }) => session.current);
		const other = listed.body.sessions.find((session: { current: boolean }) => !session.current);
		expect(current.createdAt).toEqual(expect.any(String));
		expect(Object.keys(other).sort()).toEqual(['createdAt', 'current', 'expiresAt', 'id']);

		const stranger = await signUpAs(server, 'Stranger');
		expect((await api(server, 'DELETE', `/api/me/sessions/${other.id}`, { cookie: stranger.cookie })).status).toBe(404);
		expect((await api(server, 'DELETE', `/api/me/sessions/${other.id}`, { cookie: ada.cookie })).status).toBe(204);
		expect(await socket.closed).toBe(4401);
		expect((await api(server, 'GET', '/api/me', { cookie: laptop })).status).toBe(401);
		expect((await api(server, 'GET', '/api/me', { cookie: ada.cookie })).status).toBe(200);

		expect((await api(server, 'PATCH', '/api/me', { cookie: ada.cookie, body: { name: '   ' } })).status).toBe(400);
		const renamed = await api(server, 'PATCH', '/api/me', { cookie: ada.cookie, body: { name: ' Ada L. ' } });
		expect(renamed.status).toBe(200);
		expect(renamed.body.user.name).toBe('Ada L.');
		expect((await api(server, 'GET', '/api/me', { cookie: ada.cookie })).body.user.name).toBe('Ada L.');
	});

	test('changing the password needs the current one and ends every other session', async () => {
		const bo = await signUpAs(server, 'Bo');
		const other = sessionCookie((await api(server, 'POST', '/api/auth/login', { body: { email: bo.email, password: PASSWORD } })).headers)!;
		const boardId = await createBoard(server, bo);
		const socket = await openRawSocket(server, other, boardId);
		const change = (currentPassword: string, password: string) =>
			api(server, 'POST', '/api/me/password', { cookie: bo.cookie, body: { currentPassword, password } });
		expect((await change('not my password', NEW_PASSWORD)).status).toBe(403);
		expect((await change(PASSWORD, 'short')).status).toBe(400);
		expect((await change(PASSWORD, NEW_PASSWORD)).status).toBe(204);
		expect(await socket.closed).toBe(4401);
		expect((await api(server, 'GET', '/api/me', { cookie: other })).status).toBe(401);
		expect((await api(server, 'GET', '/api/me', { cookie: bo.cookie })).status).toBe(200);
		expect((await api(server, 'POST', '/api/auth/login', { body: { email: bo.email, password: NEW_PASSWORD } })).status).toBe(200);

		const accountPage = await fetch(`${server.url}/account`, { headers: { cookie: bo.cookie } });
		expect(accountPage.status).toBe(200);
		const html = await accountPage.text();
		expect(html).toContain('Your account');
		expect(html).toContain('Where you are signed in');
		expect((await fetch(`${server.url}/account`, { redirect: 'manual' })).status).toBe(303);
	});

	test('deleting the account: typed confirmation; boards only you own go, shared ones stay; your comments stay as “deleted user”', async () => {
		const cy = await signUpAs(server, 'Cy');
		const partner = await signUpAs(server, 'Partner');
		const mine = await createBoard(server, cy);
		const shared = await createBoard(server, partner);
		await addMember(server, partner, shared, cy, 'editor');
		expect(
			(await api(server, 'POST', `/api/boards/${shared}/comments`, { cookie: cy.cookie, body: { body: 'Mind the queue' } })).status
		).toBe(201);
		const socket = await openRawSocket(server, cy.cookie, shared);

		const refused = await api(server, 'DELETE', '/api/me', { cookie: cy.cookie, body: { confirm: 'someone-else@example.test' } });
		expect(refused.status).toBe(400);
		expect(refused.body.boardsDeleted).toEqual([{ id: mine, title: 'Test board' }]);
		expect((await api(server, 'DELETE', '/api/me', { cookie: cy.cookie, body: { confirm: cy.email.toUpperCase() } })).status).toBe(204);

		expect(await socket.closed).toBeGreaterThan(0);
		expect((await api(server, 'GET', '/api/me', { cookie: cy.cookie })).status).toBe(401);
		expect((await api(server, 'GET', `/api/boards/${mine}`, { cookie: partner.cookie })).status).toBe(404);
		const board = await api(server, 'GET', `/api/boards/${shared}`, { cookie: partner.cookie });
		expect(board.body.board.members.map((member: { userId: string }) => member.userId)).toEqual([partner.id]);
		const comments = await api(server, 'GET', `/api/boards/${shared}/comments`, { cookie: partner.cookie });
		expect(comments.body.comments[0].author).toEqual({ id: cy.id, name: 'deleted user' });
		expect((await api(server, 'POST', '/api/auth/login', { body: { email: cy.email, password: PASSWORD } })).status).toBe(401);
	});

	test('the account page deletes the account once the email is typed', async () => {
		const di = await signUpAs(server, 'Di');
		await createBoard(server, di);
		const page = await fetch(`${server.url}/account`, { headers: { cookie: di.cookie } });
		expect(await page.text()).toContain('This also deletes the board only you own');
		const submit = (confirm: string) => {
			const form = new FormData();
			form.set('confirm', confirm);
			return fetch(`${server.url}/account?/delete`, {
				method: 'POST',
				body: form,
				redirect: 'manual',
				headers: { cookie: di.cookie, origin: server.origin, accept: 'text/html' }
			});
		};
		const mismatch = await submit('not-me@example.test');
		expect(mismatch.status).toBe(400);
		expect(await mismatch.text()).toContain('Type your email exactly to delete the account');
		expect((await api(server, 'GET', '/api/me', { cookie: di.cookie })).status).toBe(200);
		const deleted = await submit(di.email);
		expect(deleted.status).toBe(303);
		expect((await api(server, 'GET', '/api/me', { cookie: di.cookie })).status).toBe(401);
	});

	test('a guest who upgrades has an unverified email', async () => {
		const owner = await signUpAs(server, 'Owner');
		const boardId = await createBoard(server, owner);
		const invite = await api(server, 'POST', `/api/boards/${boardId}/invites`, {
			cookie: owner.cookie,
			body: { role: 'viewer', expiresInHours: 1 }
		});
		expect(invite.status, JSON.stringify(invite.body)).toBe(201);
		const token = new URL(invite.body.invite.url).pathname.split('/').pop();
		const form = new FormData();
		form.set('name', 'Guest');
		const joined = await fetch(`${server.url}/join/${token}?/guest`, {
			method: 'POST',
			body: form,
			redirect: 'manual',
			headers: { origin: server.origin }
		});
		const guest = sessionCookie(joined.headers)!;
		const upgraded = await api(server, 'POST', '/api/auth/upgrade', {
			cookie: guest,
			body: { email: 'ceo@bigcorp.example', password: PASSWORD }
		});
		expect(upgraded.status).toBe(200);
		expect((await api(server, 'GET', '/api/me', { cookie: guest })).body.emailVerified).toBe(false);
	});
});
