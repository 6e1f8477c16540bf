import type { WebSocket } from 'ws';
import { CLOSE_CODES } from './close-codes';
import { cut } from './cut';
import type { SocketQueue } from './send-budget';
import { canEditDocument, type Role } from '../src/lib/journey/roles';

/** A live socket's identity and rights; `role` changes in place when an owner changes it. */
export interface Connection {
	socket: WebSocket;
	boardId: string;
	userId: string;
	/** The account's display name; presence states are relayed under it. */
	userName: string;
	sessionId: string;
	role: Role;
	/** Awareness client ids this socket has announced. */
	awarenessIds: Set<number>;
	/** Whether the last ping was answered. */
	alive: boolean;
	/** The frames queued to it, within its sync server's budget of queued bytes. */
	queue: SocketQueue;
}

/** Whether a Yjs transaction's origin is a socket (a writer's update) rather than the server. */
export function isConnection(origin: unknown): origin is Connection {
	return typeof origin === 'object' && origin !== null && 'awarenessIds' in origin;
}

/** Whether this socket's document writes are applied. */
export function canWrite(connection: Connection): boolean {
	return canEditDocument(connection.role);
}

/**
 * Sends a frame unless the socket is closed. A client that falls too far behind (the frame would
 * take it past its queued-bytes budget, or all sockets past theirs) is closed with 4000 and the
 * frame is not queued; it reconnects and resyncs from its state vector.
 *
 * A frame with document content goes through its room (`Room.sendState`, the relay), which holds
 * it until the changes in it are stored (write before relay).
 */
export function send(connection: Connection, frame: Uint8Array): void {
	const { socket } = connection;
	if (socket.readyState !== socket.OPEN) return;
	if (!connection.queue.admits(socket.bufferedAmount, frame)) {
		cut(socket, CLOSE_CODES.slowConsumer, 'Too far behind');
		return;
	}
	socket.send(frame, { binary: true }, connection.queue.hold(frame));
}
