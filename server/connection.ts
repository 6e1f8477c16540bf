import type { WebSocket } from 'ws';
import { CLOSE_CODES } from './close-codes';
import type { Role } from '../src/lib/server/db/schema';
import { canEditDocument } from '../src/lib/server/roles';

/** A live socket's identity and rights; `role` changes in place when an owner changes it. */
export interface Connection {
	socket: WebSocket;
	boardId: string;
	userId: string;
	sessionId: string;
	role: Role;
	/** Awareness client ids this socket has announced. */
	awarenessIds: Set<number>;
	/** Whether the last ping was answered. */
	alive: boolean;
}

/** Whether this socket's document writes are applied. */
export function canWrite(connection: Connection): boolean {
	return canEditDocument(connection.role);
}

/** Most bytes a socket may have queued before it is closed as a slow consumer. */
export const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

/**
 * Sends a frame unless the socket is closed. A client that falls too far behind is closed
 * rather than buffered without bound; it reconnects and resyncs from its state vector.
 */
export function send(connection: Connection, frame: Uint8Array): void {
	const { socket } = connection;
	if (socket.readyState !== socket.OPEN) return;
	if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
		socket.close(CLOSE_CODES.slowConsumer, 'Too far behind');
		return;
	}
	socket.send(frame, { binary: true });
}
