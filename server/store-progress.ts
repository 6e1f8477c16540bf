import { send, type Connection } from './connection';

/** The room closed, or storing its changes failed, before they were stored. */
export class RoomClosedError extends Error {}

/** A frame waiting for the changes it carries to be stored. */
interface HeldFrame {
	frame: Uint8Array;
	/** The room's change count it carries changes up to. */
	upTo: number;
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
	readonly #held = new Map<Connection, HeldFrame[]>();
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
	 */
	send(connection: Connection, frame: Uint8Array, upTo = this.#applied): void {
		// Usually nothing is held: a relay to hundreds of sockets looks nothing up.
		const queue = this.#held.size === 0 ? undefined : this.#held.get(connection);
		if (queue) queue.push({ frame, upTo });
		else if (upTo <= this.#stored) send(connection, frame);
		else this.#held.set(connection, [{ frame, upTo }]);
	}

	/** Records that changes up to `upTo` are stored: frames and waiters that needed them go on. */
	stored(upTo: number): void {
		this.#stored = Math.max(this.#stored, upTo);
		for (const [connection, queue] of this.#held) {
			let ready = 0;
			while (ready < queue.length && queue[ready].upTo <= this.#stored) send(connection, queue[ready++].frame);
			if (ready === queue.length) this.#held.delete(connection);
			else if (ready > 0) queue.splice(0, ready);
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
