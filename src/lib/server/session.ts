import { createHash } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { eq, sql } from 'drizzle-orm';
import type { Db } from './db';
import { isPostgres } from './db/pg';
import { tables } from './db/tables';
import { randomBytes } from './random-ids';

/** A session lives this long after its last renewal. */
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** A session used within this window of its expiry is extended by a full TTL (sliding expiry). */
export const SESSION_RENEW_WINDOW_MS = 15 * 24 * 60 * 60 * 1000;
/** Bytes of randomness in a session token: 160 bits. */
export const SESSION_TOKEN_BYTES = 20;
export const SESSION_COOKIE = 'session';

export interface SessionUser {
	id: string;
	email: string;
	name: string;
	/** A workshop guest, limited to the board they joined. */
	isGuest?: boolean;
}

export interface Session {
	id: string;
	userId: string;
	expiresAt: number;
}

export type SessionValidation =
	| { session: Session; user: SessionUser; renewed: boolean; /** The interface language the person last used. */ locale: string | null }
	| { session: null; user: null; renewed: false };

/** A new session token: random bytes, base32 encoded. Only its hash is ever stored. */
export function generateSessionToken(): string {
	return encodeBase32LowerCaseNoPadding(randomBytes(SESSION_TOKEN_BYTES));
}

/** The stored id of a token's session: hex SHA-256 of the token. */
export function sessionIdOf(token: string): string {
	return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Stores a session for the token and returns it. */
export async function createSession(db: Db, token: string, userId: string, now = Date.now()): Promise<Session> {
	const { sessions } = tables(db);
	const session = { id: sessionIdOf(token), userId, expiresAt: now + SESSION_TTL_MS };
	await db.insert(sessions).values({ ...session, createdAt: now });
	return session;
}

/** The session and its person, as one query: every request with a cookie asks it. */
function selectSession(db: Db) {
	const { sessions, users } = tables(db);
	return db
		.select({
			session: { id: sessions.id, userId: sessions.userId, expiresAt: sessions.expiresAt },
			user: { id: users.id, email: users.email, name: users.name, isGuest: users.isGuest },
			locale: users.locale
		})
		.from(sessions)
		.innerJoin(users, eq(sessions.userId, users.id));
}

/** The SQLite query prepared once per connection (the hot path of every request). */
function prepareSessionQuery(db: Db) {
	const { sessions } = tables(db);
	return selectSession(db)
		.where(eq(sessions.id, sql.placeholder('id')))
		.prepare();
}

const sessionQueries = new WeakMap<Db, ReturnType<typeof prepareSessionQuery>>();

function sessionQuery(db: Db): ReturnType<typeof prepareSessionQuery> {
	let query = sessionQueries.get(db);
	if (!query) sessionQueries.set(db, (query = prepareSessionQuery(db)));
	return query;
}

/** The session with this id and its person: the prepared statement on SQLite, one query on PostgreSQL. */
async function sessionRow(db: Db, id: string) {
	if (!isPostgres(db)) return sessionQuery(db).get({ id });
	const { sessions } = tables(db);
	const [row] = await selectSession(db).where(eq(sessions.id, id)).limit(1);
	return row;
}

/** Looks a token up: expired sessions are deleted, nearly-expired ones extended. */
export async function validateSessionToken(db: Db, token: string, now = Date.now()): Promise<SessionValidation> {
	const { sessions } = tables(db);
	const id = sessionIdOf(token);
	const row = await sessionRow(db, id);
	if (!row) return { session: null, user: null, renewed: false };
	const { session, user, locale } = row;
	if (now >= session.expiresAt) {
		await db.delete(sessions).where(eq(sessions.id, id));
		return { session: null, user: null, renewed: false };
	}
	let renewed = false;
	if (now >= session.expiresAt - SESSION_RENEW_WINDOW_MS) {
		session.expiresAt = now + SESSION_TTL_MS;
		await db.update(sessions).set({ expiresAt: session.expiresAt }).where(eq(sessions.id, id));
		renewed = true;
	}
	return { session, user, renewed, locale };
}

/** Deletes one session. */
export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
	const { sessions } = tables(db);
	await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Reads the session token from a Cookie header (for the WebSocket upgrade). */
export function sessionTokenFromCookieHeader(header: string | undefined): string | null {
	if (!header) return null;
	for (const part of header.split(';')) {
		const eqAt = part.indexOf('=');
		if (eqAt < 0) continue;
		if (part.slice(0, eqAt).trim() === SESSION_COOKIE) {
			const value = part.slice(eqAt + 1).trim();
			return value === '' ? null : value;
		}
	}
	return null;
}
