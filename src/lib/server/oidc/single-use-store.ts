import { generateSessionToken, sessionIdOf } from '../session';

/**
 * Short-lived values handed to one browser under a random token (kept in an HttpOnly cookie) and
 * taken back once: only the token's SHA-256 is kept, every entry expires, and the store holds at
 * most `capacity` entries (the oldest go first), so unauthenticated requests cannot fill memory.
 */
export class SingleUseStore<T> {
	readonly #entries = new Map<string, { value: T; expiresAt: number }>();

	constructor(
		readonly ttlMs: number,
		readonly capacity: number
	) {}

	/** Keeps a value; returns the token that takes it back. */
	put(value: T, now = Date.now()): string {
		this.#sweep(now);
		while (this.#entries.size >= this.capacity) {
			const oldest = this.#entries.keys().next().value;
			if (oldest === undefined) break;
			this.#entries.delete(oldest);
		}
		const token = generateSessionToken();
		this.#entries.set(sessionIdOf(token), { value, expiresAt: now + this.ttlMs });
		return token;
	}

	/** The value of a token without using it up, or null when unknown, used or expired. */
	peek(token: string | undefined, now = Date.now()): T | null {
		const key = keyOf(token);
		const entry = key ? this.#entries.get(key) : undefined;
		if (!entry || now >= entry.expiresAt) return null;
		return entry.value;
	}

	/** Takes a token's value out: a second take of the same token gets null. */
	take(token: string | undefined, now = Date.now()): T | null {
		const key = keyOf(token);
		if (!key) return null;
		const entry = this.#entries.get(key);
		this.#entries.delete(key);
		if (!entry || now >= entry.expiresAt) return null;
		return entry.value;
	}

	#sweep(now: number): void {
		// Entries are in insertion order and share one TTL: expired ones are at the front.
		for (const [key, entry] of this.#entries) {
			if (entry.expiresAt > now) break;
			this.#entries.delete(key);
		}
	}
}

/** Longest token accepted: generated tokens are 32 characters. */
const MAX_TOKEN_LENGTH = 64;

function keyOf(token: string | undefined): string | null {
	if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
	return sessionIdOf(token);
}
