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
export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_SYNC);
	encoding.writeVarUint(encoder, SYNC_STEP1);
	encoding.writeVarUint8Array(encoder, stateVector);
	return encoding.toUint8Array(encoder);
}

/** Sync step 2: the update a client is missing. */
export function encodeSyncStep2(missing: Uint8Array): Uint8Array {
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

// lib0 encodes only safe non-negative integers; an over-long varint decodes to NaN or a huge
// float, which Yjs stores and then cannot encode again.
function saneNumber(value: unknown): boolean {
	return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function saneId(id: unknown): boolean {
	if (!id || typeof id !== 'object') return false;
	const { client, clock } = id as { client: unknown; clock: unknown };
	return saneNumber(client) && saneNumber(clock);
}

/**
 * Checks that a document update parses completely, and what Yjs itself does not: every client id,
 * clock and length is a safe non-negative integer, no struct is empty, and no subdocument is
 * created. Cheap (one decode); `UpdateGuard` then tries the update on a copy. Returns the lowest
 * clock of each client's structs. Throws ProtocolError.
 */
export function checkUpdate(update: Uint8Array): Map<number, number> {
	let decoded: ReturnType<typeof Y.decodeUpdate>;
	try {
		decoded = Y.decodeUpdate(update);
	} catch (error) {
		throw new ProtocolError(`malformed document update: ${(error as Error).message}`);
	}
	for (const struct of decoded.structs) {
		if (!saneId(struct.id) || !saneNumber(struct.length) || struct.length === 0 || !saneNumber(struct.id.clock + struct.length)) {
			throw new ProtocolError('malformed document update: bad struct id or length');
		}
		if (!(struct instanceof Y.Item)) continue;
		if (struct.origin !== null && !saneId(struct.origin)) throw new ProtocolError('malformed document update: bad origin');
		if (struct.rightOrigin !== null && !saneId(struct.rightOrigin)) {
			throw new ProtocolError('malformed document update: bad right origin');
		}
		const parent: unknown = struct.parent;
		if (parent !== null && typeof parent !== 'string' && !saneId(parent)) {
			throw new ProtocolError('malformed document update: bad parent');
		}
		if (struct.content instanceof Y.ContentDoc) throw new ProtocolError('subdocuments are not part of a board');
	}
	const starts = new Map<number, number>();
	for (const { id } of decoded.structs) {
		const start = starts.get(id.client);
		if (start === undefined || id.clock < start) starts.set(id.client, id.clock);
	}
	for (const [client, ranges] of decoded.ds.clients) {
		if (!saneNumber(client)) throw new ProtocolError('malformed document update: bad client in delete set');
		for (const { clock, len } of ranges) {
			if (!saneNumber(clock) || !saneNumber(len) || !saneNumber(clock + len)) {
				throw new ProtocolError('malformed document update: bad delete range');
			}
		}
	}
	return starts;
}
