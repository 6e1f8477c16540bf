import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { failFastRedisOptions } from '../../src/lib/server/redis-options';
import { counterKey } from '../../src/lib/server/counters/redis-counters';
import { RENEW_LEASES_SCRIPT, TAKE_LEASE_SCRIPT } from './socket-lease-scripts';

/** Longest a lease request may take before the process decides alone (its own sockets' counts). */
export const SOCKET_LEASES_COMMAND_TIMEOUT_MS = 1_000;
/** After a request failed, how long admissions decide alone without asking Redis: a slow Redis does not slow every upgrade. */
export const SOCKET_LEASES_RETRY_AFTER_MS = 2_000;
/** A process renews its sockets' leases this many times per lease, so a late renewal or two loses none. */
const RENEWALS_PER_LEASE = 3;
/** Keys renewed by one script call: one call stays short for Redis, however many sockets a process holds. */
const RENEW_BATCH_KEYS = 1_024;
/** Releases kept to send again once Redis answers; past it, those leases simply end on their own. */
const MAX_UNSENT_RELEASES = 10_000;

/** One budget a socket counts in: its kind (`board`, `address`…), whose it is, and how many sockets it allows. */
export interface LeaseBudget {
	kind: string;
	key: string;
	limit: number;
}

/** A socket's place in the shared budgets: its member name and the Redis keys of its budgets. */
export interface SocketLease {
	readonly member: string;
	readonly keys: readonly string[];
}

/**
 * What a request got: a lease (`shared`: checked against every process's sockets; false: Redis did
 * not answer, so this process's own counts decided), or the place of the first full budget.
 */
export type LeaseOutcome = { lease: SocketLease; shared: boolean } | { full: number };

interface Script {
	lua: string;
	sha: string;
}

function script(lua: string): Script {
	return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

const TAKE = script(TAKE_LEASE_SCRIPT);

/**
 * Socket budgets counted over every process on the same Redis, as leases (`socket-lease-scripts.ts`):
 * each open socket is a member of each of its budgets' sorted sets until it closes, renewed while it
 * is open, so a process that is killed frees its sockets' places once their leases end.
 *
 * Nothing waits for Redis long and nothing here throws: while Redis is not connected, or for
 * `SOCKET_LEASES_RETRY_AFTER_MS` after a request failed or took longer than
 * `SOCKET_LEASES_COMMAND_TIMEOUT_MS`, `take` gives a lease without asking (the caller's own counts
 * decide). Every open socket's lease, however it was given, is renewed into Redis once it answers,
 * so the sockets a process admitted alone count for every process again.
 */
export class SocketLeases {
	/** Names this process's members: every process's sockets are told apart in a budget. */
	readonly processId = randomUUID();
	/** Where losing and regaining Redis is reported (console.warn by default). */
	readonly log: (message: string) => void;
	readonly #client: Redis;
	readonly #leaseMs: number;
	readonly #live = new Set<SocketLease>();
	/** Leases released while Redis could not be told: removed once it answers again. */
	readonly #unsent = new Set<SocketLease>();
	readonly #renewal: ReturnType<typeof setInterval>;
	#sequence = 0;
	#retryAt = 0;
	#degraded = false;
	#closed = false;

	constructor(url: string, options: { leaseMs: number; log?: (message: string) => void }) {
		this.#leaseMs = Math.max(1, Math.round(options.leaseMs));
		this.log = options.log ?? ((message) => console.warn(message));
		this.#client = new Redis(url, failFastRedisOptions(`journey-sockets-${this.processId}`, SOCKET_LEASES_COMMAND_TIMEOUT_MS));
		// Without a listener ioredis reports every failed reconnection; the change is logged once.
		this.#client.on('error', (error: Error) => this.#degrade(error));
		this.#client.on('close', () => this.#degrade(null));
		// Back (or first) connected: this process's sockets count again at once, not a renewal later.
		this.#client.on('ready', () => void this.renew());
		this.#renewal = setInterval(() => void this.renew(), this.#leaseMs / RENEWALS_PER_LEASE);
		this.#renewal.unref();
	}

	/** Whether requests are sent to Redis now. */
	get available(): boolean {
		return !this.#closed && this.#client.status === 'ready' && Date.now() >= this.#retryAt;
	}

	/** How many sockets of this process hold a lease. */
	get size(): number {
		return this.#live.size;
	}

	/** Resolves once Redis answers, or after `waitMs` (a start does not wait for a Redis that is down). */
	async connected(waitMs: number): Promise<void> {
		if (this.available) return;
		let timer: ReturnType<typeof setTimeout> | undefined;
		await Promise.race([
			new Promise<void>((resolve) => this.#client.once('ready', () => resolve())),
			new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))
		]);
		clearTimeout(timer);
	}

	/** Takes a lease in every budget at once, unless one (checked in the given order) is full. */
	async take(budgets: readonly LeaseBudget[]): Promise<LeaseOutcome> {
		const lease: SocketLease = {
			member: `${this.processId}:${++this.#sequence}`,
			keys: budgets.map((budget) => counterKey(`sync-sockets-${budget.kind}`, budget.key))
		};
		if (this.available) {
			try {
				const full = Number(await this.#take(lease, budgets));
				this.#answered();
				if (full > 0) return { full: full - 1 };
				if (!this.#closed) this.#live.add(lease);
				return { lease, shared: true };
			} catch (error) {
				// A request that timed out may still run once Redis catches up: the lease is live either
				// way, renewed, and removed when its socket closes.
				this.#failed(error);
			}
		}
		if (!this.#closed) this.#live.add(lease);
		return { lease, shared: false };
	}

	/** Gives a lease back (once its socket closed); told to Redis now, or once it answers again. */
	release(lease: SocketLease): void {
		if (!this.#live.delete(lease) || this.#closed) return;
		this.#send([lease]);
	}

	/**
	 * Renews every open socket's lease (and adds back those Redis does not hold), after sending the
	 * releases Redis missed. Resolves once Redis answered; a failure only means the next renewal tries.
	 */
	async renew(): Promise<void> {
		if (this.#closed || this.#client.status !== 'ready') return;
		if (this.#unsent.size > 0) {
			const unsent = [...this.#unsent];
			this.#unsent.clear();
			this.#send(unsent);
		}
		// Every batch is sent in this same turn, after the releases above: a lease released from now on
		// is removed by a command Redis runs after its renewal.
		const calls: Promise<unknown>[] = [];
		let keys: string[] = [];
		let members: string[] = [];
		const flush = () => {
			calls.push(this.#client.eval(RENEW_LEASES_SCRIPT, keys.length, ...keys, this.#leaseMs, ...members));
			keys = [];
			members = [];
		};
		for (const lease of this.#live) {
			for (const key of lease.keys) {
				keys.push(key);
				members.push(lease.member);
			}
			if (keys.length >= RENEW_BATCH_KEYS) flush();
		}
		if (keys.length > 0) flush();
		try {
			await Promise.all(calls);
			this.#answered();
		} catch (error) {
			this.#failed(error);
		}
	}

	/**
	 * Stops renewing and gives back every lease this process holds (its sockets are closing with it),
	 * then disconnects. Releases after it are not sent: their leases end on their own.
	 */
	async close(): Promise<void> {
		if (this.#closed) return;
		clearInterval(this.#renewal);
		if (this.#client.status === 'ready') {
			const held = [...this.#live, ...this.#unsent];
			await this.#removeAll(held).catch(() => {});
		}
		this.#closed = true;
		this.#live.clear();
		this.#unsent.clear();
		await this.#client.quit().catch(() => this.#client.disconnect());
	}

	async #take(lease: SocketLease, budgets: readonly LeaseBudget[]): Promise<unknown> {
		const args = [lease.member, this.#leaseMs, ...budgets.map((budget) => budget.limit)];
		try {
			return await this.#client.evalsha(TAKE.sha, lease.keys.length, ...lease.keys, ...args);
		} catch (error) {
			// A restarted (or flushed) Redis has forgotten the script: send its text once.
			if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
			return this.#client.eval(TAKE.lua, lease.keys.length, ...lease.keys, ...args);
		}
	}

	/** Removes leases from Redis in one round trip; those it could not remove are kept for the next renewal. */
	#send(leases: SocketLease[]): void {
		if (this.#client.status !== 'ready') return this.#keepUnsent(leases);
		this.#removeAll(leases).catch(() => this.#keepUnsent(leases));
	}

	async #removeAll(leases: SocketLease[]): Promise<void> {
		if (leases.length === 0) return;
		const pipeline = this.#client.pipeline();
		for (const lease of leases) for (const key of lease.keys) pipeline.zrem(key, lease.member);
		const results = (await pipeline.exec()) ?? [];
		const failure = results.find(([error]) => error)?.[0];
		if (failure) throw failure;
	}

	#keepUnsent(leases: SocketLease[]): void {
		for (const lease of leases) if (this.#unsent.size < MAX_UNSENT_RELEASES) this.#unsent.add(lease);
	}

	#answered(): void {
		if (!this.#degraded) return;
		this.#degraded = false;
		this.log('Redis answers again: socket budgets count every process’s sockets');
	}

	#failed(error: unknown): void {
		this.#retryAt = Date.now() + SOCKET_LEASES_RETRY_AFTER_MS;
		this.#degrade(error instanceof Error ? error : new Error(String(error)));
	}

	#degrade(error: Error | null): void {
		if (this.#degraded || this.#closed) return;
		this.#degraded = true;
		const reason = error ? ` (${error.message})` : '';
		this.log(`Redis cannot be reached${reason}: each process counts its own sockets against the socket budgets until it returns`);
	}
}
