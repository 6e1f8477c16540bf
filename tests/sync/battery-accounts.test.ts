/**
 * Battery: accounts. Log-in throttling per account and per address; session cookie flags
 * (HttpOnly, SameSite=Lax, Path=/, Secure when ORIGIN is https); every state-changing endpoint
 * refuses another origin; session tokens carry at least 120 random bits; and a copy of the
 * database logs nobody in: it holds only SHA-256 hashes of session tokens and Argon2id password
 * hashes.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	api,
	cleanup,
	createBoard,
	FOREIGN_ORIGIN,
	newServer,
	PASSWORD,
	sessionCookie,
	signUp,
	upgradeStatus,
	type Account,
	type TestServer,
	onPostgres,
	queryServerDb
} from './helpers';
import { formWith, TINY_PNG } from './http-helpers';
import { setupBoard } from './setup';

/** src/lib/server/accounts.ts */
const LOGIN_MAX_FAILURES = 5;
const LOGIN_MAX_FAILURES_PER_ADDRESS = 50;
/** Bits a session token must carry at least. */
const MIN_TOKEN_BITS = 120;
const BASE32_LOWER = /^[a-z2-7]+$/;
/** OWASP's Argon2id parameters (docs/api.md, HTTP conventions: Accounts). */
const ARGON2ID_PREFIX = '$argon2id$v=19$m=19456,t=2,p=1$';

/** The attributes of the `session` Set-Cookie header, lower-cased names. */
function sessionCookieAttributes(headers: Headers): Map<string, string> | null {
	const header = headers.getSetCookie().find((value) => value.startsWith('session='));
	if (!header) return null;
	const attributes = new Map<string, string>();
	for (const part of header.split(';').slice(1)) {
		const [name, ...value] = part.trim().split('=');
		attributes.set(name.toLowerCase(), value.join('='));
	}
	return attributes;
}

const tokenOf = (cookie: string) => cookie.slice('session='.length);
const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

async function login(server: TestServer, email: string, password = PASSWORD, headers: Record<string, string> = {}) {
	return api(server, 'POST', '/api/auth/login', { body: { email, password }, headers });
}

describe('accounts', () => {
	let server: TestServer;

	beforeAll(async () => {
		server = await newServer();
	});
	afterAll(cleanup);

	test('cookies are HttpOnly, SameSite=Lax, Path=/ and not Secure over plain HTTP; log-out clears them', async () => {
		const email = `flags-${process.pid}@example.test`;
		const signup = await api(server, 'POST', '/api/auth/signup', { body: { email, password: PASSWORD, name: 'Flags' } });
		const loggedIn = await login(server, email);
		for (const response of [signup, loggedIn]) {
			const attributes = sessionCookieAttributes(response.headers)!;
			expect(attributes.has('httponly')).toBe(true);
			expect(attributes.get('samesite')?.toLowerCase()).toBe('lax');
			expect(attributes.get('path')).toBe('/');
			expect(attributes.has('secure')).toBe(false);
			expect(Date.parse(attributes.get('expires')!)).toBeGreaterThan(Date.now() + 24 * 60 * 60 * 1000);
		}
		const logout = await api(server, 'POST', '/api/auth/logout', { cookie: sessionCookie(loggedIn.headers)! });
		const cleared = sessionCookieAttributes(logout.headers)!;
		expect(cleared.get('path')).toBe('/');
		expect(cleared.get('max-age') === '0' || Date.parse(cleared.get('expires') ?? '') <= Date.now()).toBe(true);
	});

	test('behind HTTPS (ORIGIN=https://…) the cookies are Secure too', async () => {
		const secure = await newServer({ ORIGIN: 'https://journey.example' });
		const email = `secure-${process.pid}@example.test`;
		const signup = await api(secure, 'POST', '/api/auth/signup', { body: { email, password: PASSWORD, name: 'Secure' } });
		expect(signup.status).toBe(201);
		const loggedIn = await login(secure, email);
		for (const response of [signup, loggedIn]) {
			const attributes = sessionCookieAttributes(response.headers)!;
			expect(attributes.has('secure')).toBe(true);
			expect(attributes.has('httponly')).toBe(true);
			expect(attributes.get('samesite')?.toLowerCase()).toBe('lax');
		}
		const logout = await api(secure, 'POST', '/api/auth/logout', { cookie: sessionCookie(loggedIn.headers)! });
		expect(sessionCookieAttributes(logout.headers)!.has('secure')).toBe(true);
		await secure.stop();
	});

	test(`session tokens are random and carry at least ${MIN_TOKEN_BITS} bits`, async () => {
		const account = await signUp(server, 'Tokens');
		const tokens = [tokenOf(account.cookie)];
		for (let i = 0; i < 20; i++) tokens.push(tokenOf(sessionCookie((await login(server, account.email)).headers)!));
		expect(new Set(tokens).size).toBe(tokens.length);
		for (const token of tokens) {
			expect(token).toMatch(BASE32_LOWER);
			expect(token.length * 5).toBeGreaterThanOrEqual(MIN_TOKEN_BITS);
		}
		// No shared prefix beyond chance: the tokens are not a counter or a timestamp.
		const prefixes = new Set(tokens.map((token) => token.slice(0, 4)));
		expect(prefixes.size).toBeGreaterThan(tokens.length - 3);
	});

	// Reads the bytes of the SQLite file itself.
	test.skipIf(onPostgres)('a copy of the database logs nobody in: only SHA-256 of tokens, only Argon2id hashes', async () => {
		const accounts = await Promise.all(['Copy A', 'Copy B', 'Copy C'].map((name) => signUp(server, name)));
		const tokens = accounts.map((account) => tokenOf(account.cookie));
		const files = ['', '-wal'].map((suffix) => join(server.dataDir, `journey.db${suffix}`)).filter(existsSync);
		const bytes = Buffer.concat(files.map((file) => readFileSync(file)));
		for (const token of tokens) expect(bytes.includes(token), 'a raw token on disk').toBe(false);
		expect(bytes.includes(PASSWORD), 'a password on disk').toBe(false);

		const db = new Database(join(server.dataDir, 'journey.db'), { readonly: true });
		let sessionIds: string[];
		let hashes: string[];
		try {
			sessionIds = (db.prepare('SELECT id FROM sessions').all() as { id: string }[]).map((row) => row.id);
			hashes = (db.prepare('SELECT password_hash AS hash FROM users').all() as { hash: string }[]).map((row) => row.hash);
		} finally {
			db.close();
		}
		for (const id of sessionIds) expect(id).toMatch(/^[0-9a-f]{64}$/);
		for (const token of tokens) expect(sessionIds).toContain(sha256Hex(token));
		for (const hash of hashes) expect(hash.startsWith(ARGON2ID_PREFIX)).toBe(true);

		// What the copy holds opens nothing.
		for (const id of sessionIds.slice(0, 5)) {
			expect((await api(server, 'GET', '/api/me', { cookie: `session=${id}` })).status).toBe(401);
		}
		const boardId = await createBoard(server, accounts[0]);
		expect(await upgradeStatus(server, boardId, { cookie: `session=${sha256Hex(tokens[0])}` })).toBe(401);
		expect((await login(server, accounts[1].email, hashes[0])).status).toBe(401);
	});

	test(`log-in is throttled: ${LOGIN_MAX_FAILURES} failures per account, ${LOGIN_MAX_FAILURES_PER_ADDRESS} per address`, async () => {
		// A server of its own: the per-address limit counts every failure from 127.0.0.1.
		const throttled = await newServer();
		const [target, bystander, late] = await Promise.all(['Target', 'Bystander', 'Late'].map((name) => signUp(throttled, name)));
		for (let i = 0; i < LOGIN_MAX_FAILURES; i++) expect((await login(throttled, target.email, `guess ${i}`)).status).toBe(401);
		const blocked = await login(throttled, target.email);
		expect(blocked.status).toBe(429);
		expect(sessionCookie(blocked.headers)).toBeNull();
		expect((await login(throttled, bystander.email)).status).toBe(200);

		// Spraying many accounts from one address trips the per-address limit, right password or not.
		let failures = LOGIN_MAX_FAILURES;
		for (let i = 0; failures < LOGIN_MAX_FAILURES_PER_ADDRESS; i++, failures++) {
			expect((await login(throttled, `spray-${i}@example.test`, 'password guess')).status).toBe(401);
		}
		const sprayed = await login(throttled, late.email);
		expect(sprayed.status).toBe(429);
		expect(sessionCookie(sprayed.headers)).toBeNull();
		// Sessions already signed in are not affected.
		expect((await api(throttled, 'GET', '/api/me', { cookie: bystander.cookie })).status).toBe(200);
		await throttled.stop();
	});

	describe('cross-origin writes', () => {
		let owner: Account;
		let member: Account;
		let boardId: string;
		let commentId: string;

		beforeAll(async () => {
			({
				owner,
				members: { member },
				boardId
			} = await setupBoard({
				server,
				owner: 'Origin owner',
				members: { member: { role: 'editor', name: 'Origin member' } },
				board: { title: 'Origins', template: 'lifecycle' }
			}));
			commentId = (await api(server, 'POST', `/api/boards/${boardId}/comments`, { cookie: owner.cookie, body: { body: 'Pinned' } })).body
				.comment.id;
		});

		/** Everything a signed-in owner can change, each as a request from another origin. */
		const writes = (): [string, string, string, unknown][] => [
			['POST', '/api/auth/signup', '', { email: `cross-${process.pid}@example.test`, password: PASSWORD, name: 'Cross' }],
			['POST', '/api/auth/login', '', { email: owner.email, password: PASSWORD }],
			['POST', '/api/auth/logout', owner.cookie, undefined],
			['POST', '/api/boards', owner.cookie, { title: 'Cross-site' }],
			['POST', '/api/boards', owner.cookie, { journey: { format: 'journey-map/v1', title: 'x', stages: [], lanes: [], touchpoints: [] } }],
			['DELETE', `/api/boards/${boardId}`, owner.cookie, undefined],
			['POST', `/api/boards/${boardId}/members`, owner.cookie, { email: member.email, role: 'owner' }],
			['DELETE', `/api/boards/${boardId}/members/${member.id}`, owner.cookie, undefined],
			['POST', `/api/boards/${boardId}/comments`, owner.cookie, { body: 'Cross-site comment' }],
			['PATCH', `/api/boards/${boardId}/comments/${commentId}`, owner.cookie, { body: 'Rewritten cross-site' }],
			['DELETE', `/api/boards/${boardId}/comments/${commentId}`, owner.cookie, undefined],
			['POST', `/api/boards/${boardId}/comments/read`, owner.cookie, undefined]
		];

		async function storedFiles(): Promise<number> {
			return (await queryServerDb<{ n: number }>(server, 'SELECT count(*) AS n FROM files')).rows[0].n;
		}

		async function snapshot() {
			const board = await api(server, 'GET', `/api/boards/${boardId}`, { cookie: owner.cookie });
			const boards = await api(server, 'GET', '/api/boards', { cookie: owner.cookie });
			const comments = await api(server, 'GET', `/api/boards/${boardId}/comments`, { cookie: owner.cookie });
			return JSON.stringify({
				board: board.body,
				boards: boards.body.boards.map((entry: { id: string }) => entry.id).sort(),
				comments: comments.body.comments.map((comment: { id: string; body: string }) => [comment.id, comment.body])
			});
		}

		test.each([FOREIGN_ORIGIN, 'null', 'http://localhost.evil.example'])(
			'every write with Origin %s is 403 and changes nothing',
			async (origin) => {
				const before = await snapshot();
				for (const [method, path, cookie, body] of writes()) {
					const response = await api(server, method, path, { cookie: cookie || undefined, body, headers: { origin } });
					expect(response.status, `${method} ${path}`).toBe(403);
				}
				const filesBefore = await storedFiles();
				// The server may answer 403 before it has read the body and close the connection, so the
				// client can see a broken pipe instead of the status: either way, nothing is stored.
				const upload = await fetch(`${server.url}/api/boards/${boardId}/files`, {
					method: 'POST',
					headers: { cookie: owner.cookie, origin },
					body: formWith({ bytes: TINY_PNG, name: 'x.png', type: 'image/png' })
				}).catch((error: Error & { cause?: { code?: string } }) => ({ status: error.cause?.code ?? String(error) }));
				expect([403, 'EPIPE', 'ECONNRESET']).toContain(upload.status);
				expect(await storedFiles()).toBe(filesBefore);
				expect(await snapshot()).toBe(before);
				expect((await api(server, 'GET', '/api/me', { cookie: owner.cookie })).status).toBe(200);
				expect((await login(server, `cross-${process.pid}@example.test`)).status).toBe(401);
			}
		);

		test('the same writes from the server’s own origin are accepted', async () => {
			const response = await api(server, 'POST', '/api/boards', {
				cookie: owner.cookie,
				body: { title: 'Same origin' },
				headers: { origin: server.origin }
			});
			expect(response.status).toBe(201);
		});
	});
});
