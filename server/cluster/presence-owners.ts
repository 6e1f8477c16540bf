import { Redis } from 'ioredis';
import { failFastRedisOptions } from '../../src/lib/server/redis-options';

/** How long a presence client id's owner is kept in Redis without a renewal (ms): a room renews the ids it knows every 20 s. */
export const PRESENCE_OWNER_TTL_MS = 60_000;
/** Longest a claim may take before the process decides by its own rule instead (ms). */
export const PRESENCE_OWNERS_COMMAND_TIMEOUT_MS = 1_000;
/** After a failed claim, how long claims are decided locally without trying Redis (ms). */
export const PRESENCE_OWNERS_RETRY_AFTER_MS = 2_000;
/** Ids one room renews at most per round: a board never has this many people, and the rest expire. */
export const MAX_RENEWED_PRESENCE_IDS = 5_000;
const KEY_PREFIX = 'journey:presence:';

/** The Redis key holding who owns a presence client id on a board. */
export function presenceOwnerKey(boardId: string, clientId: number): string {
	return `${KEY_PREFIX}${boardId}:${clientId}`;
}

/**
 * Who owns each presence client id of each board, shared by every process. Nothing in it throws
 * or waits long: a registry that cannot answer says so, and the process applies its own rule.
 */
export interface SharedPresenceOwners {
	/** Whether claims are sent to the registry now. */
	readonly available: boolean;
	/** Claims `clientId` on `boardId` for `userId` unless someone owns it; resolves with its owner (`userId` when granted), or null when the registry cannot answer. */
	claim(boardId: string, clientId: number, userId: string): Promise<string | null>;
	/** Keeps a room's known owners alive (and records those claimed while the registry was away). */
	renew(boardId: string, owners: ReadonlyMap<number, string>): void;
	close(): Promise<void>;
}

// One round trip: the owner stays, or the claimer becomes it; the owner's own claim renews it.
const CLAIM_SCRIPT = `
local owner = redis.call('GET', KEYS[1])
if not owner then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return ARGV[1]
end
if owner == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return owner
`;

interface ClaimingRedis extends Redis {
	claimPresenceId(key: string, userId: string, ttlMs: number): Promise<string>;
}

/**
 * The shared registry in Redis: one key per board and client id, `journey:presence:<boardId>:<clientId>`
 * holding the owner's user id, with a TTL of `PRESENCE_OWNER_TTL_MS` renewed while a room knows it.
 * A flood of client ids costs one key per socket (a socket binds one id), each gone within the TTL.
 */
export class RedisPresenceOwners implements SharedPresenceOwners {
	readonly #client: ClaimingRedis;
	#closed = false;
	/** Until when (ms since the epoch) claims skip Redis after a failed one. */
	#retryAt = 0;

	constructor(url: string) {
		this.#client = new Redis(url, failFastRedisOptions('journey-presence-owners', PRESENCE_OWNERS_COMMAND_TIMEOUT_MS)) as ClaimingRedis;
		this.#client.defineCommand('claimPresenceId', { numberOfKeys: 1, lua: CLAIM_SCRIPT });
		// Losing Redis is reported by the board bus; here each claim that fails falls back quietly.
		this.#client.on('error', () => {});
	}

	get available(): boolean {
		return !this.#closed && this.#client.status === 'ready' && Date.now() >= this.#retryAt;
	}

	/** Resolves once the connection is ready (at once when it is). */
	ready(): Promise<void> {
		if (this.#client.status === 'ready') return Promise.resolve();
		return new Promise((resolve) => this.#client.once('ready', () => resolve()));
	}

	async claim(boardId: string, clientId: number, userId: string): Promise<string | null> {
		if (!this.available) return null;
		try {
			return await this.#client.claimPresenceId(presenceOwnerKey(boardId, clientId), userId, PRESENCE_OWNER_TTL_MS);
		} catch {
			this.#retryAt = Date.now() + PRESENCE_OWNERS_RETRY_AFTER_MS;
			return null;
		}
	}

	renew(boardId: string, owners: ReadonlyMap<number, string>): void {
		if (!this.available || owners.size === 0) return;
		const pipeline = this.#client.pipeline();
		let renewed = 0;
		for (const [clientId, owner] of owners) {
			if (renewed++ === MAX_RENEWED_PRESENCE_IDS) break;
			const key = presenceOwnerKey(boardId, clientId);
			// Claimed while Redis was away: recorded now, unless another process claimed it meanwhile.
			pipeline.set(key, owner, 'PX', PRESENCE_OWNER_TTL_MS, 'NX');
			pipeline.pexpire(key, PRESENCE_OWNER_TTL_MS);
		}
		pipeline.exec().catch(() => {});
	}

	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		await this.#client.quit().catch(() => this.#client.disconnect());
	}
}
