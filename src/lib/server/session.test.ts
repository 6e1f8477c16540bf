import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDb, type Db } from './db';
import { users } from './db/schema';
import {
	createSession,
	generateSessionToken,
	invalidateSession,
	SESSION_COOKIE,
	SESSION_RENEW_WINDOW_MS,
	SESSION_TTL_MS,
	sessionIdOf,
	sessionTokenFromCookieHeader,
	validateSessionToken
} from './session';

/** Lucia's guidance: at least 120 bits of entropy in a session token. */
const MIN_TOKEN_BITS = 120;
const NOW = Date.UTC(2025, 0, 1);
const USER = { id: 'user-1', email: 'ana@example.com', name: 'Ana', isGuest: false };

let dataDir: string;
let db: Db;

beforeEach(() => {
	dataDir = mkdtempSync(join(tmpdir(), 'journey-session-'));
	db = openDb(dataDir);
	db.insert(users)
		.values({ ...USER, passwordHash: 'not-a-real-hash', createdAt: NOW })
		.run();
});

afterEach(() => {
	db.$client.close();
	rmSync(dataDir, { recursive: true, force: true });
	vi.restoreAllMocks();
});

function storedSessions(): Record<string, unknown>[] {
	return db.$client.prepare('SELECT * FROM sessions').all() as Record<string, unknown>[];
}

describe('generateSessionToken', () => {
	it('is lower-case base32 without padding and carries at least 120 bits', () => {
		const token = generateSessionToken();
		expect(token).toMatch(/^[a-z2-7]+$/);
		expect(token.length * 5).toBeGreaterThanOrEqual(MIN_TOKEN_BITS);
		expect(decodeBase32IgnorePadding(token.toUpperCase()).length * 8).toBeGreaterThanOrEqual(MIN_TOKEN_BITS);
	});

	it('draws its bytes from the platform CSPRNG', () => {
		const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
		generateSessionToken();
		expect(spy).toHaveBeenCalledOnce();
		const bytes = spy.mock.calls[0][0] as Uint8Array;
		expect(bytes.byteLength * 8).toBeGreaterThanOrEqual(MIN_TOKEN_BITS);
	});

	it('never repeats', () => {
		const tokens = new Set(Array.from({ length: 1000 }, generateSessionToken));
		expect(tokens.size).toBe(1000);
	});
});

describe('createSession', () => {
	it('stores only the SHA-256 of the token, never the token', async () => {
		const token = generateSessionToken();
		const session = await createSession(db, token, USER.id, NOW);
		const sha256 = createHash('sha256').update(token).digest('hex');
		expect(sessionIdOf(token)).toBe(sha256);
		expect(session).toEqual({ id: sha256, userId: USER.id, expiresAt: NOW + SESSION_TTL_MS });
		const rows = storedSessions();
		expect(rows).toHaveLength(1);
		expect(rows[0].id).toBe(sha256);
		expect(JSON.stringify(rows)).not.toContain(token);
	});
});

describe('validateSessionToken', () => {
	it('returns the session and its user for a valid token', async () => {
		const token = generateSessionToken();
		const session = await createSession(db, token, USER.id, NOW);
		expect(await validateSessionToken(db, token, NOW + 1000)).toEqual({ session, user: USER, renewed: false, locale: null });
	});

	it('rejects an unknown token and the stored id used as a token', async () => {
		const token = generateSessionToken();
		await createSession(db, token, USER.id, NOW);
		const none = { session: null, user: null, renewed: false };
		expect(await validateSessionToken(db, generateSessionToken(), NOW)).toEqual(none);
		expect(await validateSessionToken(db, sessionIdOf(token), NOW)).toEqual(none);
	});

	it('rejects an expired session and deletes it', async () => {
		const token = generateSessionToken();
		await createSession(db, token, USER.id, NOW);
		expect(await validateSessionToken(db, token, NOW + SESSION_TTL_MS + 1)).toEqual({
			session: null,
			user: null,
			renewed: false
		});
		expect(storedSessions()).toHaveLength(0);
	});

	it('rejects a session exactly at its expiry time', async () => {
		const token = generateSessionToken();
		await createSession(db, token, USER.id, NOW);
		expect((await validateSessionToken(db, token, NOW + SESSION_TTL_MS)).session).toBeNull();
		expect(storedSessions()).toHaveLength(0);
	});

	it('leaves a session outside the renewal window unchanged', async () => {
		const token = generateSessionToken();
		await createSession(db, token, USER.id, NOW);
		const beforeWindow = NOW + SESSION_TTL_MS - SESSION_RENEW_WINDOW_MS - 1;
		const result = await validateSessionToken(db, token, beforeWindow);
		expect(result.renewed).toBe(false);
		expect(result.session?.expiresAt).toBe(NOW + SESSION_TTL_MS);
		expect(storedSessions()[0].expires_at).toBe(NOW + SESSION_TTL_MS);
	});

	it('extends a session used within the renewal window by a full TTL (sliding expiry)', async () => {
		const token = generateSessionToken();
		await createSession(db, token, USER.id, NOW);
		const inWindow = NOW + SESSION_TTL_MS - SESSION_RENEW_WINDOW_MS;
		const result = await validateSessionToken(db, token, inWindow);
		expect(result.renewed).toBe(true);
		expect(result.session?.expiresAt).toBe(inWindow + SESSION_TTL_MS);
		expect(storedSessions()[0].expires_at).toBe(inWindow + SESSION_TTL_MS);
		// Still valid after the original expiry.
		const afterOriginalExpiry = NOW + SESSION_TTL_MS + 1000;
		expect((await validateSessionToken(db, token, afterOriginalExpiry)).user).toEqual(USER);
	});

	it('keeps a regularly used session alive indefinitely', async () => {
		const token = generateSessionToken();
		await createSession(db, token, USER.id, NOW);
		const step = SESSION_TTL_MS - SESSION_RENEW_WINDOW_MS + 1;
		for (let visit = 1; visit <= 10; visit++) {
			expect((await validateSessionToken(db, token, NOW + visit * step)).session).not.toBeNull();
		}
	});

	it('ends the sessions of a deleted user', async () => {
		const token = generateSessionToken();
		await createSession(db, token, USER.id, NOW);
		await db.delete(users);
		expect((await validateSessionToken(db, token, NOW)).session).toBeNull();
		expect(storedSessions()).toHaveLength(0);
	});
});

describe('invalidateSession', () => {
	it('makes the token invalid and leaves other sessions alone', async () => {
		const token = generateSessionToken();
		const other = generateSessionToken();
		const session = await createSession(db, token, USER.id, NOW);
		await createSession(db, other, USER.id, NOW);
		await invalidateSession(db, session.id);
		expect((await validateSessionToken(db, token, NOW)).session).toBeNull();
		expect((await validateSessionToken(db, other, NOW)).user).toEqual(USER);
		expect(storedSessions()).toHaveLength(1);
	});
});

describe('sessionTokenFromCookieHeader', () => {
	it('finds the session cookie among others', () => {
		expect(sessionTokenFromCookieHeader(`locale=zh-CN; ${SESSION_COOKIE}=abc234; theme=dark`)).toBe('abc234');
		expect(sessionTokenFromCookieHeader(`${SESSION_COOKIE}=xyz`)).toBe('xyz');
	});

	it('is null without a session cookie or with an empty one', () => {
		expect(sessionTokenFromCookieHeader(undefined)).toBeNull();
		expect(sessionTokenFromCookieHeader('')).toBeNull();
		expect(sessionTokenFromCookieHeader('locale=en; mysession=abc')).toBeNull();
		expect(sessionTokenFromCookieHeader(`${SESSION_COOKIE}=; locale=en`)).toBeNull();
	});
});
