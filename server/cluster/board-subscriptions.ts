import type { Room } from '../room';
import type { BoardBus, ReceivedBoardMessage } from './board-bus';
import { CLUSTER_POLL_MS } from './room-link';

/** The rooms a process has loaded, as the subscriptions see them. */
export interface LoadedRooms {
	peek(boardId: string): Room | undefined;
	loadedRooms(): Iterable<Room>;
}

/**
 * A process's board subscriptions on the bus, kept in step with its loaded rooms. A board is
 * subscribed to before it loads, and what arrives meanwhile is handed to the room once it exists
 * (the room skips what its loaded state already holds), so nothing falls between the load and
 * the subscription. While the bus is down every open room polls the store every `pollMs`; once
 * it is back (every subscription active again) each room catches up once and announces how far
 * it holds the board's log, so a process whose bus stayed up learns of what it missed.
 */
export class BoardSubscriptions {
	/** Messages for boards still loading. */
	readonly #early = new Map<string, ReceivedBoardMessage[]>();
	#poller: NodeJS.Timeout | null = null;

	constructor(
		private readonly bus: BoardBus,
		private readonly rooms: LoadedRooms,
		private readonly pollMs = CLUSTER_POLL_MS
	) {
		bus.onConnection((connected) => {
			if (connected) {
				this.#stopPolling();
				this.#catchUpAll();
				// What this process stored while away was published to nobody.
				this.#announceAll();
			} else this.#startPolling();
		});
		if (!bus.connected) this.#startPolling();
	}

	/** Subscribes to a board about to load; resolves once the subscription is active (or at once while the bus is down). */
	async beforeLoad(boardId: string): Promise<void> {
		if (!this.#early.has(boardId)) this.#early.set(boardId, []);
		await this.bus.subscribe(boardId, (message) => this.#receive(boardId, message));
	}

	/** The board's room exists now: it gets what arrived while it loaded. */
	loaded(room: Room): void {
		const early = this.#early.get(room.boardId) ?? [];
		this.#early.delete(room.boardId);
		for (const message of early) room.link?.receive(message);
	}

	/** The board's room is gone (unloaded, dropped, or its load failed). */
	unloaded(boardId: string): void {
		this.#early.delete(boardId);
		this.bus.unsubscribe(boardId);
	}

	close(): void {
		this.#stopPolling();
	}

	#receive(boardId: string, message: ReceivedBoardMessage): void {
		const room = this.rooms.peek(boardId);
		if (room) room.link?.receive(message);
		else this.#early.get(boardId)?.push(message);
	}

	#catchUpAll(): void {
		for (const room of this.rooms.loadedRooms()) void room.link?.catchUp();
	}

	#announceAll(): void {
		for (const room of this.rooms.loadedRooms()) room.link?.announce();
	}

	#startPolling(): void {
		if (this.#poller) return;
		this.#poller = setInterval(() => this.#catchUpAll(), this.pollMs);
		this.#poller.unref();
	}

	#stopPolling(): void {
		if (this.#poller) clearInterval(this.#poller);
		this.#poller = null;
	}
}
