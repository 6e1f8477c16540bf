import * as Y from 'yjs';
import { encodeSyncStep2, ProtocolError } from './protocol';
import type { Room } from './room';

/** Sync step 2 frames carrying a board's whole state, keyed by that encoded state (one per state). */
const wholeStateFrames = new WeakMap<Uint8Array, Uint8Array>();

/**
 * The sync step 2 answering a client's state vector. A client that knows nothing of the board (a
 * new client, or a vector naming none of its content) gets the board's whole state, framed once
 * per state of the board: every such answer is the same buffer, so queued to many sockets it is in
 * memory once. Other clients get what they lack, encoded for them.
 */
export function answerSyncStep1(room: Room, stateVector: Uint8Array): Uint8Array {
	if (knowsAny(room.stateVector(), stateVector)) return encodeSyncStep2(room.missing(stateVector));
	const state = room.encodedState();
	let frame = wholeStateFrames.get(state);
	if (!frame) wholeStateFrames.set(state, (frame = encodeSyncStep2(state)));
	return frame;
}

/** Whether a client's state vector claims any of the content in the board's. */
function knowsAny(board: Uint8Array, client: Uint8Array): boolean {
	let known: Map<number, number>;
	try {
		known = Y.decodeStateVector(client);
	} catch (error) {
		throw new ProtocolError(`malformed state vector: ${(error as Error).message}`);
	}
	if (known.size === 0) return false;
	for (const [id, clock] of Y.decodeStateVector(board)) if (clock > 0 && (known.get(id) ?? 0) > 0) return true;
	return false;
}
