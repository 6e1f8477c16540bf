import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { atLeast, INVITE_ROLES, type Role } from '../journey/roles';
import { notifyBoard } from './board-notify';
import type { Db } from './db';
import { tables } from './db/tables';
import { transaction } from './db/transaction';
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
export async function createInvite(
	db: Db,
	boardId: string,
	createdBy: string,
	input: z.infer<typeof inviteInput>,
	now = Date.now()
): Promise<{ id: string; token: string; expiresAt: number }> {
	const { invites } = tables(db);
	const token = encodeBase32LowerCaseNoPadding(randomBytes(INVITE_TOKEN_BYTES));
	const id = newId();
	const expiresAt = now + Math.round(input.expiresInHours * 60 * 60 * 1000);
	await db.insert(invites).values({ id, tokenHash: hashToken(token), boardId, role: input.role, createdBy, createdAt: now, expiresAt });
	return { id, token, expiresAt };
}

/** A board's invite links, newest first. */
export async function listInvites(db: Db, boardId: string, now = Date.now()): Promise<InviteView[]> {
	const { invites } = tables(db);
	const rows = await db.select().from(invites).where(eq(invites.boardId, boardId)).orderBy(desc(invites.createdAt));
	return rows.map((invite) => ({
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
export async function revokeInvite(db: Db, boardId: string, inviteId: string): Promise<boolean> {
	const { invites } = tables(db);
	const revoked = await db
		.update(invites)
		.set({ revokedAt: Date.now() })
		.where(and(eq(invites.id, inviteId), eq(invites.boardId, boardId)))
		.returning({ id: invites.id });
	return revoked.length > 0;
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
export async function findInvite(db: Db, token: string, now = Date.now()): Promise<InviteLookup> {
	if (typeof token !== 'string' || token.length === 0 || token.length > 128) return { ok: false, reason: 'invalid' };
	const { boards, invites } = tables(db);
	const hash = hashToken(token);
	const [row] = await db
		.select({ invite: invites, boardTitle: boards.title })
		.from(invites)
		.innerJoin(boards, eq(invites.boardId, boards.id))
		.where(or(eq(invites.tokenHash, hash), eq(invites.mailTokenHash, hash)))
		.limit(1);
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
export async function joinBoard(db: Db, invite: UsableInvite, userId: string): Promise<Role | null> {
	if (await removedSince(db, invite.boardId, userId, invite.createdAt)) return null;
	const role = await acceptInvite(db, invite, userId);
	if (role === null) return null;
	await notifyBoard(invite.boardId, { event: 'members' });
	return role;
}

/** Whether the user was removed from the board at or after `since` (ms). */
async function removedSince(db: Db, boardId: string, userId: string, since: number): Promise<boolean> {
	const { boardRemovals } = tables(db);
	const [removal] = await db
		.select({ removedAt: boardRemovals.removedAt })
		.from(boardRemovals)
		.where(and(eq(boardRemovals.boardId, boardId), eq(boardRemovals.userId, userId)))
		.limit(1);
	return removal !== undefined && removal.removedAt >= since;
}

/** Someone without an account joins the board through the link as a new guest with this display name. */
export async function joinAsGuest(db: Db, invite: UsableInvite, name: string): Promise<SessionUser> {
	const guest = await createGuest(db, name);
	await acceptInvite(db, invite, guest.id);
	await notifyBoard(invite.boardId, { event: 'members' });
	return guest;
}

/**
 * Makes the user a member with the link's role; an existing stronger role is kept. Returns the role,
 * or null when a personal invite was used meanwhile (it works once).
 */
async function acceptInvite(db: Db, invite: UsableInvite, userId: string): Promise<Role | null> {
	return await transaction(db, async (tx) => {
		const { boardMembers, invites } = tables(tx);
		if (invite.email) {
			const taken = await tx
				.update(invites)
				.set({ uses: sql`${invites.uses} + 1` })
				.where(and(eq(invites.id, invite.id), eq(invites.uses, 0), isNull(invites.revokedAt)))
				.returning({ id: invites.id });
			if (taken.length === 0) return null;
		}
		const [member] = await tx
			.select({ role: boardMembers.role })
			.from(boardMembers)
			.where(and(eq(boardMembers.boardId, invite.boardId), eq(boardMembers.userId, userId)))
			.limit(1);
		const current = member?.role;
		if (current && atLeast(current, invite.role)) return current;
		await tx
			.insert(boardMembers)
			.values({ boardId: invite.boardId, userId, role: invite.role, addedAt: Date.now() })
			.onConflictDoUpdate({ target: [boardMembers.boardId, boardMembers.userId], set: { role: invite.role } });
		if (!invite.email) {
			await tx
				.update(invites)
				.set({ uses: sql`${invites.uses} + 1` })
				.where(eq(invites.id, invite.id));
		}
		return invite.role;
	});
}
