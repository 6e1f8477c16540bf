import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/** Random bytes from the platform's CSPRNG. */
export function randomBytes(length: number): Uint8Array {
	const bytes = new Uint8Array(length);
	crypto.getRandomValues(bytes);
	return bytes;
}

/** A new random id: 80 bits, base32, 16 characters. */
export function newId(): string {
	return encodeBase32LowerCaseNoPadding(randomBytes(10));
}
