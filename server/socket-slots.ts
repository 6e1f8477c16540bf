import type { LeaseBudget, SocketLeases } from './cluster/socket-leases';
import { SOCKET_REFUSALS, SocketBudget, type SocketLimits, type SocketRefusal } from './socket-budget';
import type { UpgradeIdentity } from './upgrade-auth';

/** A socket's place in every budget, given back once, when the socket closes (a second call does nothing). */
export interface SocketSlot {
	release(): void;
}

/** The budgets counted over every process, in the order `SocketBudget.take` checks them, with their refusals. */
const SHARED_BUDGETS = ['board', 'address', 'user', 'userBoard'] as const;

/**
 * The sync sockets' budgets of a process: its own counts (`SocketBudget`), and with Redis
 * (`SocketLeases`) every process's for the person on a board, the person, the board and the
 * address; the process total (`SYNC_MAX_SOCKETS`) is the process's capacity and stays its own.
 *
 * This process's counts are taken first, so a refusal they give costs no round trip; Redis then
 * decides with every process's sockets. While Redis does not answer, this process's counts alone
 * decide, as with one process: nobody is refused because Redis is away, and no slot is lost.
 */
export class SocketSlots {
	readonly #local: SocketBudget;

	constructor(
		private readonly limits: SocketLimits,
		private readonly leases: SocketLeases | null = null
	) {
		this.#local = new SocketBudget(limits);
	}

	/** Takes a slot for the identity from the address, or says why not (the refusal of the first full budget). Never rejects. */
	async take(identity: UpgradeIdentity, address: string): Promise<SocketRefusal | SocketSlot> {
		const refusal = this.#local.take(identity, address);
		if (refusal) return refusal;
		const releaseLocal = () => this.#local.release(identity, address);
		const leases = this.leases;
		if (!leases) return once(releaseLocal);
		const outcome = await leases.take(this.#budgets(identity, address)).catch((error: unknown) => {
			// `take` answers a Redis failure with a local lease; anything else is a bug, logged, never a refusal.
			console.error('sync: a socket lease could not be taken', error);
			return null;
		});
		if (!outcome) return once(releaseLocal);
		if ('full' in outcome) {
			releaseLocal();
			return SOCKET_REFUSALS[SHARED_BUDGETS[outcome.full]];
		}
		return once(() => {
			releaseLocal();
			leases.release(outcome.lease);
		});
	}

	/** Gives back every lease of this process and disconnects from Redis (the process is closing). */
	async close(): Promise<void> {
		await this.leases?.close();
	}

	#budgets(identity: UpgradeIdentity, address: string): LeaseBudget[] {
		const { boardId, userId } = identity;
		const keys = { board: boardId, address, user: userId, userBoard: `${userId}\u0000${boardId}` };
		const limits = {
			board: this.limits.perBoard,
			address: this.limits.perAddress,
			user: this.limits.perUser,
			userBoard: this.limits.perUserBoard
		};
		return SHARED_BUDGETS.map((kind) => ({ kind, key: keys[kind], limit: limits[kind] }));
	}
}

function once(release: () => void): SocketSlot {
	let released = false;
	return {
		release() {
			if (released) return;
			released = true;
			release();
		}
	};
}
