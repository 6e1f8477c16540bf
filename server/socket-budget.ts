import type { UpgradeIdentity } from './upgrade-auth';

/** How many sync sockets may be open per person and board, per person, per board, per client address and in the process. */
export interface SocketLimits {
	perUserBoard: number;
	perUser: number;
	perBoard: number;
	perAddress: number;
	total: number;
}

/** Why an upgrade was refused before its socket opened: the HTTP status and the message of its body. */
export interface SocketRefusal {
	status: number;
	error: string;
}

/** The refusal of each budget, the same whether this process or every process counted. */
export const SOCKET_REFUSALS = {
	process: { status: 503, error: 'The server holds as many live connections as it can; try again shortly' },
	board: { status: 429, error: 'Too many live connections on this board' },
	address: { status: 429, error: 'Too many live connections from this address' },
	user: { status: 429, error: 'Too many live connections for this account' },
	userBoard: { status: 429, error: 'Too many live connections for this account on this board' }
} as const satisfies Record<string, SocketRefusal>;

/**
 * Counts the open sync sockets per person and board, per person, per board, per client address and
 * in all, and refuses an upgrade past any of those budgets. Guests are people like any other: their
 * own id, their own budget. The address budget holds back one address's many accounts or guests.
 * A slot is taken at the upgrade and given back when its TCP socket closes. These are one
 * process's counts; `socket-slots.ts` adds every process's (Redis) on top.
 */
export class SocketBudget {
	readonly #perUserBoard = new Map<string, number>();
	readonly #perUser = new Map<string, number>();
	readonly #perBoard = new Map<string, number>();
	readonly #perAddress = new Map<string, number>();
	#total = 0;

	constructor(private readonly limits: SocketLimits) {}

	/** Takes a slot for the identity from the address, or says why not (429 for the person's, board's or address's budget, 503 for the process's). */
	take(identity: UpgradeIdentity, address: string): SocketRefusal | null {
		const { userId, boardId } = identity;
		const userBoard = `${userId}\u0000${boardId}`;
		if (this.#total >= this.limits.total) return SOCKET_REFUSALS.process;
		if ((this.#perBoard.get(boardId) ?? 0) >= this.limits.perBoard) return SOCKET_REFUSALS.board;
		if ((this.#perAddress.get(address) ?? 0) >= this.limits.perAddress) return SOCKET_REFUSALS.address;
		if ((this.#perUser.get(userId) ?? 0) >= this.limits.perUser) return SOCKET_REFUSALS.user;
		if ((this.#perUserBoard.get(userBoard) ?? 0) >= this.limits.perUserBoard) return SOCKET_REFUSALS.userBoard;
		this.#total += 1;
		add(this.#perBoard, boardId, 1);
		add(this.#perUser, userId, 1);
		add(this.#perUserBoard, userBoard, 1);
		add(this.#perAddress, address, 1);
		return null;
	}

	/** Gives back the slot taken for the identity from the address. */
	release(identity: UpgradeIdentity, address: string): void {
		this.#total -= 1;
		add(this.#perAddress, address, -1);
		add(this.#perBoard, identity.boardId, -1);
		add(this.#perUser, identity.userId, -1);
		add(this.#perUserBoard, `${identity.userId}\u0000${identity.boardId}`, -1);
	}
}

function add(counts: Map<string, number>, key: string, delta: number): void {
	const next = (counts.get(key) ?? 0) + delta;
	if (next > 0) counts.set(key, next);
	else counts.delete(key);
}
