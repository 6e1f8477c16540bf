import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { NAME_MAX_LENGTH, signupInput } from './accounts';
import type { Db } from './db';
import { tables } from './db/tables';
import { newId } from './random-ids';
import { hashPassword } from './password';
import type { SessionUser } from './session';

export const guestInput = z.object({
	name: z
		.string({ error: 'Name is required' })
		.trim()
		.min(1, 'Name is required')
		.max(NAME_MAX_LENGTH, `Name must be at most ${NAME_MAX_LENGTH} characters`)
});

export const upgradeInput = signupInput.omit({ name: true });

// Guests have no email of their own; a unique address that can never receive mail (RFC 2606).
const guestEmail = (id: string) => `guest-${id}@guest.invalid`;

/** Creates a workshop guest: a display name, no password, no way to log in except its session. */
export async function createGuest(db: Db, name: string): Promise<SessionUser> {
	const { users } = tables(db);
	const id = newId();
	const user = { id, email: guestEmail(id), name };
	await db.insert(users).values({ ...user, passwordHash: '', isGuest: true, createdAt: Date.now() });
	return { ...user, isGuest: true };
}

export type UpgradeResult = { ok: true; user: SessionUser } | { ok: false; error: 'email-taken' | 'not-guest' };

/** Turns a guest into a full account under the same id, so every contribution stays theirs. */
export async function upgradeGuest(db: Db, userId: string, input: z.infer<typeof upgradeInput>): Promise<UpgradeResult> {
	const { users } = tables(db);
	const [guest] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
	if (!guest?.isGuest) return { ok: false, error: 'not-guest' };
	const [taken] = await db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).limit(1);
	if (taken) return { ok: false, error: 'email-taken' };
	const passwordHash = await hashPassword(input.password);
	const changed = await db
		.update(users)
		.set({ email: input.email, passwordHash, isGuest: false, emailVerifiedAt: null })
		.where(and(eq(users.id, userId), eq(users.isGuest, true)))
		.returning({ id: users.id });
	if (changed.length === 0) return { ok: false, error: 'not-guest' };
	return { ok: true, user: { id: userId, email: input.email, name: guest.name, isGuest: false } };
}
