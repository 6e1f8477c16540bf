import type { WebSocket } from 'ws';
import { CLOSE_CODES } from './close-codes';
import { cut } from './cut';
import { MESSAGE_SYNC, SYNC_STEP1 } from './protocol';
import type { SocketQueue } from './send-budget';
import { canEditDocument, type Role } from '../src/lib/journey/roles';
import type { UnstoredRegistry } from './unstored';

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
	/** Its sync server's unstored changes, stored before a frame with document content is sent. */
	unstored: UnstoredRegistry;
	/** The frames queued to it, within its sync server's budget of queued bytes. */
	queue: SocketQueue;
}

/** Whether this socket's document writes are applied. */
export function canWrite(connection: Connection): boolean {
	return canEditDocument(connection.role);
}

/**
 * Whether a frame carries document content: a y-websocket sync message (type 0) other than
 * step 1, which carries only a state vector. Both varints are single bytes for these values.
 */
function carriesDocument(frame: Uint8Array): boolean {
	return frame[0] === MESSAGE_SYNC && frame[1] !== SYNC_STEP1;
}

/**
 * Sends a frame unless the socket is closed. A client that falls too far behind (the frame would
 * take it past its queued-bytes budget, or all sockets past theirs) is closed with 4000 and the
 * frame is not queued; it reconnects and resyncs from its state vector.
 *
 * Write before relay: a frame with document content (a sync step 2 may have been encoded from a
 * document holding this turn's changes) leaves only after every unstored change is in SQLite.
 * If storing fails, the rooms concerned are dropped and their sockets closing, so the frame is
 * not sent.
 */
export function send(connection: Connection, frame: Uint8Array): void {
	const { socket } = connection;
	if (carriesDocument(frame)) connection.unstored.flushAll();
	if (socket.readyState !== socket.OPEN) return;
	if (!connection.queue.admits(socket.bufferedAmount, frame)) {
		cut(socket, CLOSE_CODES.slowConsumer, 'Too far behind');
		return;
	}
	socket.send(frame, { binary: true }, connection.queue.hold(frame));
}
