import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { api, cleanup, newServer, PASSWORD, sessionCookie, signUp, type ApiResponse, type TestServer } from './helpers';

/** The contract's error shape: JSON `{"error": "<message>"}`. */
function expectError(response: ApiResponse, status: number): void {
	expect(response.status).toBe(status);
	expect(response.headers.get('content-type')).toMatch(/^application\/json/);
	expect(typeof response.body?.error).toBe('string');
	expect(response.body.error.length).toBeGreaterThan(0);
}

/** Failed log-ins the server allows per email and address before it answers 429. */
const LOGIN_MAX_FAILURES = 5;

describe('HTTP API: accounts and sessions', () => {
	let server: TestServer;

	beforeAll(async () => {
		server = await newServer();
	});
	afterAll(cleanup);

	describe('POST /api/auth/signup', () => {
		test('201 with the user and an HttpOnly, SameSite=Lax session cookie', async () => {
			const response = await api(server, 'POST', '/api/auth/signup', {
				body: { email: 'Ada@Example.test', password: PASSWORD, name: 'Ada' }
			});
			expect(response.status).toBe(201);
			expect(response.body.user).toEqual({ id: expect.any(String), email: 'ada@example.test', name: 'Ada' });
			const setCookie = response.headers.getSetCookie().find((header) => header.startsWith('session='));
			expect(setCookie).toMatch(/HttpOnly/i);
			expect(setCookie).toMatch(/SameSite=Lax/i);
			expect(setCookie).not.toMatch(/Secure/i); // served over plain http here
			const me = await api(server, 'GET', '/api/me', { cookie: sessionCookie(response.headers)! });
			expect(me.body.user).toEqual(response.body.user);
		});

		test('409 when the email is taken, whatever its case', async () => {
			await signUp(server, 'First');
			const body = { email: 'taken@example.test', password: PASSWORD, name: 'One' };
			expect((await api(server, 'POST', '/api/auth/signup', { body })).status).toBe(201);
			const again = await api(server, 'POST', '/api/auth/signup', { body: { ...body, email: 'TAKEN@example.test' } });
			expectError(again, 409);
			expect(sessionCookie(again.headers)).toBeNull();
		});

		test.each([
			['a password under 8 characters', { email: 'short@example.test', password: 'seven77', name: 'Short' }],
			['a bad email', { email: 'not-an-email', password: PASSWORD, name: 'Bad' }],
			['a missing name', { email: 'noname@example.test', password: PASSWORD }],
			['a password that is not a string', { email: 'num@example.test', password: 12345678, name: 'Num' }]
		])('400 for %s', async (_name, body) => {
			const response = await api(server, 'POST', '/api/auth/signup', { body });
			expectError(response, 400);
			expect(sessionCookie(response.headers)).toBeNull();
		});

		test('400 for a body that is not JSON', async () => {
			const response = await api(server, 'POST', '/api/auth/signup', {
				body: '{"email": ',
				headers: { 'content-type': 'application/json' }
			});
			expectError(response, 400);
		});

		test('the short-password error names the rule', async () => {
			const response = await api(server, 'POST', '/api/auth/signup', {
				body: { email: 'rule@example.test', password: 'short', name: 'Rule' }
			});
			expect(response.body.error).toMatch(/8/);
		});
	});

	describe('POST /api/auth/login', () => {
		test('200 with the user and a new session cookie', async () => {
			const account = await signUp(server, 'Login');
			const response = await api(server, 'POST', '/api/auth/login', { body: { email: account.email, password: PASSWORD } });
			expect(response.status).toBe(200);
			expect(response.body.user).toEqual({ id: account.id, email: account.email, name: account.name });
			const cookie = sessionCookie(response.headers);
			expect(cookie).not.toBeNull();
			expect(cookie).not.toBe(account.cookie);
			expect((await api(server, 'GET', '/api/me', { cookie: cookie! })).status).toBe(200);
		});

		test('401 for a wrong password or an unknown email', async () => {
			const account = await signUp(server, 'Wrong');
			expectError(await api(server, 'POST', '/api/auth/login', { body: { email: account.email, password: 'wrong password' } }), 401);
			expectError(await api(server, 'POST', '/api/auth/login', { body: { email: 'nobody@example.test', password: PASSWORD } }), 401);
		});

		test('400 for a malformed body', async () => {
			expectError(await api(server, 'POST', '/api/auth/login', { body: { email: 'x' } }), 400);
		});

		test('429 after repeated failures, even with the right password; other accounts still log in', async () => {
			const target = await signUp(server, 'Target');
			const bystander = await signUp(server, 'Bystander');
			for (let i = 0; i < LOGIN_MAX_FAILURES; i++) {
				expectError(await api(server, 'POST', '/api/auth/login', { body: { email: target.email, password: `guess ${i}` } }), 401);
			}
			expectError(await api(server, 'POST', '/api/auth/login', { body: { email: target.email, password: 'guess again' } }), 429);
			const blocked = await api(server, 'POST', '/api/auth/login', { body: { email: target.email, password: PASSWORD } });
			expectError(blocked, 429);
			expect(sessionCookie(blocked.headers)).toBeNull();
			const other = await api(server, 'POST', '/api/auth/login', { body: { email: bystander.email, password: PASSWORD } });
			expect(other.status).toBe(200);
		});
	});

	describe('GET /api/me', () => {
		test('401 without a cookie or with an unknown session', async () => {
			expectError(await api(server, 'GET', '/api/me'), 401);
			expectError(await api(server, 'GET', '/api/me', { cookie: 'session=nonsense' }), 401);
		});

		test('200 with the signed-in user', async () => {
			const account = await signUp(server, 'Me');
			const response = await api(server, 'GET', '/api/me', { cookie: account.cookie });
			expect(response.status).toBe(200);
			expect(response.body).toEqual({
				user: { id: account.id, email: account.email, name: account.name },
				emailVerified: false,
				mailDigest: true,
				departments: []
			});
		});
	});

	describe('POST /api/auth/logout', () => {
		test('204 ends that session only', async () => {
			const account = await signUp(server, 'Leaver');
			const login = await api(server, 'POST', '/api/auth/login', { body: { email: account.email, password: PASSWORD } });
			const otherSession = sessionCookie(login.headers)!;
			const response = await api(server, 'POST', '/api/auth/logout', { cookie: account.cookie });
			expect(response.status).toBe(204);
			expect(response.headers.getSetCookie().some((header) => /^session=;/.test(header) || /Max-Age=0/i.test(header))).toBe(true);
			expectError(await api(server, 'GET', '/api/me', { cookie: account.cookie }), 401);
			expect((await api(server, 'GET', '/api/me', { cookie: otherSession })).status).toBe(200);
		});

		test('401 when not signed in', async () => {
			expectError(await api(server, 'POST', '/api/auth/logout'), 401);
		});
	});
});
