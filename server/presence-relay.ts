import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { readConfig } from '../src/lib/server/config';
import { readAwarenessEntries, type RawAwarenessEntry } from './awareness-entries';
import { encodeAwareness } from './protocol';

/** Milliseconds between two broadcasts of one board's presence changes (`AWARENESS_TICK_MS`, default 50). */
export const AWARENESS_TICK_MS = readConfig().awarenessTickMs;
/** Presence updates one board applies per second, whoever sends them (`AWARENESS_BOARD_PER_SEC`, default 600). */
export const AWARENESS_BOARD_PER_SEC = readConfig().awarenessBoardMaxPerSecond;
/** Presence entries a board applies and broadcasts per tick: its budget spread over the ticks. */
export const ENTRIES_PER_TICK = Math.max(1, Math.round((AWARENESS_BOARD_PER_SEC * AWARENESS_TICK_MS) / 1000));

/** The origin of presence applied from another process. */
const REMOTE = Symbol('another process');

/** One client's presence entry as it arrived (y-protocols' awareness format). */
export interface PresenceEntry {
	clientId: number;
	clock: number;
	/**
	 * The state as JSON text ('null' for a removal), asked for only when the entry is applied: in a
	 * crowd most entries give way to a newer one of the same client first, and are never read.
	 * Null when it cannot be read; the entry is then dropped.
	 */
	state(): string | null;
}

/** How the relay shares a board's presence with other processes serving it (`RoomLink`). */
export interface PresenceCluster {
	/** Hands the entries of this process's own sockets, as applied, to the other processes; `clientIds` are the update's. */
	publish(update: Uint8Array, clientIds: number[]): void;
	/** How many processes apply their own sockets' presence on the board now, this one included; asked at each tick that applies some. */
	sharing(): number;
}

/**
 * A board's presence, coalesced: accepted entries wait in a queue keyed by client id (newest wins,
 * so it holds at most one entry per client), and every tick up to the board's budget of them
 * is applied and every change of the tick (removals included) is broadcast as one frame, encoded
 * once for all receivers. N people moving cost O(N) sends per tick instead of O(N²) relays.
 * Entries past the budget keep their place in the queue, so everyone's turn comes.
 *
 * When several processes serve the board, each applies an even share of the budget to its own
 * sockets' entries and relays the others' as they come (their senders applied them within their
 * share); a tick's frame still carries at most the board's budget of changes, the rest following
 * in the next, so uneven ticks across processes never make a frame larger.
 */
export class PresenceRelay {
	readonly #queue = new Map<number, PresenceEntry>();
	readonly #changed = new Set<number>();
	#timer: NodeJS.Timeout | null = null;
	/** Everyone's presence as one frame, until the next change. */
	#fullFrame: Uint8Array | null = null;
	#closed = false;

	constructor(
		readonly awareness: awarenessProtocol.Awareness,
		private readonly broadcast: (frame: Uint8Array) => void,
		private readonly cluster: PresenceCluster | null = null
	) {
		awareness.on('update', this.#onUpdate);
	}

	/** Queues a client's entry for the next tick; a newer entry of the same client replaces it in place. */
	enqueue(entry: PresenceEntry): void {
		const queued = this.#queue.get(entry.clientId);
		if (queued && queued.clock > entry.clock) return;
		this.#queue.set(entry.clientId, entry);
		this.#schedule();
	}

	/** Removes these clients' presence (their socket closed): queued entries dropped, states removed and broadcast at the next tick. */
	remove(clientIds: ReadonlySet<number>): void {
		for (const id of clientIds) this.#queue.delete(id);
		awarenessProtocol.removeAwarenessStates(this.awareness, [...clientIds], null);
		// Only clients whose presence was applied can be encoded (a queued one never was).
		const known = [...clientIds].filter((id) => this.awareness.meta.has(id));
		if (known.length > 0) this.cluster?.publish(awarenessProtocol.encodeAwarenessUpdate(this.awareness, known), known);
	}

	/**
	 * Applies the entries `admits` lets through of another process's presence update (its own
	 * sockets' clients); broadcast at the next tick, never published again.
	 */
	applyRemote(update: Uint8Array, admits: (entry: RawAwarenessEntry) => boolean): void {
		try {
			const entries = readAwarenessEntries(update);
			const admitted = entries.filter(admits);
			if (admitted.length === 0) return;
			awarenessProtocol.applyAwarenessUpdate(this.awareness, admitted.length === entries.length ? update : encodeEntries(admitted), REMOTE);
		} catch (error) {
			console.error('a presence update from another process was malformed', error);
		}
	}

	/** Everyone's presence as one awareness frame, for a newcomer or a query; null when nobody is present. */
	fullFrame(): Uint8Array | null {
		if (this.#fullFrame) return this.#fullFrame;
		const clients = [...this.awareness.getStates().keys()];
		if (clients.length === 0) return null;
		return (this.#fullFrame = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients)));
	}

	/** Stops broadcasting (the room is closing). */
	close(): void {
		this.#closed = true;
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = null;
		this.#queue.clear();
		this.awareness.off('update', this.#onUpdate);
	}

	#schedule(): void {
		if (this.#timer || this.#closed) return;
		this.#timer = setTimeout(this.#tick, AWARENESS_TICK_MS);
	}

	// The timer stays set while the tick runs, so the changes it applies do not schedule another.
	#tick = (): void => {
		this.#applyQueued();
		if (this.#changed.size > 0) {
			// At most the budget per frame; the rest (changes from other processes arriving unevenly,
			// a crowd's removals) follows in the next tick, each client once with its newest state.
			const sent: number[] = [];
			for (const id of this.#changed) {
				if (sent.length === ENTRIES_PER_TICK) break;
				sent.push(id);
			}
			for (const id of sent) this.#changed.delete(id);
			this.broadcast(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, sent)));
		}
		this.#timer = null;
		if (this.#queue.size > 0 || this.#changed.size > 0) this.#schedule();
	};

	/** Applies up to this process's share of the per-tick budget of queued entries, oldest queued first, in one update. */
	#applyQueued(): void {
		if (this.#queue.size === 0) return;
		const share = Math.max(1, Math.floor(ENTRIES_PER_TICK / (this.cluster?.sharing() ?? 1)));
		const taken: PresenceEntry[] = [];
		for (const entry of this.#queue.values()) {
			if (taken.length === share) break;
			taken.push(entry);
		}
		const readable: { entry: PresenceEntry; state: string }[] = [];
		for (const entry of taken) {
			this.#queue.delete(entry.clientId);
			const state = entry.state();
			if (state !== null) readable.push({ entry, state });
		}
		if (readable.length === 0) return;
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, readable.length);
		for (const { entry, state } of readable) {
			encoding.writeVarUint(encoder, entry.clientId);
			encoding.writeVarUint(encoder, this.#clockFor(entry, state));
			encoding.writeVarString(encoder, state);
		}
		const update = encoding.toUint8Array(encoder);
		awarenessProtocol.applyAwarenessUpdate(this.awareness, update, null);
		this.cluster?.publish(
			update,
			readable.map(({ entry }) => entry.clientId)
		);
	}

	/**
	 * The clock to apply an entry with. A client that reconnects announces its state with the clock
	 * it had, but its removal on disconnect raised the clock everyone holds for it, so everyone would
	 * ignore it until it counted past that. Its first state after a removal is applied one past the
	 * removal's clock instead; the client adopts that clock when the state comes back to it.
	 */
	#clockFor(entry: PresenceEntry, state: string): number {
		const known = this.awareness.meta.get(entry.clientId)?.clock ?? 0;
		const removed = !this.awareness.states.has(entry.clientId);
		return removed && state !== 'null' && entry.clock <= known ? known + 1 : entry.clock;
	}

	#onUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }): void => {
		this.#fullFrame = null;
		for (const ids of [added, updated, removed]) for (const id of ids) this.#changed.add(id);
		this.#schedule();
	};
}

/** Entries of an awareness update, encoded again as one (a state's bytes are its JSON text's varstring). */
function encodeEntries(entries: RawAwarenessEntry[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, entries.length);
	for (const entry of entries) {
		encoding.writeVarUint(encoder, entry.clientId);
		encoding.writeVarUint(encoder, entry.clock);
		encoding.writeVarUint8Array(encoder, entry.state);
	}
	return encoding.toUint8Array(encoder);
}
