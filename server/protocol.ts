import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/** y-websocket message types (the first varUint of a frame). */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

/** Sync sub-types (y-protocols/sync). */
export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

export type ClientMessage =
	| { type: 'sync-step1'; stateVector: Uint8Array }
	| { type: 'sync-update'; update: Uint8Array }
	| { type: 'awareness'; update: Uint8Array }
	| { type: 'query-awareness' };

/** A frame that breaks the protocol; the sender's socket is closed. */
export class ProtocolError extends Error {}

/**
 * Decodes one client frame without touching any document. Throws ProtocolError for anything
 * malformed: unknown types, truncated varints, lengths past the end, trailing bytes.
 */
export function decodeClientMessage(frame: Uint8Array): ClientMessage {
	try {
		const decoder = decoding.createDecoder(frame);
		const messageType = decoding.readVarUint(decoder);
		let message: ClientMessage;
		if (messageType === MESSAGE_SYNC) {
			const syncType = decoding.readVarUint(decoder);
			const payload = decoding.readVarUint8Array(decoder);
			if (syncType === SYNC_STEP1) message = { type: 'sync-step1', stateVector: payload };
			else if (syncType === SYNC_STEP2 || syncType === SYNC_UPDATE) message = { type: 'sync-update', update: payload };
			else throw new ProtocolError(`unknown sync message type ${syncType}`);
		} else if (messageType === MESSAGE_AWARENESS) {
			message = { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
		} else if (messageType === MESSAGE_QUERY_AWARENESS) {
			message = { type: 'query-awareness' };
		} else {
			throw new ProtocolError(`unknown message type ${messageType}`);
		}
		if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after the message');
		return message;
	} catch (error) {
		if (error instanceof ProtocolError) throw error;
		throw new ProtocolError(`malformed frame: ${(error as Error).message}`);
	}
}

/** The server's sync step 1: its state vector. */
export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	encoding.writeVarUint(encoder, SYNC_STEP1);
	encoding.writeVarUint8Array(encoder, Y.encodeStateVector(doc));
	return encoding.toUint8Array(encoder);
}

/** Sync step 2: what the client with `stateVector` is missing. Throws ProtocolError on a malformed vector. */
export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
	let missing: Uint8Array;
	try {
		missing = Y.encodeStateAsUpdate(doc, stateVector);
	} catch (error) {
		throw new ProtocolError(`malformed state vector: ${(error as Error).message}`);
	}
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	encoding.writeVarUint(encoder, SYNC_STEP2);
	encoding.writeVarUint8Array(encoder, missing);
	return encoding.toUint8Array(encoder);
}

/** A sync update frame carrying one (possibly merged) document update. */
export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	encoding.writeVarUint(encoder, SYNC_UPDATE);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

/** An awareness frame. */
export function encodeAwareness(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

/**
 * Checks that a document update parses completely before it goes near a live document, so a
 * malformed update is neither applied halfway nor stored. Throws ProtocolError otherwise.
 */
export function checkUpdate(update: Uint8Array): void {
	try {
		Y.decodeUpdate(update);
	} catch (error) {
		throw new ProtocolError(`malformed document update: ${(error as Error).message}`);
	}
}
