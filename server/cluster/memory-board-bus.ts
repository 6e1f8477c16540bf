import { randomUUID } from 'node:crypto';
import type { BoardBus, BoardMessage, ClusterEvent, ReceivedBoardMessage } from './board-bus';
import { decodeBoardMessage, decodeClusterEvent, encodeBoardMessage, encodeClusterEvent } from './bus-codec';

/**
 * Several "processes" in one test process, like Redis pub/sub between them: messages go through
 * the wire format, arrive asynchronously (a later turn), and only to subscribers connected at
 * the time. A test can take one process's bus down and up again, or drop messages.
 */
export class MemoryBusNetwork {
	readonly #buses = new Set<MemoryBoardBus>();
	/** Board messages to drop before delivery, from now on (a lost message). */
	dropBoardMessages = 0;
	/** Board messages published over the network so far, and deliveries made of them. */
	readonly counts = { published: 0, delivered: 0 };

	/** A new process's bus on this network. */
	connect(processId: string = randomUUID()): MemoryBoardBus {
		const bus = new MemoryBoardBus(this, processId);
		this.#buses.add(bus);
		return bus;
	}

	/** @internal */
	deliverBoard(sender: MemoryBoardBus, boardId: string, bytes: Uint8Array): void {
		this.counts.published += 1;
		if (this.dropBoardMessages > 0) {
			this.dropBoardMessages -= 1;
			return;
		}
		for (const bus of this.#buses) if (bus !== sender) setImmediate(() => bus.receiveBoard(boardId, bytes));
	}

	/** @internal Resolves once every other bus has had the event (as Redis's subscribers acknowledge it). */
	async deliverEvent(sender: MemoryBoardBus, text: string): Promise<void> {
		const receivers = [...this.#buses].filter((bus) => bus !== sender);
		await Promise.all(receivers.map((bus) => new Promise<void>((delivered) => setImmediate(() => (bus.receiveEvent(text), delivered())))));
	}

	/** @internal */
	remove(bus: MemoryBoardBus): void {
		this.#buses.delete(bus);
	}
}

/** One process's side of a `MemoryBusNetwork`. */
export class MemoryBoardBus implements BoardBus {
	#connected = true;
	readonly #boards = new Map<string, (message: ReceivedBoardMessage) => void>();
	readonly #eventListeners: ((event: ClusterEvent) => void)[] = [];
	readonly #connectionListeners: ((connected: boolean) => void)[] = [];

	constructor(
		private readonly network: MemoryBusNetwork,
		readonly processId: string
	) {}

	get connected(): boolean {
		return this.#connected;
	}

	/** Loses (false) or regains (true) the connection, as a process does when Redis stops and starts. */
	setConnected(connected: boolean): void {
		if (connected === this.#connected) return;
		this.#connected = connected;
		for (const listener of this.#connectionListeners) listener(connected);
	}

	async subscribe(boardId: string, listener: (message: ReceivedBoardMessage) => void): Promise<void> {
		this.#boards.set(boardId, listener);
	}

	unsubscribe(boardId: string): void {
		this.#boards.delete(boardId);
	}

	publish(boardId: string, message: BoardMessage): void {
		if (this.#connected) this.network.deliverBoard(this, boardId, encodeBoardMessage(this.processId, message));
	}

	onEvent(listener: (event: ClusterEvent) => void): void {
		this.#eventListeners.push(listener);
	}

	async publishEvent(event: ClusterEvent): Promise<void> {
		if (this.#connected) await this.network.deliverEvent(this, encodeClusterEvent(this.processId, event));
	}

	onConnection(listener: (connected: boolean) => void): void {
		this.#connectionListeners.push(listener);
	}

	async close(): Promise<void> {
		this.#connected = false;
		this.#boards.clear();
		this.network.remove(this);
	}

	/** @internal */
	receiveBoard(boardId: string, bytes: Uint8Array): void {
		const listener = this.#boards.get(boardId);
		const message = decodeBoardMessage(bytes);
		if (!this.#connected || !listener || !message) return;
		this.network.counts.delivered += 1;
		listener(message);
	}

	/** @internal */
	receiveEvent(text: string): void {
		const decoded = decodeClusterEvent(text);
		if (!this.#connected || !decoded) return;
		for (const listener of this.#eventListeners) listener(decoded.event);
	}
}
