import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { translator, type Locale } from '../i18n';
import { findUserByEmail, forgetLoginFailures } from './accounts';
import { publicOrigin } from './config';
import type { Db } from './db';
import { tables } from './db/tables';
import { transaction } from './db/transaction';
import { consumeEmailToken, dropEmailTokens, EMAIL_TOKEN_TTL_MS, issueEmailToken } from './email-tokens';
import { linkMail, mailConfigured, sendMail } from './mail';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password';
import { FailureThrottle } from './rate-limit';
import { closeStreams } from './board-event-streams';
import { syncHub } from './sync-hub';

export const passwordResetInput = z.object({
	email: z.string({ error: 'email is required' }).trim().toLowerCase().max(254, 'Email is too long')
});

export const passwordResetConfirmInput = z.object({
	token: z.string({ error: 'token is required' }).min(1, 'token is required').max(128, 'token is too long'),
	password: z
		.string({ error: 'Password is required' })
		.min(PASSWORD_MIN_LENGTH, `Password must be at least ${PASSWORD_MIN_LENGTH} characters`)
		.max(PASSWORD_MAX_LENGTH, `Password must be at most ${PASSWORD_MAX_LENGTH} characters`)
});

export const verifyEmailInput = z.object({
	token: z.string({ error: 'token is required' }).min(1, 'token is required').max(128, 'token is too long')
});

/** Reset mails per address within `RESET_MAIL_WINDOW_MS`: enough to retry, too few to flood someone's inbox. */
export const RESET_MAILS_PER_EMAIL = 3;
/**
 * As long as a reset link lives: while an attacker's requests hold an address's budget, the last
 * mail of the window still works, so the owner always has a link to get in with.
 */
export const RESET_MAIL_WINDOW_MS = EMAIL_TOKEN_TTL_MS['reset-password'];
/** Reset requests per client address and hour, whatever the emails. */
export const RESET_REQUESTS_PER_ADDRESS = 20;
const HOUR_MS = 60 * 60 * 1000;
const resetsPerEmail = new FailureThrottle('reset-mail-email', RESET_MAILS_PER_EMAIL, RESET_MAIL_WINDOW_MS);
const resetsPerAddress = new FailureThrottle('reset-mail-address', RESET_REQUESTS_PER_ADDRESS, HOUR_MS);

/** Mails a link that proves the account's email; does nothing without mail or for a guest. */
export async function sendVerificationMail(db: Db, userId: string, locale: Locale): Promise<void> {
	if (!mailConfigured()) return;
	const { users } = tables(db);
	const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
	if (!user || user.isGuest || user.emailVerifiedAt !== null) return;
	const token = await issueEmailToken(db, user.id, 'verify-email', user.email);
	const t = translator(locale);
	await sendMail(
		linkMail(
			user.email,
			t('mail.verify.subject'),
			[t('mail.greeting', { name: user.name }), t('mail.verify.body')],
			t('mail.verify.action'),
			`${publicOrigin()}/verify-email?token=${token}`,
			t('mail.verify.ignore')
		)
	);
}

/** Confirmation mails one account may ask for again per hour. */
export const VERIFICATION_RESENDS_PER_HOUR = 3;
const resendsPerAccount = new FailureThrottle('verification-resend-account', VERIFICATION_RESENDS_PER_HOUR, HOUR_MS);

export type ResendOutcome =
	{ ok: true } | { ok: false; reason: 'guest' | 'verified' } | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/** Mails the account a new confirmation link, at most `VERIFICATION_RESENDS_PER_HOUR` times an hour. */
export async function resendVerificationMail(db: Db, userId: string, locale: Locale): Promise<ResendOutcome> {
	const { users } = tables(db);
	const [user] = await db
		.select({ isGuest: users.isGuest, verifiedAt: users.emailVerifiedAt })
		.from(users)
		.where(eq(users.id, userId))
		.limit(1);
	if (!user || user.isGuest) return { ok: false, reason: 'guest' };
	if (user.verifiedAt !== null) return { ok: false, reason: 'verified' };
	const blockedMs = await resendsPerAccount.take(userId);
	if (blockedMs > 0) return { ok: false, reason: 'throttled', retryAfterSeconds: Math.ceil(blockedMs / 1000) };
	// The answer does not wait for the mail server; a failure to send is logged, not shown.
	sendVerificationMail(db, userId, locale).catch((error) => console.error('verification mail failed', error));
	return { ok: true };
}

/** Marks the account's email as proved by a mailed link; false for an unknown, used or expired link. */
export async function verifyEmail(db: Db, token: string): Promise<boolean> {
	const proved = await consumeEmailToken(db, token, 'verify-email');
	if (!proved) return false;
	const { users } = tables(db);
	// The account may have changed its email since the link was mailed: only that address is proved.
	const [changed] = await db
		.update(users)
		.set({ emailVerifiedAt: Date.now() })
		.where(eq(users.id, proved.userId))
		.returning({ email: users.email });
	if (changed && changed.email !== proved.email) {
		await db.update(users).set({ emailVerifiedAt: null }).where(eq(users.id, proved.userId));
		return false;
	}
	return changed !== undefined;
}

/**
 * Mails a password-reset link valid for 30 minutes when the email belongs to an account (not a
 * guest); answers the same either way, so nobody learns which addresses have accounts.
 */
export async function requestPasswordReset(db: Db, email: string, clientAddress: string, locale: Locale): Promise<void> {
	if ((await resetsPerEmail.blockedForMs(email)) > 0 || (await resetsPerAddress.take(clientAddress)) > 0) return;
	const user = await findUserByEmail(db, email);
	if (!user) return;
	const { users } = tables(db);
	const [row] = await db.select({ isGuest: users.isGuest }).from(users).where(eq(users.id, user.id)).limit(1);
	if (!row || row.isGuest) return;
	await resetsPerEmail.fail(email);
	const token = await issueEmailToken(db, user.id, 'reset-password', user.email);
	const t = translator(locale);
	await sendMail(
		linkMail(
			user.email,
			t('mail.reset.subject'),
			[t('mail.greeting', { name: user.name }), t('mail.reset.body')],
			t('mail.reset.action'),
			`${publicOrigin()}/reset-password?token=${token}`,
			t('mail.reset.ignore')
		)
	);
}

/**
 * Sets a new password with a reset link: the link is used up, every session of the account ends
 * and its sockets and event streams close, its log-in delays are lifted, and the email counts as
 * proved (the link reached it). The account's id, for the caller to sign its owner in; null for an
 * unknown, used or expired link.
 */
export async function confirmPasswordReset(db: Db, input: z.infer<typeof passwordResetConfirmInput>): Promise<string | null> {
	const proved = await consumeEmailToken(db, input.token, 'reset-password');
	if (!proved) return null;
	const passwordHash = await hashPassword(input.password);
	const ended = await transaction(db, async (tx) => {
		const { sessions, users } = tables(tx);
		const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, proved.userId)).limit(1);
		if (!user || user.email !== proved.email) return null;
		await tx.update(users).set({ passwordHash, emailVerifiedAt: Date.now() }).where(eq(users.id, proved.userId));
		return await tx.delete(sessions).where(eq(sessions.userId, proved.userId)).returning({ id: sessions.id });
	});
	if (!ended) return null;
	await dropEmailTokens(db, proved.userId, 'reset-password');
	for (const { id } of ended) {
		await syncHub().closeSession(id);
		closeStreams({ sessionId: id });
	}
	await forgetLoginFailures(proved.email);
	return proved.userId;
}

/** Whether the account's email has been proved. */
export async function emailVerified(db: Db, userId: string): Promise<boolean> {
	const { users } = tables(db);
	const [row] = await db.select({ at: users.emailVerifiedAt }).from(users).where(eq(users.id, userId)).limit(1);
	return row?.at !== null && row?.at !== undefined;
}
