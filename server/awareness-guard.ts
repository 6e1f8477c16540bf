import { isRemoval, readAwarenessEntries, type RawAwarenessEntry } from './awareness-entries';
import { CLOSE_CODES } from './close-codes';
import type { Connection } from './connection';
import type { PresenceEntry } from './presence-relay';
import { stampIdentity } from './presence-identity';
import type { PresenceIds } from './presence-ids';
import { TokenBucket } from './token-bucket';

const utf8 = new TextDecoder();

/** The room side the awareness guard needs. */
export interface AwarenessRoom {
	/** Which person owns each client id on the board, and which socket speaks for it. */
	readonly presenceIds: PresenceIds;
	/** Queues a checked entry of a socket's own client for the room's next presence tick. */
	applyAwareness(entry: PresenceEntry): void;
}

export interface AwarenessLimits {
	/** Largest JSON state of one client, in bytes. */
	maxStateBytes: number;
	/** Sustained awareness updates per connection and second; bursts of twice that pass. */
	maxPerSecond: number;
}

interface ConnectionState {
	room: AwarenessRoom;
	connection: Connection;
	/** The one awareness client id this socket speaks for, bound by its first announcement. */
	clientId: number | null;
	/** The id being confirmed with the other processes (`PresenceIds.confirm`) before it is bound; its entries wait in `pending`. */
	claiming: number | null;
	bucket: TokenBucket;
	/** The newest own entry held back by the rate limit; it is applied when a token is free. */
	pending: PresenceEntry | null;
	timer: NodeJS.Timeout | null;
}

/**
 * Awareness (presence) per connection: one client id per socket, owned by one person per board, a
 * size cap on its state and a rate limit. The stock `WebsocketProvider` echoes every remote state
 * it receives back to the server, so entries for other client ids are expected and ignored, never
 * applied (nor even decoded): a socket can neither speak for, nor remove, anyone else's presence.
 * With other processes serving the board, a socket's first claim of an id is confirmed with them
 * (one Redis round trip) before it binds; its presence waits meanwhile.
 */
export class AwarenessGuard {
	readonly #connections = new WeakMap<Connection, ConnectionState>();

	constructor(private readonly limits: AwarenessLimits) {}

	/** Queues the sender's own entry of an awareness update for its room, within the limits. */
	receive(room: AwarenessRoom, connection: Connection, update: Uint8Array): void {
		const entries = readAwarenessEntries(update);
		const state = this.#state(room, connection);
		if (state.clientId === null && state.claiming === null) this.#bind(connection, state, entries);
		const speaksFor = state.clientId ?? state.claiming;
		let raw: RawAwarenessEntry | null = null;
		for (const entry of entries) if (entry.clientId === speaksFor) raw = entry;
		if (!raw) return;
		// A state past the cap is dropped rather than the socket closed: an honest client with a
		// huge selection keeps editing, and nobody else receives the oversized state.
		if (raw.state.length > this.limits.maxStateBytes) return;
		const own = ownEntry(raw, connection);
		if (state.clientId === null) {
			// Still being confirmed: only the newest state waits.
			state.pending = own;
			return;
		}
		this.#submit(state, own);
	}

	/** Applies a bound socket's own entry within its rate, or holds it back as the newest. */
	#submit(state: ConnectionState, own: PresenceEntry): void {
		const connection = this.#holderOf(state);
		if (!connection) return;
		if (state.bucket.take()) {
			state.pending = null;
			state.room.applyAwareness(own);
			return;
		}
		// Over the rate: keep only the newest state and apply it when the budget allows, so the
		// last cursor position still arrives.
		state.pending = own;
		state.timer ??= setTimeout(() => this.#flush(connection, state), state.bucket.waitMs());
	}

	/** Forgets a closed connection, its held-back state and its hold on its client id. */
	release(connection: Connection): void {
		const state = this.#connections.get(connection);
		if (!state) return;
		if (state.timer) clearTimeout(state.timer);
		if (state.clientId !== null) state.room.presenceIds.release(connection, state.clientId);
		this.#connections.delete(connection);
	}

	#state(room: AwarenessRoom, connection: Connection): ConnectionState {
		let state = this.#connections.get(connection);
		if (!state) {
			const rate = this.limits.maxPerSecond;
			state = { room, connection, clientId: null, claiming: null, bucket: new TokenBucket(rate, 2 * rate), pending: null, timer: null };
			this.#connections.set(connection, state);
		}
		return state;
	}

	/** The state's socket while the state is still its (not released, not closed). */
	#holderOf(state: ConnectionState): Connection | null {
		const { connection } = state;
		if (this.#connections.get(connection) !== state) return null;
		return connection.socket.readyState === connection.socket.OPEN ? connection : null;
	}

	// The first non-null state whose id is this person's or nobody's binds this socket. Ids of other
	// people are refused by dropping their entries, not by closing the socket: an honest client's
	// echo of everyone's presence carries them too. The same person's older socket (a reconnect the
	// server has not noticed yet) hands the id over, so its close does not remove the new socket's
	// presence.
	//
	// With other processes, the claim is confirmed with them first (`#confirm`). Each confirmation
	// costs a token of the socket's rate, so a socket trying id after id of other people cannot
	// send Redis more than its presence rate allows.
	#bind(connection: Connection, state: ConnectionState, entries: RawAwarenessEntry[]): void {
		const ids = state.room.presenceIds;
		const entry = entries.find((candidate) => ids.mayClaim(connection, candidate.clientId) && !isRemoval(candidate));
		if (!entry) return;
		if (!ids.confirmsShared) return this.#claim(connection, state, entry.clientId);
		if (!state.bucket.take()) return;
		state.claiming = entry.clientId;
		void this.#confirm(connection, state, entry.clientId);
	}

	async #confirm(connection: Connection, state: ConnectionState, clientId: number): Promise<void> {
		const granted = await state.room.presenceIds.confirm(connection, clientId);
		state.claiming = null;
		const pending = state.pending;
		state.pending = null;
		if (!this.#holderOf(state)) return;
		// Another socket here may have claimed it meanwhile.
		if (!granted || !state.room.presenceIds.mayClaim(connection, clientId)) return;
		this.#claim(connection, state, clientId);
		if (pending) this.#submit(state, pending);
	}

	#claim(connection: Connection, state: ConnectionState, clientId: number): void {
		const holder = state.room.presenceIds.claim(connection, clientId);
		const held = holder && this.#connections.get(holder);
		if (held) {
			held.clientId = null;
			held.pending = null;
			holder.awarenessIds.delete(clientId);
		}
		state.clientId = clientId;
		// The room removes these ids' states when the socket closes.
		connection.awarenessIds.add(clientId);
	}

	#flush(connection: Connection, state: ConnectionState): void {
		state.timer = null;
		const entry = state.pending;
		if (!entry || !this.#holderOf(state)) return;
		if (!state.bucket.take()) {
			state.timer = setTimeout(() => this.#flush(connection, state), state.bucket.waitMs());
			return;
		}
		state.pending = null;
		state.room.applyAwareness(entry);
	}
}

/**
 * The sender's own entry. Its state is read (JSON, under the sender's own name) only when the room
 * applies it, once: a crowd of 300 sending at the allowed rate offers fifteen times the entries a
 * board applies, and parsing and stamping each of them was most of the work they cost. A state
 * that is not JSON closes its socket then, as a malformed frame would, and is dropped.
 */
function ownEntry(raw: RawAwarenessEntry, connection: Connection): PresenceEntry {
	// A copy: the frame's buffer is not held while the entry waits for its tick.
	const bytes = raw.state.slice();
	let text: string | null | undefined;
	return {
		clientId: raw.clientId,
		clock: raw.clock,
		state: () => (text === undefined ? (text = ownState(bytes, connection)) : text)
	};
}

function ownState(bytes: Uint8Array, connection: Connection): string | null {
	const text = utf8.decode(bytes);
	let state: unknown;
	try {
		state = JSON.parse(text);
	} catch {
		connection.socket.close(CLOSE_CODES.protocolError, 'awareness state is not JSON');
		return null;
	}
	const stamped = stampIdentity(state, connection);
	return stamped === state ? text : JSON.stringify(stamped);
}
