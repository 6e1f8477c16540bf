import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { readConfig } from './config';
import type { Db } from './db';
import { tables } from './db/tables';
import { newId } from './random-ids';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, verifyPassword } from './password';
import { FailureThrottle, GrowingDelay } from './rate-limit';
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
	const { users } = tables(db);
	const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).limit(1);
	if (existing) return { user: null, error: 'email-taken' };
	const passwordHash = await hashPassword(input.password);
	const user = { id: newId(), email: input.email, name: input.name };
	const inserted = await db
		.insert(users)
		.values({ ...user, passwordHash, createdAt: Date.now() })
		.onConflictDoNothing()
		.returning({ id: users.id });
	// Two sign-ups with one email can race past the check above while hashing.
	if (inserted.length === 0) return { user: null, error: 'email-taken' };
	return { user };
}

/** The account for these credentials, or null. */
export async function checkCredentials(db: Db, input: z.infer<typeof loginInput>): Promise<SessionUser | null> {
	const { users } = tables(db);
	const [row] = await db.select().from(users).where(eq(users.email, input.email)).limit(1);
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
export async function findUserByEmail(db: Db, address: string): Promise<SessionUser | null> {
	const { users } = tables(db);
	const [row] = await db
		.select({ id: users.id, email: users.email, name: users.name })
		.from(users)
		.where(eq(users.email, address.trim().toLowerCase()))
		.limit(1);
	return row ?? null;
}

/** Failed log-ins allowed per email and client address within the window, then 429. */
export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
/** Failed log-ins allowed per client address across all emails within the window. */
export const LOGIN_MAX_FAILURES_PER_ADDRESS = 50;
/** Failed log-ins of one account, from any addresses, before it must wait (each further failure doubles the wait). */
export const LOGIN_ACCOUNT_FREE_FAILURES = 10;
/** The first wait of an account that used its free failures. */
export const LOGIN_ACCOUNT_FIRST_DELAY_MS = 30 * 1000;
/** The longest an account waits after a failure: the owner is never locked out for longer. */
export const LOGIN_ACCOUNT_MAX_DELAY_MS = 15 * 60 * 1000;

// Process-wide on purpose: throttling must count across requests.
const perAccountAndAddress = new FailureThrottle('login-account-address', LOGIN_MAX_FAILURES, LOGIN_WINDOW_MS);
const perAddress = new FailureThrottle('login-address', LOGIN_MAX_FAILURES_PER_ADDRESS, LOGIN_WINDOW_MS);
const perAccount = new GrowingDelay(
	'login-account',
	LOGIN_ACCOUNT_FREE_FAILURES,
	LOGIN_ACCOUNT_FIRST_DELAY_MS,
	LOGIN_ACCOUNT_MAX_DELAY_MS,
	LOGIN_WINDOW_MS
);

export type LoginResult =
	{ user: SessionUser } | { user: null; error: 'invalid' } | { user: null; error: 'throttled'; retryAfterSeconds: number };

/**
 * Checks credentials under the log-in throttles: per email and address, per address, and per
 * account across all addresses with growing delays. A throttled attempt is refused without checking
 * the password, so guesses made while blocked learn nothing.
 */
export async function logIn(db: Db, input: z.infer<typeof loginInput>, clientAddress: string): Promise<LoginResult> {
	const accountAddressKey = `${input.email}\n${clientAddress}`;
	const now = Date.now();
	const waitMs = Math.max(
		...(await Promise.all([
			perAccount.retryAfterMs(input.email, now),
			perAccountAndAddress.blockedForMs(accountAddressKey, now),
			perAddress.blockedForMs(clientAddress, now)
		]))
	);
	if (waitMs > 0) return { user: null, error: 'throttled', retryAfterSeconds: Math.ceil(waitMs / 1000) };
	const user = await checkCredentials(db, input);
	if (!user) {
		await Promise.all([perAccountAndAddress.fail(accountAddressKey), perAddress.fail(clientAddress), perAccount.fail(input.email)]);
		return { user: null, error: 'invalid' };
	}
	await perAccountAndAddress.reset(accountAddressKey);
	return { user };
}

/** Lifts an account's log-in delays, once its owner has proved the email (a password reset). */
export async function forgetLoginFailures(address: string): Promise<void> {
	await perAccount.reset(address.trim().toLowerCase());
}

/** The window of the sign-up budget per client address (`SIGNUP_MAX_PER_HOUR`). */
export const SIGNUP_WINDOW_MS = 60 * 60 * 1000;
let signupsPerAddress: FailureThrottle | null = null;

/** Counts a sign-up attempt from the address: null when it may go on, else the seconds to wait. */
export async function takeSignup(clientAddress: string): Promise<number | null> {
	signupsPerAddress ??= new FailureThrottle('signup-address', readConfig().signupsPerHour, SIGNUP_WINDOW_MS);
	const blockedMs = await signupsPerAddress.take(clientAddress);
	return blockedMs > 0 ? Math.ceil(blockedMs / 1000) : null;
}
