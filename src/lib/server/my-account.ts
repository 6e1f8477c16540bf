import { and, desc, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import { logIn, NAME_MAX_LENGTH } from './accounts';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password';
import { closeStreams } from './board-event-streams';
import type { Db } from './db';
import { tables } from './db/tables';
import { transaction } from './db/transaction';
import { deleteBoard } from './boards';
import { notifyBoard } from './board-notify';
import { generateSessionToken } from './session';
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
export async function listSessions(db: Db, userId: string, currentSessionId: string, now = Date.now()): Promise<SessionView[]> {
	const { sessions } = tables(db);
	const rows = await db.select().from(sessions).where(eq(sessions.userId, userId)).orderBy(desc(sessions.createdAt));
	return rows
		.filter((session) => session.expiresAt > now)
		.map((session) => ({
			id: session.id,
			createdAt: session.createdAt === null ? null : new Date(session.createdAt).toISOString(),
			expiresAt: new Date(session.expiresAt).toISOString(),
			current: session.id === currentSessionId
		}));
}

/** Signs the account out in one place: the session ends, its sockets and event streams close. False when it has no such session. */
export async function endOwnSession(db: Db, userId: string, sessionId: string): Promise<boolean> {
	const { sessions } = tables(db);
	const ended = await db
		.delete(sessions)
		.where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)))
		.returning({ id: sessions.id });
	if (ended.length === 0) return false;
	await syncHub().closeSession(sessionId);
	closeStreams({ sessionId });
	return true;
}

/** Renames the account; open sockets keep the old name in presence until they reconnect. */
export async function rename(db: Db, userId: string, name: string): Promise<void> {
	const { users } = tables(db);
	await db.update(users).set({ name }).where(eq(users.id, userId));
}

export const passwordChangeInput = z.object({
	currentPassword: z.string({ error: 'currentPassword is required' }).max(PASSWORD_MAX_LENGTH),
	password: z
		.string({ error: 'Password is required' })
		.min(PASSWORD_MIN_LENGTH, `Password must be at least ${PASSWORD_MIN_LENGTH} characters`)
		.max(PASSWORD_MAX_LENGTH, `Password must be at most ${PASSWORD_MAX_LENGTH} characters`)
});

export type PasswordChange =
	{ ok: true } | { ok: false; error: 'wrong-password' } | { ok: false; error: 'throttled'; retryAfterSeconds: number };

/**
 * Changes the password after checking the current one (under the log-in throttles, so it is no
 * way around them); every other session of the account ends and its sockets close.
 */
export async function changePassword(
	db: Db,
	user: { id: string; email: string },
	currentSessionId: string,
	input: z.infer<typeof passwordChangeInput>,
	clientAddress: string
): Promise<PasswordChange> {
	const checked = await logIn(db, { email: user.email, password: input.currentPassword }, clientAddress);
	if (!checked.user)
		return checked.error === 'throttled'
			? { ok: false, error: 'throttled', retryAfterSeconds: checked.retryAfterSeconds }
			: { ok: false, error: 'wrong-password' };
	const passwordHash = await hashPassword(input.password);
	const ended = await transaction(db, async (tx) => {
		const { sessions, users } = tables(tx);
		await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
		return await tx
			.delete(sessions)
			.where(and(eq(sessions.userId, user.id), ne(sessions.id, currentSessionId)))
			.returning({ id: sessions.id });
	});
	for (const { id } of ended) {
		await syncHub().closeSession(id);
		closeStreams({ sessionId: id });
	}
	return { ok: true };
}

/** The name comments and votes of a deleted account are shown under. */
export const DELETED_USER_NAME = 'deleted user';

export const deleteAccountInput = z.object({
	confirm: z.string({ error: 'confirm is required: type your email' }).trim().toLowerCase().max(254)
});

/** Boards the account alone owns: deleting the account deletes them. */
export async function boardsOnlyOwnedBy(db: Db, userId: string): Promise<{ id: string; title: string }[]> {
	const { boardMembers, boards } = tables(db);
	const owned = await db
		.select({ id: boards.id, title: boards.title })
		.from(boardMembers)
		.innerJoin(boards, eq(boards.id, boardMembers.boardId))
		.where(and(eq(boardMembers.userId, userId), eq(boardMembers.role, 'owner')));
	const alone: { id: string; title: string }[] = [];
	for (const board of owned) {
		const owners = await db
			.select({ userId: boardMembers.userId })
			.from(boardMembers)
			.where(and(eq(boardMembers.boardId, board.id), eq(boardMembers.role, 'owner')));
		if (owners.length === 1) alone.push(board);
	}
	return alone;
}

/**
 * Deletes an account once its email is typed as confirmation: boards only it owns are deleted,
 * it leaves every other board, its sessions end; the row stays, emptied, so its comments remain
 * under "deleted user". False when the confirmation does not match.
 */
export async function deleteAccount(db: Db, user: { id: string; email: string }, confirm: string): Promise<boolean> {
	if (confirm !== user.email) return false;
	const { boardMembers } = tables(db);
	for (const board of await boardsOnlyOwnedBy(db, user.id)) await deleteBoard(db, board.id);
	const left = await db.delete(boardMembers).where(eq(boardMembers.userId, user.id)).returning({ boardId: boardMembers.boardId });
	for (const { boardId } of left) {
		await notifyBoard(boardId, {
			live: (hub) => hub.setMemberRole(boardId, user.id, null),
			closeStreams: { userId: user.id },
			event: 'members'
		});
	}
	// Nobody knows this password: the account can never be signed in to again.
	const passwordHash = await hashPassword(generateSessionToken());
	const ended = await transaction(db, async (tx) => {
		const { emailTokens, oidcIdentities, sessions, users } = tables(tx);
		await tx
			.update(users)
			.set({ email: `deleted-${user.id}@deleted.invalid`, name: DELETED_USER_NAME, passwordHash, emailVerifiedAt: null, isGuest: false })
			.where(eq(users.id, user.id));
		await tx.delete(emailTokens).where(eq(emailTokens.userId, user.id));
		// Its provider identities go too: a later single sign-on by them makes a new account.
		await tx.delete(oidcIdentities).where(eq(oidcIdentities.userId, user.id));
		return await tx.delete(sessions).where(eq(sessions.userId, user.id)).returning({ id: sessions.id });
	});
	for (const { id } of ended) {
		await syncHub().closeSession(id);
		closeStreams({ sessionId: id });
	}
	return true;
}
