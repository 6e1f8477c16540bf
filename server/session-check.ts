import type { Statement } from 'better-sqlite3';
import type { Db } from '../src/lib/server/db';

const expiryStatements = new WeakMap<Db, Statement<[string], number>>();

/** A session's expiry, prepared once per connection: the keep-alive asks it for every open socket's session. */
function expiryStatement(db: Db): Statement<[string], number> {
	let statement = expiryStatements.get(db);
	if (!statement) {
		statement = db.$client.prepare<[string], number>('SELECT expires_at FROM sessions WHERE id = ?').pluck();
		expiryStatements.set(db, statement);
	}
	return statement;
}

/** Whether the session an open socket was authenticated with still exists and has not expired. */
export function sessionIsLive(db: Db, sessionId: string, now = Date.now()): boolean {
	const expiresAt = expiryStatement(db).get(sessionId);
	return expiresAt !== undefined && now < expiresAt;
}
