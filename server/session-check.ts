import { eq } from 'drizzle-orm';
import type { Db } from '../src/lib/server/db';
import { sessions } from '../src/lib/server/db/schema';

/** Whether the session an open socket was authenticated with still exists and has not expired. */
export function sessionIsLive(db: Db, sessionId: string, now = Date.now()): boolean {
	const row = db.select({ expiresAt: sessions.expiresAt }).from(sessions).where(eq(sessions.id, sessionId)).get();
	return row !== undefined && now < row.expiresAt;
}
