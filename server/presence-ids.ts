import type { SharedPresenceOwners } from './cluster/presence-owners';
import type { Connection } from './connection';

/** How often a room renews, in the shared registry, the claims of the ids it knows (ms). */
export const PRESENCE_OWNERS_RENEW_MS = 20_000;

/**
 * Which person owns each presence client id on one board, and which socket speaks for it now. An
 * id belongs to the person who first announced it, for as long as the room lives: the same person
 * reconnecting with it gets it back, anyone else is refused even after its owner left.
 *
 * With several processes (`shared`, Redis), the first claim of an id on any process wins on every
 * process: a socket's claim is confirmed there before the socket binds the id, and presence from
 * another process arrives tagged with its owner, so a claim through another process is dropped too.
 * While the registry cannot answer, the local rule alone decides.
 */
export class PresenceIds {
	readonly #owners = new Map<number, string>();
	readonly #holders = new Map<number, Connection>();
	#renewal: NodeJS.Timeout | null = null;

	constructor(
		readonly boardId: string,
		private readonly shared: SharedPresenceOwners | null = null
	) {
		if (!shared) return;
		this.#renewal = setInterval(() => shared.renew(boardId, this.#owners), PRESENCE_OWNERS_RENEW_MS);
		this.#renewal.unref();
	}

	/** Whether a claim must be confirmed by the shared registry first (it is there and answers now). */
	get confirmsShared(): boolean {
		return this.shared?.available ?? false;
	}

	/** The person who owns `clientId` here, if known. */
	ownerOf(clientId: number): string | undefined {
		return this.#owners.get(clientId);
	}

	/** Whether `connection`'s person may speak for `clientId` (it is theirs, or nobody's yet, as far as this process knows). */
	mayClaim(connection: Connection, clientId: number): boolean {
		const owner = this.#owners.get(clientId);
		return owner === undefined || owner === connection.userId;
	}

	/**
	 * Asks the shared registry whether `connection`'s person may have `clientId` (claiming it when it
	 * is free). Resolves false when another person owns it, whom this process then remembers; true
	 * when it is theirs, or when the registry cannot answer (the local rule decides then).
	 */
	async confirm(connection: Connection, clientId: number): Promise<boolean> {
		const owner = this.shared ? await this.shared.claim(this.boardId, clientId, connection.userId) : null;
		if (owner === null || owner === connection.userId) return true;
		this.#owners.set(clientId, owner);
		return false;
	}

	/**
	 * Binds `clientId` to `connection` and its person. Returns the same person's socket that held
	 * it until now (a reconnect the server has not noticed yet), or null.
	 */
	claim(connection: Connection, clientId: number): Connection | null {
		this.#owners.set(clientId, connection.userId);
		const holder = this.#holders.get(clientId) ?? null;
		this.#holders.set(clientId, connection);
		return holder === connection ? null : holder;
	}

	/** The socket no longer speaks for `clientId` (it closed, or handed the id over); the owner stays. */
	release(connection: Connection, clientId: number): void {
		if (this.#holders.get(clientId) === connection) this.#holders.delete(clientId);
	}

	/**
	 * Whether an entry of another process's presence is applied here. `owner` is the person that
	 * process says speaks for the id (unknown from a process that does not tag its presence). An
	 * entry of an id another person owns here is dropped; a removal of an id a socket here speaks
	 * for is dropped (that socket's presence stays). A state of an id a socket here held means its
	 * person moved to the other process: the socket hands the id over, so its close removes nothing.
	 */
	admitsRemote(clientId: number, owner: string | undefined, removal: boolean): boolean {
		const known = this.#owners.get(clientId);
		if (owner !== undefined && known !== undefined && known !== owner) return false;
		const holder = this.#holders.get(clientId);
		if (removal) return holder === undefined;
		// Untagged (a process of an older version): a socket here keeps speaking for its id.
		if (owner === undefined) return holder === undefined;
		if (known === undefined) this.#owners.set(clientId, owner);
		if (holder) {
			this.#holders.delete(clientId);
			holder.awarenessIds.delete(clientId);
		}
		return true;
	}

	/** Stops renewing (the room is closing); the shared claims expire unless another process renews them. */
	close(): void {
		if (this.#renewal) clearInterval(this.#renewal);
		this.#renewal = null;
	}
}
