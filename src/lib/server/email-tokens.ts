import { and, eq, lt } from 'drizzle-orm';
import type { Db } from './db';
import { tables } from './db/tables';
import { generateSessionToken, sessionIdOf } from './session';

export type EmailTokenPurpose = 'verify-email' | 'reset-password' | 'unsubscribe';

/** How long a mailed link works. */
export const EMAIL_TOKEN_TTL_MS: Record<EmailTokenPurpose, number> = {
	'verify-email': 7 * 24 * 60 * 60 * 1000,
	'reset-password': 30 * 60 * 1000,
	unsubscribe: 90 * 24 * 60 * 60 * 1000
};

/** A new single-use token for a mailed link (160 random bits); only its SHA-256 is stored. */
export async function issueEmailToken(
	db: Db,
	userId: string,
	purpose: EmailTokenPurpose,
	email: string,
	now = Date.now()
): Promise<string> {
	const { emailTokens } = tables(db);
	const token = generateSessionToken();
	await db.delete(emailTokens).where(lt(emailTokens.expiresAt, now));
	await db.insert(emailTokens).values({ id: sessionIdOf(token), userId, purpose, email, expiresAt: now + EMAIL_TOKEN_TTL_MS[purpose] });
	return token;
}

/** Uses a token up: the account and address it was mailed for, or null when unknown, used or expired. */
export async function consumeEmailToken(
	db: Db,
	token: string,
	purpose: EmailTokenPurpose,
	now = Date.now()
): Promise<{ userId: string; email: string } | null> {
	if (typeof token !== 'string' || token.length === 0 || token.length > 128) return null;
	const { emailTokens } = tables(db);
	const [row] = await db
		.delete(emailTokens)
		.where(and(eq(emailTokens.id, sessionIdOf(token)), eq(emailTokens.purpose, purpose)))
		.returning();
	if (!row || now >= row.expiresAt) return null;
	return { userId: row.userId, email: row.email };
}

/** Drops every outstanding token of an account for a purpose (e.g. once its password was reset). */
export async function dropEmailTokens(db: Db, userId: string, purpose: EmailTokenPurpose): Promise<void> {
	const { emailTokens } = tables(db);
	await db.delete(emailTokens).where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose)));
}
