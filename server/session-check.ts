import type { Statement } from 'better-sqlite3';
import { inArray } from 'drizzle-orm';
import type { Db } from '../src/lib/server/db';
import { isPostgres } from '../src/lib/server/db/pg';
import { tables } from '../src/lib/server/db/tables';

const expiryStatements = new WeakMap<Db, Statement<[string], number>>();

/** A session's expiry, prepared once per SQLite connection: the keep-alive asks it for every open socket's session. */
function expiryStatement(db: Db): Statement<[string], number> {
	let statement = expiryStatements.get(db);
	if (!statement) {
		statement = db.$client.prepare<[string], number>('SELECT expires_at FROM sessions WHERE id = ?').pluck();
		expiryStatements.set(db, statement);
	}
	return statement;
}

/** The expiry (ms) of each of `sessionIds` that exists; on PostgreSQL one query for all of them. */
async function sessionExpiries(db: Db, sessionIds: readonly string[]): Promise<Map<string, number>> {
	const expiries = new Map<string, number>();
	if (!isPostgres(db)) {
		const statement = expiryStatement(db);
		for (const id of sessionIds) {
			const expiresAt = statement.get(id);
			if (expiresAt !== undefined) expiries.set(id, expiresAt);
		}
		return expiries;
	}
	const { sessions } = tables(db);
	const rows = await db
		.select({ id: sessions.id, expiresAt: sessions.expiresAt })
		.from(sessions)
		.where(inArray(sessions.id, [...sessionIds]));
	for (const row of rows) expiries.set(row.id, row.expiresAt);
	return expiries;
}

/** Which of `sessionIds` still exist and have not expired (the keep-alive asks for a slice of open sockets at once). */
export async function liveSessions(db: Db, sessionIds: readonly string[], now = Date.now()): Promise<Set<string>> {
	if (sessionIds.length === 0) return new Set();
	const expiries = await sessionExpiries(db, sessionIds);
	return new Set(sessionIds.filter((id) => now < (expiries.get(id) ?? 0)));
}

/** Whether the session an open socket was authenticated with still exists and has not expired. */
export async function sessionIsLive(db: Db, sessionId: string, now = Date.now()): Promise<boolean> {
	return (await liveSessions(db, [sessionId], now)).has(sessionId);
}
