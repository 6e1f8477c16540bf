import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { atLeast, INVITE_ROLES, type Role } from '../journey/roles';
import { notifyBoard } from './board-notify';
import type { Db } from './db';
import { boardMembers, boardRemovals, boards, invites } from './db/schema';
import { createGuest } from './guests';
import { newId, randomBytes } from './random-ids';
import type { SessionUser } from './session';

/** Invite tokens carry 160 bits; only their SHA-256 is stored. */
const INVITE_TOKEN_BYTES = 20;
/** Longest an invite link may live. */
export const INVITE_MAX_HOURS = 24 * 30;

export const inviteInput = z.object({
	role: z.enum(INVITE_ROLES, {
		error: 'role must be editor, commenter or viewer'
	}),
	expiresInHours: z
		.number({ error: 'expiresInHours must be a number' })
		.positive('expiresInHours must be positive')
		.max(INVITE_MAX_HOURS, `expiresInHours must be at most ${INVITE_MAX_HOURS}`)
});

export interface InviteView {
	id: string;
	role: Role;
	createdAt: string;
	expiresAt: string;
	revoked: boolean;
	expired: boolean;
	uses: number;
}

/** The stored form of a secret token (invite links, intake tokens): hex SHA-256. */
export const hashToken = (token: string): string => encodeHexLowerCase(sha256(new TextEncoder().encode(token)));

/** Creates an invite link; the token is returned once and never stored. */
export function createInvite(
	db: Db,
	boardId: string,
	createdBy: string,
	input: z.infer<typeof inviteInput>,
	now = Date.now()
): { id: string; token: string; expiresAt: number } {
	const token = encodeBase32LowerCaseNoPadding(randomBytes(INVITE_TOKEN_BYTES));
	const id = newId();
	const expiresAt = now + Math.round(input.expiresInHours * 60 * 60 * 1000);
	db.insert(invites)
		.values({ id, tokenHash: hashToken(token), boardId, role: input.role, createdBy, createdAt: now, expiresAt })
		.run();
	return { id, token, expiresAt };
}

/** A board's invite links, newest first. */
export function listInvites(db: Db, boardId: string, now = Date.now()): InviteView[] {
	return db
		.select()
		.from(invites)
		.where(eq(invites.boardId, boardId))
		.orderBy(desc(invites.createdAt))
		.all()
		.map((invite) => ({
			id: invite.id,
			role: invite.role,
			createdAt: new Date(invite.createdAt).toISOString(),
			expiresAt: new Date(invite.expiresAt).toISOString(),
			revoked: invite.revokedAt !== null,
			expired: now >= invite.expiresAt,
			uses: invite.uses
		}));
}

/** Revokes a link; false when the board has no such link. */
export function revokeInvite(db: Db, boardId: string, inviteId: string): boolean {
	return (
		db
			.update(invites)
			.set({ revokedAt: Date.now() })
			.where(and(eq(invites.id, inviteId), eq(invites.boardId, boardId)))
			.run().changes > 0
	);
}

export type InviteLookup =
	| { ok: true; invite: { id: string; boardId: string; role: Role; boardTitle: string; createdAt: number; expiresAt: number } }
	| { ok: false; reason: 'invalid' | 'expired' | 'revoked' };

/** The invite behind a link token, if it can still be used. */
export function findInvite(db: Db, token: string, now = Date.now()): InviteLookup {
	const row = db
		.select({ invite: invites, boardTitle: boards.title })
		.from(invites)
		.innerJoin(boards, eq(invites.boardId, boards.id))
		.where(eq(invites.tokenHash, hashToken(token)))
		.get();
	if (!row) return { ok: false, reason: 'invalid' };
	if (row.invite.revokedAt !== null) return { ok: false, reason: 'revoked' };
	if (now >= row.invite.expiresAt) return { ok: false, reason: 'expired' };
	const { id, boardId, role, createdAt, expiresAt } = row.invite;
	return { ok: true, invite: { id, boardId, role, boardTitle: row.boardTitle, createdAt, expiresAt } };
}

/** The invite as joining needs it. */
type UsableInvite = { id: string; boardId: string; role: Role; createdAt: number };

/**
 * A signed-in person (account or guest) joins the board with the link's role; a stronger role they
 * have is kept. Null when they were removed from the board after the link was made: removal also
 * takes away the links they may have kept.
 */
export function joinBoard(db: Db, invite: UsableInvite, userId: string): Role | null {
	if (removedSince(db, invite.boardId, userId, invite.createdAt)) return null;
	const role = acceptInvite(db, invite, userId);
	notifyBoard(invite.boardId, { event: 'members' });
	return role;
}

/** Whether the user was removed from the board at or after `since` (ms). */
function removedSince(db: Db, boardId: string, userId: string, since: number): boolean {
	const removal = db
		.select({ removedAt: boardRemovals.removedAt })
		.from(boardRemovals)
		.where(and(eq(boardRemovals.boardId, boardId), eq(boardRemovals.userId, userId)))
		.get();
	return removal !== undefined && removal.removedAt >= since;
}

/** Someone without an account joins the board through the link as a new guest with this display name. */
export function joinAsGuest(db: Db, invite: UsableInvite, name: string): SessionUser {
	const guest = createGuest(db, name);
	acceptInvite(db, invite, guest.id);
	notifyBoard(invite.boardId, { event: 'members' });
	return guest;
}

/** Makes the user a member with the link's role; an existing stronger role is kept. Returns the role. */
function acceptInvite(db: Db, invite: { id: string; boardId: string; role: Role }, userId: string): Role {
	return db.transaction((tx) => {
		const current = tx
			.select({ role: boardMembers.role })
			.from(boardMembers)
			.where(and(eq(boardMembers.boardId, invite.boardId), eq(boardMembers.userId, userId)))
			.get()?.role;
		if (current && atLeast(current, invite.role)) return current;
		tx.insert(boardMembers)
			.values({ boardId: invite.boardId, userId, role: invite.role, addedAt: Date.now() })
			.onConflictDoUpdate({ target: [boardMembers.boardId, boardMembers.userId], set: { role: invite.role } })
			.run();
		tx.update(invites)
			.set({ uses: sql`${invites.uses} + 1` })
			.where(eq(invites.id, invite.id))
			.run();
		return invite.role;
	});
}
