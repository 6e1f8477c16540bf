/** A new random item id for the journey document (96 bits, base36), safe in any context. */
export function newItemId(prefix: string): string {
	const bytes = new Uint8Array(12);
	globalThis.crypto.getRandomValues(bytes);
	let id = '';
	for (const byte of bytes) id += byte.toString(36).padStart(2, '0');
	return `${prefix}-${id}`;
}
