import type { Statement } from 'better-sqlite3';
import { eq } from 'drizzle-orm';
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

/** A session's expiry (ms), or undefined when there is no such session. */
async function sessionExpiry(db: Db, sessionId: string): Promise<number | undefined> {
	if (!isPostgres(db)) return expiryStatement(db).get(sessionId);
	const { sessions } = tables(db);
	const [row] = await db.select({ expiresAt: sessions.expiresAt }).from(sessions).where(eq(sessions.id, sessionId)).limit(1);
	return row?.expiresAt;
}

/** Whether the session an open socket was authenticated with still exists and has not expired. */
export async function sessionIsLive(db: Db, sessionId: string, now = Date.now()): Promise<boolean> {
	const expiresAt = await sessionExpiry(db, sessionId);
	return expiresAt !== undefined && now < expiresAt;
}
