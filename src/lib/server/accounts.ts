import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from './db';
import { users } from './db/schema';
import { newId } from './random-ids';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, verifyPassword } from './password';
import { FailureThrottle } from './rate-limit';
import type { SessionUser } from './session';

export const EMAIL_MAX_LENGTH = 254;
export const NAME_MAX_LENGTH = 80;

const email = z
	.string({ error: 'Email is required' })
	.trim()
	.toLowerCase()
	.max(EMAIL_MAX_LENGTH, 'Email is too long')
	.pipe(z.email({ error: 'Enter a valid email address' }));

/** Sign-up input: a valid email, a password of 8+ characters, a display name. */
export const signupInput = z.object({
	email,
	password: z
		.string({ error: 'Password is required' })
		.min(PASSWORD_MIN_LENGTH, `Password must be at least ${PASSWORD_MIN_LENGTH} characters`)
		.max(PASSWORD_MAX_LENGTH, `Password must be at most ${PASSWORD_MAX_LENGTH} characters`),
	name: z
		.string({ error: 'Name is required' })
		.trim()
		.min(1, 'Name is required')
		.max(NAME_MAX_LENGTH, `Name must be at most ${NAME_MAX_LENGTH} characters`)
});

export const loginInput = z.object({
	email,
	password: z.string({ error: 'Password is required' }).max(PASSWORD_MAX_LENGTH)
});

export type SignupResult = { user: SessionUser } | { user: null; error: 'email-taken' };

/** Creates an account; an email already in use is an expected outcome, not an error. */
export async function signUp(db: Db, input: z.infer<typeof signupInput>): Promise<SignupResult> {
	const existing = db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).get();
	if (existing) return { user: null, error: 'email-taken' };
	const passwordHash = await hashPassword(input.password);
	const user = { id: newId(), email: input.email, name: input.name };
	const inserted = db
		.insert(users)
		.values({ ...user, passwordHash, createdAt: Date.now() })
		.onConflictDoNothing()
		.run();
	// Two sign-ups with one email can race past the check above while hashing.
	if (inserted.changes === 0) return { user: null, error: 'email-taken' };
	return { user };
}

/** The account for these credentials, or null. */
export async function checkCredentials(db: Db, input: z.infer<typeof loginInput>): Promise<SessionUser | null> {
	const row = db.select().from(users).where(eq(users.email, input.email)).get();
	// Hash even for an unknown email so response time does not reveal which accounts exist.
	const valid = await verifyPassword(row?.passwordHash ?? (await timingDecoy()), input.password);
	if (!row || !valid) return null;
	return { id: row.id, email: row.email, name: row.name };
}

let decoyHash: Promise<string> | null = null;
function timingDecoy(): Promise<string> {
	decoyHash ??= hashPassword('timing-decoy-password');
	return decoyHash;
}

/** Finds a user by email (lower-cased). */
export function findUserByEmail(db: Db, address: string): SessionUser | null {
	const row = db
		.select({ id: users.id, email: users.email, name: users.name })
		.from(users)
		.where(eq(users.email, address.trim().toLowerCase()))
		.get();
	return row ?? null;
}

/** Failed log-ins allowed per email and client address within the window, then 429. */
export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
/** Failed log-ins allowed per client address across all emails within the window. */
export const LOGIN_MAX_FAILURES_PER_ADDRESS = 50;

// Process-wide on purpose: throttling must count across requests.
const perAccount = new FailureThrottle(LOGIN_MAX_FAILURES, LOGIN_WINDOW_MS);
const perAddress = new FailureThrottle(LOGIN_MAX_FAILURES_PER_ADDRESS, LOGIN_WINDOW_MS);

export type LoginResult = { user: SessionUser } | { user: null; error: 'throttled' | 'invalid' };

/** Checks credentials under the log-in throttle. */
export async function logIn(db: Db, input: z.infer<typeof loginInput>, clientAddress: string): Promise<LoginResult> {
	const accountKey = `${input.email}\n${clientAddress}`;
	if (perAccount.isBlocked(accountKey) || perAddress.isBlocked(clientAddress)) {
		return { user: null, error: 'throttled' };
	}
	const user = await checkCredentials(db, input);
	if (!user) {
		perAccount.fail(accountKey);
		perAddress.fail(clientAddress);
		return { user: null, error: 'invalid' };
	}
	perAccount.reset(accountKey);
	return { user };
}
