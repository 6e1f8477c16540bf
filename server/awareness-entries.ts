import * as decoding from 'lib0/decoding';
import { ProtocolError } from './protocol';

/** One entry of an awareness update, its state left undecoded. */
export interface RawAwarenessEntry {
	clientId: number;
	clock: number;
	/** The state's JSON text as UTF-8 bytes (a view into the frame). */
	state: Uint8Array;
}

const utf8 = new TextDecoder();
const NULL_STATE = 'null';

/**
 * Splits an awareness update (y-protocols' format) into its entries without decoding their states:
 * the stock client echoes everyone's presence back, and only the sender's own entry is ever read.
 * Throws ProtocolError when the update is malformed.
 */
export function readAwarenessEntries(update: Uint8Array): RawAwarenessEntry[] {
	try {
		const decoder = decoding.createDecoder(update);
		const count = decoding.readVarUint(decoder);
		const entries: RawAwarenessEntry[] = [];
		for (let i = 0; i < count; i++) {
			const clientId = decoding.readVarUint(decoder);
			const clock = decoding.readVarUint(decoder);
			const length = decoding.readVarUint(decoder);
			if (!Number.isSafeInteger(clientId) || !Number.isSafeInteger(clock)) {
				throw new ProtocolError('awareness client id or clock out of range');
			}
			if (length > update.length - decoder.pos) throw new ProtocolError('awareness state past the end of the frame');
			entries.push({ clientId, clock, state: decoding.readUint8Array(decoder, length) });
		}
		if (decoding.hasContent(decoder)) throw new ProtocolError('trailing bytes after the awareness update');
		return entries;
	} catch (error) {
		if (error instanceof ProtocolError) throw error;
		throw new ProtocolError(`malformed awareness update: ${(error as Error).message}`);
	}
}

/** An entry's state as JSON text. */
export function stateText(entry: RawAwarenessEntry): string {
	return utf8.decode(entry.state);
}

/** Whether an entry removes its client's presence (its state is JSON null). */
export function isRemoval(entry: RawAwarenessEntry): boolean {
	return entry.state.length < 16 && stateText(entry).trim() === NULL_STATE;
}
