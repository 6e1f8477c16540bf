import { CLOSE_CODES } from './close-codes';
import { send, type Connection } from './connection';
import { cut } from './cut';

/** The room closed, or storing its changes failed, before they were stored. */
export class RoomClosedError extends Error {}

/** A frame waiting for the changes it carries to be stored. */
interface HeldFrame {
	frame: Uint8Array;
	/** The room's change count it carries changes up to. */
	upTo: number;
}

/** What one socket has held back: its frames in order, and what they count against its budget. */
interface HeldQueue {
	frames: HeldFrame[];
	/** Bytes of its frames within the socket's budget. */
	bytes: number;
	/** Whether one of its frames is larger than the budget (the whole state for a newcomer). */
	oversize: boolean;
}

interface Waiter {
	upTo: number;
	resolve: () => void;
	reject: (error: Error) => void;
}

/**
 * How far one room's document changes are stored, and what waits for them (write before relay).
 * Changes are counted as they are applied; a commit stores them up to some count. A frame with
 * document content leaves only once everything in it is stored, and after every frame queued to
 * the same socket before it.
 */
export class StoreProgress {
	/** Changes applied to the live document. */
	#applied = 0;
	/** Of which stored. */
	#stored = 0;
	readonly #held = new Map<Connection, HeldQueue>();
	#waiting: Waiter[] = [];

	/** Counts a change applied to the live document; returns its number. */
	applied(): number {
		return ++this.#applied;
	}

	/** The number of the last change applied. */
	get appliedCount(): number {
		return this.#applied;
	}

	/** Whether every change applied so far is stored. */
	get allStored(): boolean {
		return this.#stored === this.#applied;
	}

	/**
	 * Sends a frame that carries the document's changes up to `upTo` (by default all of them so
	 * far): now, when they are stored and nothing waits before it on that socket; else once they are.
	 * A held frame counts against the socket's queued-bytes budget as if it were queued: a socket
	 * past it while the store is slow is cut (4000) like a slow reader, and resyncs when it returns.
	 */
	send(connection: Connection, frame: Uint8Array, upTo = this.#applied): void {
		// Usually nothing is held: a relay to hundreds of sockets looks nothing up.
		const queue = this.#held.size === 0 ? undefined : this.#held.get(connection);
		if (!queue && upTo <= this.#stored) return send(connection, frame);
		const { socket } = connection;
		if (socket.readyState !== socket.OPEN) return;
		if (!connection.queue.admitsHeld(socket.bufferedAmount, queue?.bytes ?? 0, queue?.oversize ?? false, frame)) {
			this.#held.delete(connection);
			cut(socket, CLOSE_CODES.slowConsumer, 'Too far behind');
			return;
		}
		const held = queue ?? { frames: [], bytes: 0, oversize: false };
		held.frames.push({ frame, upTo });
		if (connection.queue.isOversize(frame)) held.oversize = true;
		else held.bytes += frame.byteLength;
		if (!queue) this.#held.set(connection, held);
	}

	/** Records that changes up to `upTo` are stored: frames and waiters that needed them go on. */
	stored(upTo: number): void {
		this.#stored = Math.max(this.#stored, upTo);
		for (const [connection, queue] of this.#held) {
			const { frames } = queue;
			let ready = 0;
			while (ready < frames.length && frames[ready].upTo <= this.#stored) {
				const { frame } = frames[ready++];
				if (connection.queue.isOversize(frame)) queue.oversize = false;
				else queue.bytes -= frame.byteLength;
				send(connection, frame);
			}
			if (ready === frames.length) this.#held.delete(connection);
			else if (ready > 0) frames.splice(0, ready);
		}
		if (this.#waiting.length === 0) return;
		const waiting = this.#waiting;
		this.#waiting = [];
		for (const waiter of waiting) {
			if (waiter.upTo <= this.#stored) waiter.resolve();
			else this.#waiting.push(waiter);
		}
	}

	/** Resolves once every change applied so far is stored; rejects with RoomClosedError if that cannot happen any more. */
	whenStored(): Promise<void> {
		const upTo = this.#applied;
		if (upTo <= this.#stored) return Promise.resolve();
		return new Promise((resolve, reject) => this.#waiting.push({ upTo, resolve, reject }));
	}

	/** A socket left: its held frames go with it. */
	forget(connection: Connection): void {
		this.#held.delete(connection);
	}

	/** Nothing more will be stored (the room closed or its store failed): held frames are dropped and waiters told. */
	close(reason: string): void {
		this.#held.clear();
		const waiting = this.#waiting;
		this.#waiting = [];
		for (const waiter of waiting) waiter.reject(new RoomClosedError(reason));
	}
}
