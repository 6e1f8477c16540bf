import type { Cookies } from '@sveltejs/kit';
import { deleteSessionCookie, setSessionCookie } from './cookies';
import type { Db } from './db';
import { createSession, generateSessionToken, invalidateSession } from './session';
import { closeStreams } from './board-event-streams';
import { syncHub } from './sync-hub';

/** Signs a user in: a new session and its cookie. */
export async function beginSession(db: Db, cookies: Cookies, userId: string): Promise<void> {
	const token = generateSessionToken();
	const session = await createSession(db, token, userId);
	setSessionCookie(cookies, token, session.expiresAt);
}

/** Signs out: the session is deleted, its cookie removed and its open sockets closed. */
export async function endSession(db: Db, cookies: Cookies, sessionId: string): Promise<void> {
	await invalidateSession(db, sessionId);
	deleteSessionCookie(cookies);
	await syncHub().closeSession(sessionId);
	closeStreams({ sessionId });
}
