import { randomUUID } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { DEFAULT_CLUSTER_EVENT_ACK_MS } from '../../src/lib/server/config';
import { failFastRedisOptions } from '../../src/lib/server/redis-options';
import type { BoardBus, BoardMessage, ClusterEvent, ReceivedBoardMessage } from './board-bus';
import { decodeBoardMessage, decodeClusterEvent, encodeBoardMessage, encodeClusterEvent } from './bus-codec';

/** Channel names: one per board, one for process-wide events, one per process for its events' acknowledgements. */
const CHANNEL_PREFIX = 'journey:';
const EVENTS_CHANNEL = `${CHANNEL_PREFIX}events`;
const boardChannel = (boardId: string) => `${CHANNEL_PREFIX}board:${boardId}`;
const ackChannel = (processId: string) => `${CHANNEL_PREFIX}ack:${processId}`;

/** An event this process sent and waits on: the acknowledgements so far, and how many are due (unknown until Redis answers the publish). */
interface AwaitedEvent {
	acks: number;
	due: number;
	settle: () => void;
}

/** Channels per SUBSCRIBE command when resubscribing after a reconnection. */
const RESUBSCRIBE_CHUNK = 1_000;

/**
 * The bus over Redis pub/sub: one connection publishes, one subscribes (a subscribed Redis
 * connection can do nothing else). Board messages travel as binary frames, events as JSON.
 *
 * Nothing is queued while Redis is away: a publish is dropped (rooms catch up from the store),
 * and on every (re)connection the subscriber subscribes to every board again before the bus
 * reports itself connected, so a room's catch-up that follows cannot miss a message in between.
 */
export class RedisBoardBus implements BoardBus {
	readonly processId = randomUUID();
	/** Board messages published and received by this process (for measurements). */
	readonly counts = { published: 0, received: 0 };
	readonly #publisher: Redis;
	readonly #subscriber: Redis;
	readonly #boards = new Map<string, (message: ReceivedBoardMessage) => void>();
	readonly #eventListeners: ((event: ClusterEvent) => void)[] = [];
	readonly #connectionListeners: ((connected: boolean) => void)[] = [];
	readonly #ackChannel = ackChannel(this.processId);
	readonly #awaited = new Map<string, AwaitedEvent>();
	#publisherReady = false;
	#subscribed = false;
	#connected = false;
	#closed = false;
	#lastError = '';

	/** `ackTimeoutMs`: how long an event waits for a process that does not acknowledge it (`CLUSTER_EVENT_ACK_MS`). */
	constructor(
		url: string,
		private readonly ackTimeoutMs = DEFAULT_CLUSTER_EVENT_ACK_MS
	) {
		// Bus commands are retried once; subscriptions are renewed by the rooms themselves.
		const options: RedisOptions = { ...failFastRedisOptions(`journey-${this.processId}`), maxRetriesPerRequest: 1, autoResubscribe: false };
		this.#publisher = new Redis(url, options);
		this.#subscriber = new Redis(url, options);
		for (const connection of [this.#publisher, this.#subscriber]) {
			// Without a listener ioredis would report every failed reconnection; the state change is logged once.
			connection.on('error', (error: Error) => (this.#lastError = error.message));
		}
		this.#publisher.on('ready', () => {
			this.#publisherReady = true;
			this.#update();
		});
		this.#publisher.on('close', () => {
			this.#publisherReady = false;
			this.#update();
		});
		this.#subscriber.on('ready', () => void this.#resubscribe());
		this.#subscriber.on('close', () => {
			this.#subscribed = false;
			this.#update();
		});
		this.#subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.#receive(channel.toString(), message));
	}

	get connected(): boolean {
		return this.#connected;
	}

	async subscribe(boardId: string, listener: (message: ReceivedBoardMessage) => void): Promise<void> {
		const known = this.#boards.has(boardId);
		this.#boards.set(boardId, listener);
		if (known || !this.#subscribed) return;
		// Failing, the connection is being lost: the resubscription on reconnecting covers the board.
		await this.#subscriber.subscribe(boardChannel(boardId)).catch(() => {});
	}

	unsubscribe(boardId: string): void {
		if (!this.#boards.delete(boardId) || !this.#subscribed) return;
		this.#subscriber.unsubscribe(boardChannel(boardId)).catch(() => {});
	}

	publish(boardId: string, message: BoardMessage): void {
		if (!this.#connected) return;
		this.counts.published += 1;
		const bytes = encodeBoardMessage(this.processId, message);
		this.#publisher.publish(boardChannel(boardId), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).catch(() => {});
	}

	onEvent(listener: (event: ClusterEvent) => void): void {
		this.#eventListeners.push(listener);
	}

	async publishEvent(event: ClusterEvent): Promise<void> {
		if (!this.#connected) return;
		const id = randomUUID();
		let timer: NodeJS.Timeout | undefined;
		const acknowledged = new Promise<void>((resolve) => {
			// Registered before publishing: an answer may arrive before Redis's reply to the publish.
			const settle = () => {
				clearTimeout(timer);
				this.#awaited.delete(id);
				resolve();
			};
			this.#awaited.set(id, { acks: 0, due: Infinity, settle });
			timer = setTimeout(settle, this.ackTimeoutMs);
		});
		const awaited = this.#awaited.get(id)!;
		try {
			// Redis answers with the number of subscribers that received it, this process's own among them.
			awaited.due = (await this.#publisher.publish(EVENTS_CHANNEL, encodeClusterEvent(this.processId, event, id))) - 1;
		} catch {
			awaited.due = 0;
		}
		if (awaited.acks >= awaited.due) awaited.settle();
		await acknowledged;
	}

	onConnection(listener: (connected: boolean) => void): void {
		this.#connectionListeners.push(listener);
	}

	async close(): Promise<void> {
		this.#closed = true;
		this.#boards.clear();
		this.#connectionListeners.length = 0;
		this.#stopAwaiting();
		this.#publisher.disconnect();
		this.#subscriber.disconnect();
	}

	async #resubscribe(): Promise<void> {
		const done = new Set<string>();
		try {
			// Boards subscribed to while this runs are taken in the next round.
			for (;;) {
				const channels = [EVENTS_CHANNEL, this.#ackChannel, ...[...this.#boards.keys()].map(boardChannel)].filter(
					(channel) => !done.has(channel)
				);
				if (channels.length === 0) break;
				for (let start = 0; start < channels.length; start += RESUBSCRIBE_CHUNK)
					await this.#subscriber.subscribe(...channels.slice(start, start + RESUBSCRIBE_CHUNK));
				for (const channel of channels) done.add(channel);
			}
		} catch {
			return; // lost again meanwhile: the next 'ready' tries again
		}
		this.#subscribed = true;
		this.#update();
	}

	#receive(channel: string, bytes: Buffer): void {
		if (channel === EVENTS_CHANNEL) {
			const decoded = decodeClusterEvent(bytes.toString());
			if (!decoded || decoded.from === this.processId) return;
			for (const listener of this.#eventListeners) this.#call(() => listener(decoded.event));
			// Applied here (every listener is synchronous): the sender may answer its request.
			if (decoded.id) this.#publisher.publish(ackChannel(decoded.from), decoded.id).catch(() => {});
			return;
		}
		if (channel === this.#ackChannel) {
			const awaited = this.#awaited.get(bytes.toString());
			if (awaited && ++awaited.acks >= awaited.due) awaited.settle();
			return;
		}
		const listener = this.#boards.get(channel.slice(boardChannel('').length));
		const message = decodeBoardMessage(bytes);
		if (!listener || !message || message.from === this.processId) return;
		this.counts.received += 1;
		this.#call(() => listener(message));
	}

	/** A listener's failure is the listener's: it must not reach ioredis's parser. */
	#call(listener: () => void): void {
		try {
			listener();
		} catch (error) {
			console.error('handling a message from Redis failed', error);
		}
	}

	#update(): void {
		const connected = this.#publisherReady && this.#subscribed && !this.#closed;
		if (connected === this.#connected) return;
		this.#connected = connected;
		if (connected) console.log('Redis connected: sync processes exchange updates, presence and events');
		else if (!this.#closed)
			console.error(
				`Redis lost (${this.#lastError || 'connection closed'}): each process serves its own sockets and reads others' edits from the store until it is back`
			);
		// Acknowledgements cannot come now; what was not heard is caught up when Redis is back (roles, locks read again).
		if (!connected) this.#stopAwaiting();
		for (const listener of this.#connectionListeners) this.#call(() => listener(connected));
	}

	/** Answers every request waiting on acknowledgements at once. */
	#stopAwaiting(): void {
		for (const awaited of [...this.#awaited.values()]) awaited.settle();
	}
}
