import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, desc, eq, isNull, or, sql } from 'drizzle-orm';
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
	/** A personal invite's address; null for a link anyone may use. */
	email: string | null;
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
			uses: invite.uses,
			email: invite.email
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

/** An invite that can still be used, as its token finds it. */
export interface FoundInvite {
	id: string;
	boardId: string;
	role: Role;
	boardTitle: string;
	createdAt: number;
	expiresAt: number;
	/** A personal invite's address; null for a link. */
	email: string | null;
	/** The token was the one mailed to `email`: whoever holds it reads that mailbox. */
	proved: boolean;
}

export type InviteLookup = { ok: true; invite: FoundInvite } | { ok: false; reason: 'invalid' | 'expired' | 'revoked' | 'used' };

/** The invite behind a link token (or a personal invite's mailed token), if it can still be used. */
export function findInvite(db: Db, token: string, now = Date.now()): InviteLookup {
	if (typeof token !== 'string' || token.length === 0 || token.length > 128) return { ok: false, reason: 'invalid' };
	const hash = hashToken(token);
	const row = db
		.select({ invite: invites, boardTitle: boards.title })
		.from(invites)
		.innerJoin(boards, eq(invites.boardId, boards.id))
		.where(or(eq(invites.tokenHash, hash), eq(invites.mailTokenHash, hash)))
		.get();
	if (!row) return { ok: false, reason: 'invalid' };
	if (row.invite.revokedAt !== null) return { ok: false, reason: 'revoked' };
	if (now >= row.invite.expiresAt) return { ok: false, reason: 'expired' };
	if (row.invite.email !== null && row.invite.uses > 0) return { ok: false, reason: 'used' };
	const { id, boardId, role, createdAt, expiresAt, email } = row.invite;
	return {
		ok: true,
		invite: { id, boardId, role, boardTitle: row.boardTitle, createdAt, expiresAt, email, proved: row.invite.mailTokenHash === hash }
	};
}

/** The invite as joining needs it. */
type UsableInvite = { id: string; boardId: string; role: Role; createdAt: number; email?: string | null };

/**
 * A signed-in person (account or guest) joins the board with the link's role; a stronger role they
 * have is kept. Null when they were removed from the board after the link was made: removal also
 * takes away the links they may have kept.
 */
export function joinBoard(db: Db, invite: UsableInvite, userId: string): Role | null {
	if (removedSince(db, invite.boardId, userId, invite.createdAt)) return null;
	const role = acceptInvite(db, invite, userId);
	if (role === null) return null;
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

/**
 * Makes the user a member with the link's role; an existing stronger role is kept. Returns the role,
 * or null when a personal invite was used meanwhile (it works once).
 */
function acceptInvite(db: Db, invite: UsableInvite, userId: string): Role | null {
	return db.transaction((tx) => {
		if (invite.email) {
			const taken = tx
				.update(invites)
				.set({ uses: sql`${invites.uses} + 1` })
				.where(and(eq(invites.id, invite.id), eq(invites.uses, 0), isNull(invites.revokedAt)))
				.run();
			if (taken.changes === 0) return null;
		}
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
		if (!invite.email) {
			tx.update(invites)
				.set({ uses: sql`${invites.uses} + 1` })
				.where(eq(invites.id, invite.id))
				.run();
		}
		return invite.role;
	});
}
