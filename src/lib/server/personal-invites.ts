import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { translator, type Locale } from '../i18n';
import { ROLES, type Role } from '../journey/roles';
import { EMAIL_MAX_LENGTH } from './accounts';
import { publicOrigin, readConfig } from './config';
import type { Db } from './db';
import { tables } from './db/tables';
import { transaction } from './db/transaction';
import { hashToken, joinBoard, type FoundInvite } from './invites';
import { linkMail, mailConfigured, sendMail } from './mail';
import { addMember } from './members';
import type { BoardMember } from './boards';
import { newId, randomBytes } from './random-ids';
import { FailureThrottle } from './rate-limit';
import { refuse, type Refusal } from './service-result';

/** A personal invite works once, for this long. */
export const PERSONAL_INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
/** Personal invite tokens carry 160 bits, like links; only their SHA-256 is stored. */
const TOKEN_BYTES = 20;

// Process-wide on purpose: the budget (`INVITES_MAX_PER_HOUR` per owner, across their boards) counts across requests.
let invitesPerOwner: FailureThrottle | null = null;

export const shareInput = z.object({
	email: z
		.string({ error: 'email is required' })
		.trim()
		.toLowerCase()
		.min(1, 'email is required')
		.max(EMAIL_MAX_LENGTH, 'email is too long')
		.pipe(z.email({ error: 'email must be a valid email address' })),
	role: z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}` })
});

export type ShareOutcome =
	| { ok: true; member: BoardMember }
	| { ok: true; invite: { url: string; expiresAt: string }; mailed: boolean }
	| Refusal
	| { ok: false; status: 429; error: string; retryAfterSeconds: number };

const newToken = () => encodeBase32LowerCaseNoPadding(randomBytes(TOKEN_BYTES));

/**
 * Shares a board with an address. A member's role changes, and an account whose email is proved
 * joins at once; any other address (unknown, unproved, a guest's) gets a personal invite: a link
 * bound to that address, mailed to it when mail is configured. Those answers look the same and
 * cost the same work whether or not an account uses the address, so nobody learns which do.
 */
export async function shareByEmail(
	db: Db,
	boardId: string,
	ownerId: string,
	input: z.infer<typeof shareInput>,
	locale: Locale,
	now = Date.now()
): Promise<ShareOutcome> {
	const { boardMembers, users } = tables(db);
	const [account] = await db
		.select({ verifiedAt: users.emailVerifiedAt, isGuest: users.isGuest, role: boardMembers.role })
		.from(users)
		.leftJoin(boardMembers, and(eq(boardMembers.boardId, boardId), eq(boardMembers.userId, users.id)))
		.where(eq(users.email, input.email))
		.limit(1);
	if (account && (account.role !== null || (account.verifiedAt !== null && !account.isGuest))) {
		const added = await addMember(db, boardId, input);
		return added.ok ? { ok: true, member: added.member } : added;
	}
	// RFC 2606: .invalid never receives mail (guests' placeholder addresses end so).
	if (input.email.endsWith('.invalid')) return refuse(400, 'This address cannot receive mail');
	invitesPerOwner ??= new FailureThrottle('invites-owner', readConfig().invitesPerHour, HOUR_MS);
	const blockedMs = await invitesPerOwner.take(ownerId, now);
	if (blockedMs > 0) {
		return {
			ok: false,
			status: 429,
			error: 'Too many invitations sent in the last hour; try again later',
			retryAfterSeconds: Math.ceil(blockedMs / 1000)
		};
	}
	const mailed = mailConfigured();
	const token = newToken();
	const mailToken = mailed ? newToken() : null;
	const expiresAt = now + PERSONAL_INVITE_TTL_MS;
	await transaction(db, async (tx) => {
		const { invites } = tables(tx);
		// One pending invite per address and board: the newest replaces the ones before.
		await tx
			.update(invites)
			.set({ revokedAt: now })
			.where(and(eq(invites.boardId, boardId), eq(invites.email, input.email), eq(invites.uses, 0), isNull(invites.revokedAt)));
		await tx.insert(invites).values({
			id: newId(),
			tokenHash: hashToken(token),
			mailTokenHash: mailToken === null ? null : hashToken(mailToken),
			email: input.email,
			boardId,
			role: input.role,
			createdBy: ownerId,
			createdAt: now,
			expiresAt
		});
	});
	if (mailToken !== null) {
		// The answer does not wait for the mail server; a failure to send is logged, not shown.
		mailInvite(db, boardId, ownerId, input.email, input.role, mailToken, locale).catch((error) =>
			console.error('invite mail failed', error)
		);
	}
	return { ok: true, invite: { url: `${publicOrigin()}/join/${token}`, expiresAt: new Date(expiresAt).toISOString() }, mailed };
}

/** Mails the personal invite in the inviting owner's language (they chose whom to write to). */
async function mailInvite(db: Db, boardId: string, ownerId: string, to: string, role: Role, token: string, locale: Locale): Promise<void> {
	const { boards, users } = tables(db);
	const [owner] = await db.select({ name: users.name }).from(users).where(eq(users.id, ownerId)).limit(1);
	const [board] = await db.select({ title: boards.title }).from(boards).where(eq(boards.id, boardId)).limit(1);
	if (!owner || !board) return;
	const t = translator(locale);
	await sendMail(
		linkMail(
			to,
			t('mail.invite.subject', { name: owner.name, board: board.title }),
			[t('mail.invite.body', { name: owner.name, board: board.title, role: t(`role.${role}`) }), t('mail.invite.once')],
			t('mail.invite.action'),
			`${publicOrigin()}/join/${token}`,
			t('mail.invite.ignore')
		)
	);
}

/** Why a signed-in account may not use a personal invite. */
export type PersonalRefusal = 'other-address' | 'unverified' | 'removed' | 'used';

/**
 * A signed-in account accepts a personal invite. Only the account with the invite's address may:
 * arriving through the mailed link proves the address (and marks it proved); the owner's copy of
 * the link needs an account whose address is proved already, or, with no mail configured (nothing
 * can be proved), the address alone.
 */
export async function acceptPersonalInvite(
	db: Db,
	invite: FoundInvite & { email: string },
	userId: string
): Promise<{ ok: true; role: Role } | { ok: false; reason: PersonalRefusal }> {
	const { users } = tables(db);
	const [account] = await db
		.select({ email: users.email, verifiedAt: users.emailVerifiedAt })
		.from(users)
		.where(eq(users.id, userId))
		.limit(1);
	if (!account || account.email !== invite.email) return { ok: false, reason: 'other-address' };
	if (!invite.proved && account.verifiedAt === null && mailConfigured()) return { ok: false, reason: 'unverified' };
	const role = await joinBoard(db, invite, userId);
	if (role === null) return { ok: false, reason: 'removed' };
	if (invite.proved && account.verifiedAt === null) {
		await db
			.update(users)
			.set({ emailVerifiedAt: Date.now() })
			.where(and(eq(users.id, userId), eq(users.email, invite.email)));
	}
	return { ok: true, role };
}

/** What each refusal tells the person, for the API. */
export const PERSONAL_REFUSALS: Record<PersonalRefusal, string> = {
	'other-address': 'This invitation is for another email address; sign in with that address',
	unverified: 'Confirm your email address first: follow the link mailed to it, then open this invitation again',
	removed: 'You were removed from this board after this invitation was made; ask an owner for a new one',
	used: 'This invitation was already used'
};
