import type { Connection } from './connection';

/**
 * Which person owns each presence client id on one board, and which socket speaks for it now. An
 * id belongs to the person who first announced it, for as long as the room lives: the same person
 * reconnecting with it gets it back, anyone else is refused even after its owner left.
 */
export class PresenceIds {
	readonly #owners = new Map<number, string>();
	readonly #holders = new Map<number, Connection>();

	/** Whether `connection`'s person may speak for `clientId` (it is theirs, or nobody's yet). */
	mayClaim(connection: Connection, clientId: number): boolean {
		const owner = this.#owners.get(clientId);
		return owner === undefined || owner === connection.userId;
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
}
