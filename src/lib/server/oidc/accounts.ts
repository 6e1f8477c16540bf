import { and, eq } from 'drizzle-orm';
import { logIn } from '../accounts';
import type { Db } from '../db';
import { tables } from '../db/tables';
import { transaction } from '../db/transaction';
import { hashPassword } from '../password';
import { newId } from '../random-ids';
import { generateSessionToken } from '../session';
import type { OidcIdentity } from './flow';
import { SingleUseStore } from './single-use-store';

/** How long a person has to prove the password of the account their provider's email matches. */
export const OIDC_LINK_TTL_MS = 15 * 60 * 1000;
/** Link steps kept at once; the oldest are dropped past it. */
export const OIDC_LINKS_MAX = 10_000;
/** The cookie naming this browser's link step (HttpOnly, SameSite=Lax). */
export const OIDC_LINK_COOKIE = 'oidc_link';

/** A provider identity waiting for the password of the account with its email. */
export interface PendingLink {
	userId: string;
	email: string;
	issuer: string;
	subject: string;
	redirectTo: string;
}

const pendingLinks = new SingleUseStore<PendingLink>(OIDC_LINK_TTL_MS, OIDC_LINKS_MAX);

export type OidcSignInResult =
	| { kind: 'signed-in'; userId: string; created: boolean }
	| { kind: 'link'; linkToken: string }
	| { kind: 'refused'; reason: 'no-email' | 'unverified-email' };

/**
 * The account of a provider identity. An identity already linked signs in to its account, whatever
 * its email says now. Otherwise the email must be present and verified: a new address creates an
 * account (email verified, no usable password); an address an account already has starts the link
 * step, which needs that account's password.
 */
export async function signInWithIdentity(db: Db, identity: OidcIdentity, redirectTo: string): Promise<OidcSignInResult> {
	const linked = await linkedUser(db, identity);
	if (linked) return { kind: 'signed-in', userId: linked, created: false };
	if (!identity.email) return { kind: 'refused', reason: 'no-email' };
	if (!identity.emailVerified) return { kind: 'refused', reason: 'unverified-email' };
	const email = identity.email;
	const { users } = tables(db);
	const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
	if (!existing) {
		// Nobody knows this password: the account signs in through its provider (or sets one by reset).
		const passwordHash = await hashPassword(generateSessionToken());
		const userId = newId();
		const created = await transaction(db, async (tx) => {
			const { oidcIdentities, users } = tables(tx);
			const inserted = await tx
				.insert(users)
				.values({ id: userId, email, name: identity.name, passwordHash, createdAt: Date.now(), emailVerifiedAt: Date.now() })
				.onConflictDoNothing()
				.returning({ id: users.id });
			if (inserted.length === 0) return false;
			await tx.insert(oidcIdentities).values({ issuer: identity.issuer, subject: identity.subject, userId, email, linkedAt: Date.now() });
			return true;
		});
		if (created) return { kind: 'signed-in', userId, created: true };
		// A sign-up with this email won the race: it is an existing account now.
		const raced = await linkedUser(db, identity);
		if (raced) return { kind: 'signed-in', userId: raced, created: false };
		const [winner] = await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
		if (!winner) return { kind: 'refused', reason: 'no-email' };
		return pendingLink(winner.id, email, identity, redirectTo);
	}
	return pendingLink(existing.id, email, identity, redirectTo);
}

function pendingLink(userId: string, email: string, identity: OidcIdentity, redirectTo: string): OidcSignInResult {
	const linkToken = pendingLinks.put({ userId, email, issuer: identity.issuer, subject: identity.subject, redirectTo });
	return { kind: 'link', linkToken };
}

async function linkedUser(db: Db, identity: { issuer: string; subject: string }): Promise<string | null> {
	const { oidcIdentities } = tables(db);
	const [row] = await db
		.select({ userId: oidcIdentities.userId })
		.from(oidcIdentities)
		.where(and(eq(oidcIdentities.issuer, identity.issuer), eq(oidcIdentities.subject, identity.subject)))
		.limit(1);
	return row?.userId ?? null;
}

/** The link step waiting in this browser, or null when there is none (or it expired). */
export function pendingLinkOf(token: string | undefined): PendingLink | null {
	return pendingLinks.peek(token);
}

export type LinkResult =
	| { ok: true; userId: string; redirectTo: string }
	| { ok: false; error: 'expired' | 'wrong-password' }
	| { ok: false; error: 'throttled'; retryAfterSeconds: number };

/**
 * Proves the password of the account a provider identity's email matched, under the log-in
 * throttles (a failure counts as a failed log-in of that account). On success the identity is
 * linked, the link step used up, and the account may sign in.
 */
export async function linkWithPassword(db: Db, token: string | undefined, password: string, clientAddress: string): Promise<LinkResult> {
	const pending = pendingLinks.peek(token);
	if (!pending) return { ok: false, error: 'expired' };
	const { users } = tables(db);
	const [account] = await db.select({ email: users.email }).from(users).where(eq(users.id, pending.userId)).limit(1);
	// The account changed its email (or was deleted) since: the identity's email no longer names it.
	if (!account || account.email !== pending.email) {
		pendingLinks.take(token);
		return { ok: false, error: 'expired' };
	}
	const result = await logIn(db, { email: pending.email, password }, clientAddress);
	if (!result.user) {
		return result.error === 'throttled'
			? { ok: false, error: 'throttled', retryAfterSeconds: result.retryAfterSeconds }
			: { ok: false, error: 'wrong-password' };
	}
	if (!pendingLinks.take(token)) return { ok: false, error: 'expired' };
	return completeLink(db, pending);
}

/**
 * Links a provider identity to the account its email matched, once the person proved the password
 * or the address (a mailed link). Refused as expired when the account changed its email since, or
 * the identity was linked to another account meanwhile.
 */
export async function completeLink(
	db: Db,
	pending: PendingLink
): Promise<{ ok: true; userId: string; redirectTo: string } | { ok: false; error: 'expired' }> {
	const { oidcIdentities, users } = tables(db);
	const [account] = await db.select({ email: users.email }).from(users).where(eq(users.id, pending.userId)).limit(1);
	if (!account || account.email !== pending.email) return { ok: false, error: 'expired' };
	await db
		.insert(oidcIdentities)
		.values({ issuer: pending.issuer, subject: pending.subject, userId: pending.userId, email: pending.email, linkedAt: Date.now() })
		.onConflictDoNothing();
	const owner = await linkedUser(db, pending);
	// The identity was linked to another account meanwhile (the same person in two tabs): that link stands.
	if (owner !== pending.userId) return { ok: false, error: 'expired' };
	// Following the provider, who verified the address, and knowing the password (or receiving the mail) proves both.
	await db.update(users).set({ emailVerifiedAt: Date.now() }).where(eq(users.id, pending.userId));
	return { ok: true, userId: pending.userId, redirectTo: pending.redirectTo };
}

/** The providers an account signs in with: issuer and when it was linked. */
export async function identitiesOf(db: Db, userId: string): Promise<{ issuer: string; linkedAt: number }[]> {
	const { oidcIdentities } = tables(db);
	return await db
		.select({ issuer: oidcIdentities.issuer, linkedAt: oidcIdentities.linkedAt })
		.from(oidcIdentities)
		.where(eq(oidcIdentities.userId, userId));
}
