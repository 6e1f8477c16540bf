/** How often a room that applies its own sockets' presence tells the board's other processes so (ms). */
export const PRESENCE_PEER_ANNOUNCE_MS = 1_000;
/** How long a process counts as sharing a board's presence budget after its last announcement (ms): a process that died stops counting within it. */
export const PRESENCE_PEER_TTL_MS = 3_000;
/** Processes remembered per board at most: only processes on the same Redis announce, so this is never reached honestly. */
const MAX_PEERS = 64;

/**
 * The processes that apply a board's presence now, so each takes an even share of the board's
 * presence budget. A room announces itself on the board's channel while it has presence of its
 * own sockets to apply (at most once per `PRESENCE_PEER_ANNOUNCE_MS`), and counts the other
 * processes heard from within `PRESENCE_PEER_TTL_MS`. Costs one bus message a second per busy
 * board and process, never a round trip per presence frame; while the bus is down every process
 * counts itself alone, which is the local rule.
 */
export class PresencePeers {
	/** When each other process last announced itself (performance.now()). */
	readonly #heard = new Map<string, number>();
	#announcedAt = -Infinity;

	constructor(
		private readonly announce: () => void,
		private readonly connected: () => boolean
	) {}

	/** Another process announced that it applies the board's presence. */
	heard(processId: string, now = performance.now()): void {
		this.#heard.delete(processId);
		this.#heard.set(processId, now);
		if (this.#heard.size > MAX_PEERS) this.#heard.delete(this.#heard.keys().next().value!);
	}

	/**
	 * This process applies presence of its own sockets now: announces it when due, and returns how
	 * many processes share the budget, itself included (1 while the bus is down).
	 */
	sharing(now = performance.now()): number {
		if (now - this.#announcedAt >= PRESENCE_PEER_ANNOUNCE_MS) {
			this.#announcedAt = now;
			this.announce();
		}
		if (!this.connected()) return 1;
		for (const [processId, at] of this.#heard) if (now - at > PRESENCE_PEER_TTL_MS) this.#heard.delete(processId);
		return 1 + this.#heard.size;
	}
}
