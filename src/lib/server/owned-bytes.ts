/**
 * Whether a byte view spans its whole buffer: only then can the buffer move to another thread
 * without a copy, and only then does holding the view keep nothing else alive.
 */
export function ownsItsBuffer(view: Uint8Array): boolean {
	return view.byteOffset === 0 && view.byteLength === view.buffer.byteLength;
}

/** The bytes in a buffer of their own: the view itself when it owns its buffer, a copy otherwise. */
export function ownBytes(view: Uint8Array): Uint8Array {
	return ownsItsBuffer(view) ? view : view.slice();
}
