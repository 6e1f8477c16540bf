import { and, asc, count, eq, inArray, lte } from 'drizzle-orm';
import type { Db } from '../db';
import { tables } from '../db/tables';
import { generateSessionToken, sessionIdOf } from '../session';

/**
 * Short-lived values handed to one browser under a random token (kept in an HttpOnly cookie, or in a
 * mailed link) and taken back once. They are rows of the database, so any process behind the load
 * balancer takes back what another handed out, and a restart loses none of them. Only the token's
 * SHA-256 is stored, every entry expires, and each purpose holds at most `capacity` entries (the
 * oldest go first), so unauthenticated requests cannot fill the database.
 */
export class SingleUseStore<T> {
	constructor(
		/** What the values are for; each purpose has its own entries and capacity. */
		readonly purpose: string,
		readonly ttlMs: number,
		readonly capacity: number
	) {}

	/** Keeps a value; returns the token that takes it back. */
	async put(db: Db, value: T, now = Date.now()): Promise<string> {
		const { singleUseValues } = tables(db);
		const ofPurpose = eq(singleUseValues.purpose, this.purpose);
		await db.delete(singleUseValues).where(and(ofPurpose, lte(singleUseValues.expiresAt, now)));
		const [{ held }] = await db.select({ held: count() }).from(singleUseValues).where(ofPurpose);
		if (held >= this.capacity) {
			const oldest = await db
				.select({ id: singleUseValues.id })
				.from(singleUseValues)
				.where(ofPurpose)
				.orderBy(asc(singleUseValues.expiresAt))
				.limit(held - this.capacity + 1);
			await db.delete(singleUseValues).where(
				inArray(
					singleUseValues.id,
					oldest.map(({ id }) => id)
				)
			);
		}
		const token = generateSessionToken();
		await db
			.insert(singleUseValues)
			.values({ id: sessionIdOf(token), purpose: this.purpose, value: JSON.stringify(value), expiresAt: now + this.ttlMs });
		return token;
	}

	/** The value of a token without using it up, or null when unknown, used or expired. */
	async peek(db: Db, token: string | undefined, now = Date.now()): Promise<T | null> {
		const key = keyOf(token);
		if (!key) return null;
		const { singleUseValues } = tables(db);
		const [row] = await db
			.select({ value: singleUseValues.value, expiresAt: singleUseValues.expiresAt })
			.from(singleUseValues)
			.where(and(eq(singleUseValues.id, key), eq(singleUseValues.purpose, this.purpose)))
			.limit(1);
		return row && now < row.expiresAt ? (JSON.parse(row.value) as T) : null;
	}

	/** Takes a token's value out: a second take of the same token, on any process, gets null. */
	async take(db: Db, token: string | undefined, now = Date.now()): Promise<T | null> {
		const key = keyOf(token);
		if (!key) return null;
		const { singleUseValues } = tables(db);
		const [row] = await db
			.delete(singleUseValues)
			.where(and(eq(singleUseValues.id, key), eq(singleUseValues.purpose, this.purpose)))
			.returning({ value: singleUseValues.value, expiresAt: singleUseValues.expiresAt });
		return row && now < row.expiresAt ? (JSON.parse(row.value) as T) : null;
	}
}

/** Longest token accepted: generated tokens are 32 characters. */
const MAX_TOKEN_LENGTH = 64;

function keyOf(token: string | undefined): string | null {
	if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
	return sessionIdOf(token);
}
