/**
 * The client's address, read the way adapter-node reads it: the socket's peer, or behind a reverse
 * proxy the header named by `ADDRESS_HEADER` (for `X-Forwarded-For`, the entry `XFF_DEPTH` from the
 * right, so a client cannot choose it by sending its own header). Every rate limit keys on this.
 */

/** Stands for a request whose configured address header is missing: such requests share one budget. */
export const UNKNOWN_ADDRESS = 'unknown';

/** The address from a request's headers and its socket's peer address, under `ADDRESS_HEADER` and `XFF_DEPTH`. */
export function clientAddressOf(
	header: (name: string) => string | undefined,
	peerAddress: string | undefined,
	env: NodeJS.ProcessEnv = process.env
): string {
	const addressHeader = (env.ADDRESS_HEADER ?? '').toLowerCase();
	if (!addressHeader) return peerAddress || UNKNOWN_ADDRESS;
	const value = header(addressHeader);
	if (value === undefined || value.trim() === '') return UNKNOWN_ADDRESS;
	if (addressHeader !== 'x-forwarded-for') return value.trim();
	const addresses = value.split(',');
	const depth = Number.parseInt(env.XFF_DEPTH ?? '1', 10);
	if (!(depth >= 1) || depth > addresses.length) return UNKNOWN_ADDRESS;
	return addresses[addresses.length - depth].trim() || UNKNOWN_ADDRESS;
}

/** A SvelteKit request's client address: adapter-node's `getClientAddress()` (the same rule), never throwing. */
export function requestAddress(event: { getClientAddress(): string; request: Request }): string {
	try {
		return event.getClientAddress() || UNKNOWN_ADDRESS;
	} catch {
		// adapter-node throws when ADDRESS_HEADER names a header the request lacks.
		return clientAddressOf((name) => event.request.headers.get(name) ?? undefined, undefined);
	}
}
