import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { NAME_MAX_LENGTH } from './accounts';
import { closeStreams } from './board-event-streams';
import type { Db } from './db';
import { sessions, users } from './db/schema';
import { syncHub } from './sync-hub';

export const nameInput = z.object({
	name: z
		.string({ error: 'Name is required' })
		.trim()
		.min(1, 'Name is required')
		.max(NAME_MAX_LENGTH, `Name must be at most ${NAME_MAX_LENGTH} characters`)
});

/** One place a person is signed in. */
export interface SessionView {
	id: string;
	createdAt: string | null;
	expiresAt: string;
	/** The session of the request that asked. */
	current: boolean;
}

/** Where the account is signed in, newest first. */
export function listSessions(db: Db, userId: string, currentSessionId: string, now = Date.now()): SessionView[] {
	return db
		.select()
		.from(sessions)
		.where(eq(sessions.userId, userId))
		.orderBy(desc(sessions.createdAt))
		.all()
		.filter((session) => session.expiresAt > now)
		.map((session) => ({
			id: session.id,
			createdAt: session.createdAt === null ? null : new Date(session.createdAt).toISOString(),
			expiresAt: new Date(session.expiresAt).toISOString(),
			current: session.id === currentSessionId
		}));
}

/** Signs the account out in one place: the session ends, its sockets and event streams close. False when it has no such session. */
export function endOwnSession(db: Db, userId: string, sessionId: string): boolean {
	const ended = db
		.delete(sessions)
		.where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)))
		.run();
	if (ended.changes === 0) return false;
	syncHub().closeSession(sessionId);
	closeStreams({ sessionId });
	return true;
}

/** Renames the account; open sockets keep the old name in presence until they reconnect. */
export function rename(db: Db, userId: string, name: string): void {
	db.update(users).set({ name }).where(eq(users.id, userId)).run();
}
