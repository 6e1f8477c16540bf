import { readConfig } from '../../src/lib/server/config';
import type { BoardStore } from '../storage/board-store';
import type { BoardBus, ReceivedBoardMessage } from './board-bus';
import type { SequenceTracker } from './sequence-tracker';

/** How long a gap in a board's sequence may stay before the room reads the missing updates from the store (ms). */
export const CLUSTER_GAP_MS = 200;
/** While the bus is down, how often every open room reads what other processes stored (`CLUSTER_POLL_MS`, default 1,000). */
export const CLUSTER_POLL_MS = readConfig().clusterPollMs;

/** What a room lets its link do. */
export interface LinkedRoom {
	readonly boardId: string;
	/** The log numbers the room holds; null for a store that does not number logs. */
	readonly sequence: SequenceTracker | null;
	/** Applies an update already stored (by another process) and relays what it brings to the room's sockets. */
	applyStored(update: Uint8Array): void;
	/** Applies another process's presence update (with its client ids' owners, when the sender tells them) and relays it. */
	applyRemotePresence(update: Uint8Array, owners: ReadonlyMap<number, string> | undefined): void;
	/** Another process applies its own sockets' presence on the board now (it shares the board's presence budget). */
	presencePeerHeard(processId: string): void;
}

/**
 * One room's side of the bus: publishes what the room stored (after the commit) and its sockets'
 * presence; applies what other processes stored, once each; and when a message was missed (a gap
 * that does not fill within `CLUSTER_GAP_MS`, a resubscription, or polling while the bus is down)
 * reads the missing updates from the store: `loadSince` from the watermark, or the whole board
 * when the log no longer has them one by one. Yjs applies what the room already holds as a no-op.
 */
export class RoomLink {
	#gapTimer: NodeJS.Timeout | null = null;
	#catchingUp: Promise<void> | null = null;
	#again = false;
	#closed = false;

	constructor(
		private readonly room: LinkedRoom,
		private readonly store: BoardStore,
		private readonly bus: BoardBus,
		private readonly gapMs = CLUSTER_GAP_MS
	) {}

	/** The room stored an update (its commit resolved, with `seq` when the store numbers logs): others hear of it. */
	stored(seq: number | undefined, update: Uint8Array): void {
		this.bus.publish(this.room.boardId, { kind: 'update', seq: seq ?? 0, update });
		this.#checkGap();
	}

	/** The room's sockets' presence changed (an awareness update of their clients only, with the person owning each). */
	publishPresence(update: Uint8Array, owners: ReadonlyMap<number, string>): void {
		this.bus.publish(this.room.boardId, { kind: 'presence', update, owners });
	}

	/** Tells the other processes that this room applies its own sockets' presence now. */
	announcePresencePeer(): void {
		this.bus.publish(this.room.boardId, { kind: 'presence-peer' });
	}

	/** Whether messages flow between the processes now. */
	get connected(): boolean {
		return this.bus.connected;
	}

	/** Tells the other processes how far this room holds the board's log (its bus is back). */
	announce(): void {
		if (this.room.sequence) this.bus.publish(this.room.boardId, { kind: 'head', seq: this.room.sequence.watermark });
	}

	/** A message from another process. */
	receive(message: ReceivedBoardMessage): void {
		if (this.#closed) return;
		const { sequence } = this.room;
		if (message.kind === 'presence') {
			this.room.applyRemotePresence(message.update, message.owners);
			return;
		}
		if (message.kind === 'presence-peer') {
			this.room.presencePeerHeard(message.from);
			return;
		}
		if (message.kind === 'head') {
			if (sequence && !sequence.holds(message.seq)) void this.catchUp();
			return;
		}
		if (sequence && message.seq > 0 && sequence.holds(message.seq)) return;
		this.room.applyStored(message.update);
		if (sequence && message.seq > 0) sequence.mark(message.seq);
		this.#checkGap();
	}

	/**
	 * Reads from the store what the room may have missed and applies it. One read at a time; asked
	 * for meanwhile, one more follows. Never rejects: a failed read is logged, and the next poll,
	 * gap or resubscription tries again.
	 */
	catchUp(): Promise<void> {
		if (this.#catchingUp) {
			this.#again = true;
			return this.#catchingUp;
		}
		return (this.#catchingUp = this.#catchUp().finally(() => {
			this.#catchingUp = null;
			if (this.#again && !this.#closed) {
				this.#again = false;
				void this.catchUp();
			}
		}));
	}

	close(): void {
		this.#closed = true;
		if (this.#gapTimer) clearTimeout(this.#gapTimer);
		this.#gapTimer = null;
	}

	async #catchUp(): Promise<void> {
		const { boardId, sequence } = this.room;
		try {
			const updates = sequence && this.store.loadSince ? await this.store.loadSince(boardId, sequence.watermark) : null;
			if (this.#closed) return;
			if (updates) {
				for (const { seq, update } of updates) {
					if (sequence!.holds(seq)) continue;
					this.room.applyStored(update);
					sequence!.mark(seq);
				}
			} else {
				const board = await this.store.load(boardId);
				if (this.#closed) return;
				this.room.applyStored(board.state);
				if (board.seq !== undefined) sequence?.markUpTo(board.seq);
			}
		} catch (error) {
			console.error(`board ${boardId}: reading updates stored by other processes failed`, error);
		}
		this.#checkGap();
	}

	#checkGap(): void {
		if (!this.room.sequence?.hasGap) {
			if (this.#gapTimer) clearTimeout(this.#gapTimer);
			this.#gapTimer = null;
			return;
		}
		if (this.#gapTimer || this.#closed) return;
		// The first missing number now: if it arrives in time, a later gap gets its own delay.
		const missing = this.room.sequence.watermark + 1;
		this.#gapTimer = setTimeout(() => {
			this.#gapTimer = null;
			if (!this.room.sequence?.holds(missing)) void this.catchUp();
			else this.#checkGap();
		}, this.gapMs);
		this.#gapTimer.unref();
	}
}
