import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Connection } from './connection';
import { ProtocolError } from './protocol';
import { TokenBucket } from './token-bucket';

/** The room side the awareness guard needs. */
export interface AwarenessRoom {
	readonly connections: ReadonlySet<Connection>;
	applyAwareness(update: Uint8Array, origin: Connection): void;
}

export interface AwarenessLimits {
	/** Largest JSON state of one client, in bytes. */
	maxStateBytes: number;
	/** Sustained awareness updates per connection and second; bursts of twice that pass. */
	maxPerSecond: number;
}

interface AwarenessEntry {
	clientId: number;
	clock: number;
	state: string;
}

interface ConnectionState {
	/** The one awareness client id this socket speaks for, bound by its first announcement. */
	clientId: number | null;
	bucket: TokenBucket;
	/** The newest own entry held back by the rate limit; it is applied when a token is free. */
	pending: AwarenessEntry | null;
	timer: NodeJS.Timeout | null;
}

/**
 * Awareness (presence) per connection: one client id per socket, a size cap on its state and a
 * rate limit. The stock `WebsocketProvider` echoes every remote state it receives back to the
 * server, so entries for other client ids are expected and ignored, never applied: a socket can
 * neither speak for, nor remove, anyone else's presence.
 */
export class AwarenessGuard {
	readonly #connections = new WeakMap<Connection, ConnectionState>();

	constructor(private readonly limits: AwarenessLimits) {}

	/** Applies the sender's own entry of an awareness update to the room, within the limits. */
	receive(room: AwarenessRoom, connection: Connection, update: Uint8Array): void {
		const entries = decodeAwareness(update);
		const state = this.#state(connection);
		if (state.clientId === null) this.#bind(room, connection, state, entries);
		let own: AwarenessEntry | null = null;
		for (const entry of entries) if (entry.clientId === state.clientId) own = entry;
		if (!own) return;
		// A state past the cap is dropped rather than the socket closed: an honest client with a
		// huge selection keeps editing, and nobody else receives the oversized state.
		if (Buffer.byteLength(own.state) > this.limits.maxStateBytes) return;
		try {
			JSON.parse(own.state);
		} catch {
			throw new ProtocolError('awareness state is not JSON');
		}
		if (state.bucket.take()) {
			state.pending = null;
			room.applyAwareness(encodeEntry(own), connection);
			return;
		}
		// Over the rate: keep only the newest state and apply it when the budget allows, so the
		// last cursor position still arrives.
		state.pending = own;
		state.timer ??= setTimeout(() => this.#flush(room, connection, state), state.bucket.waitMs());
	}

	/** Forgets a closed connection and its held-back state. */
	release(connection: Connection): void {
		const state = this.#connections.get(connection);
		if (state?.timer) clearTimeout(state.timer);
		this.#connections.delete(connection);
	}

	#state(connection: Connection): ConnectionState {
		let state = this.#connections.get(connection);
		if (!state) {
			const rate = this.limits.maxPerSecond;
			state = { clientId: null, bucket: new TokenBucket(rate, 2 * rate), pending: null, timer: null };
			this.#connections.set(connection, state);
		}
		return state;
	}

	// The first non-null state whose id no other person's socket holds binds this socket. The same
	// person's older socket (a reconnect the server has not noticed yet) hands the id over, so its
	// close does not remove the new socket's presence.
	#bind(room: AwarenessRoom, connection: Connection, state: ConnectionState, entries: AwarenessEntry[]): void {
		for (const entry of entries) {
			if (entry.state === 'null') continue;
			const holder = [...room.connections].find(
				(other) => other !== connection && this.#connections.get(other)?.clientId === entry.clientId
			);
			if (holder && holder.userId !== connection.userId) continue;
			if (holder) {
				this.#connections.get(holder)!.clientId = null;
				holder.awarenessIds.delete(entry.clientId);
			}
			state.clientId = entry.clientId;
			// The room removes these ids' states when the socket closes.
			connection.awarenessIds.add(entry.clientId);
			return;
		}
	}

	#flush(room: AwarenessRoom, connection: Connection, state: ConnectionState): void {
		state.timer = null;
		const entry = state.pending;
		if (!entry || this.#connections.get(connection) !== state) return;
		if (connection.socket.readyState !== connection.socket.OPEN) return;
		if (!state.bucket.take()) {
			state.timer = setTimeout(() => this.#flush(room, connection, state), state.bucket.waitMs());
			return;
		}
		state.pending = null;
		room.applyAwareness(encodeEntry(entry), connection);
	}
}

/** Decodes an awareness update (y-protocols' format); throws ProtocolError when malformed. */
export function decodeAwareness(update: Uint8Array): AwarenessEntry[] {
	try {
		const decoder = decoding.createDecoder(update);
		const count = decoding.readVarUint(decoder);
		const entries: AwarenessEntry[] = [];
		for (let i = 0; i < count; i++) {
			const clientId = decoding.readVarUint(decoder);
			const clock = decoding.readVarUint(decoder);
			const state = decoding.readVarString(decoder);
			if (!Number.isSafeInteger(clientId) || !Number.isSafeInteger(clock)) {
				throw new ProtocolError('awareness client id or clock out of range');
			}
			entries.push({ clientId, clock, state });
		}
		if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after the awareness update');
		return entries;
	} catch (error) {
		if (error instanceof ProtocolError) throw error;
		throw new ProtocolError(`malformed awareness update: ${(error as Error).message}`);
	}
}

function encodeEntry(entry: AwarenessEntry): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 1);
	encoding.writeVarUint(encoder, entry.clientId);
	encoding.writeVarUint(encoder, entry.clock);
	encoding.writeVarString(encoder, entry.state);
	return encoding.toUint8Array(encoder);
}
