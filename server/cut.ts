import type { WebSocket } from 'ws';

/** How long a socket closed for what it holds may take to answer the close before it is destroyed. */
export const CUT_GRACE_MS = 1_000;

/**
 * Closes a socket with `code` and destroys it shortly after, whether or not the peer answers: a
 * client that reads nothing, or sends nothing more, would otherwise keep what its socket holds
 * (queued frames, an unfinished frame) until `ws`'s 30 s close timeout.
 */
export function cut(socket: WebSocket, code: number, reason: string): void {
	socket.close(code, reason);
	setTimeout(() => socket.terminate(), CUT_GRACE_MS).unref();
}
