import type { RawData } from 'ws';
import type { AwarenessGuard } from './awareness-guard';
import { CLOSE_CODES } from './close-codes';
import { send, type Connection } from './connection';
import { cut } from './cut';
import { failureCloseCode } from './failure-close-code';
import { canEditBoard, canEditDocument } from '../src/lib/journey/roles';
import type { DailyVersions } from './daily-versions';
import type { DroppedWrites } from './dropped-writes';
import type { LockCache } from './lock-cache';
import { decodeClientMessage, ProtocolError } from './protocol';
import type { Room } from './room';
import type { RoleRecheck } from './role-recheck';
import type { Rooms } from './rooms';
import { answerSyncStep1 } from './sync-answer';
import { TokenBucket } from './token-bucket';
import { DocumentShapeError, DocumentTooLargeError, LiveApplyError, MissingContentError, type UpdateGuard } from './update-guard';

/**
 * Full-state requests (sync step 1, awareness queries) a socket may make per second, and in a
 * burst. Each costs the server an encoding of the whole board; the stock client sends one per
 * connection, so only a hostile client ever meets this.
 */
export const SYNC_REQUESTS_PER_SECOND = 2;
export const SYNC_REQUEST_BURST = 10;

/** What the message handler works with: one sync server's rooms, guards, lock states and versions. */
export interface MessageHandlerParts {
	rooms: Rooms;
	updateGuard: UpdateGuard;
	awarenessGuard: AwarenessGuard;
	/** Whether a board is locked; only that is asked here. */
	locks: Pick<LockCache, 'isLocked'>;
	dailyVersions: DailyVersions;
	/**
	 * Reads a read-only socket's role again before its write is dropped (a promotion made through
	 * another process); null for a process alone, whose hub hears of every role change at once.
	 */
	roleRecheck: RoleRecheck | null;
	/** Lets a socket whose writes were dropped catch up without being closed. */
	droppedWrites: DroppedWrites;
}

/** Handles one frame from a socket of a room. */
export type MessageHandler = (room: Room, connection: Connection, data: RawData, isBinary: boolean) => void;

/** Decodes each client frame and dispatches it; a bad frame closes its own socket with the fitting code. */
export function createMessageHandler({
	rooms,
	updateGuard,
	awarenessGuard,
	locks,
	dailyVersions,
	roleRecheck,
	droppedWrites
}: MessageHandlerParts): MessageHandler {
	const requestBudgets = new WeakMap<Connection, TokenBucket>();

	function takeRequest(connection: Connection): boolean {
		let budget = requestBudgets.get(connection);
		if (!budget) requestBudgets.set(connection, (budget = new TokenBucket(SYNC_REQUESTS_PER_SECOND, SYNC_REQUEST_BURST)));
		return budget.take();
	}

	return function receive(room, connection, data, isBinary) {
		// `ws` still delivers frames that arrive after the server closed the socket (a removed
		// member's, a signed-out session's, or those right behind a rejected frame): ignore them.
		if (connection.socket.readyState !== connection.socket.OPEN) return;
		// Behind a write whose sender's role is being read again: handled in order once it is.
		if (roleRecheck?.hold(connection, data, isBinary)) return;
		// One bad frame closes its own socket; the room and every other socket live on.
		if (!isBinary) {
			connection.socket.close(CLOSE_CODES.unsupportedData, 'Text frames are not part of the protocol');
			return;
		}
		try {
			const frame = data instanceof Buffer ? data : Buffer.concat(data as Buffer[]);
			const message = decodeClientMessage(new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength));
			switch (message.type) {
				case 'sync-step1':
					if (!takeRequest(connection)) {
						connection.socket.close(CLOSE_CODES.policyViolation, 'Too many sync requests');
						return;
					}
					// A socket still being sent a large frame, or lagging past its budget, is not answered again.
					if (connection.queue.lags(connection.socket.bufferedAmount)) {
						cut(connection.socket, CLOSE_CODES.slowConsumer, 'Too far behind');
						return;
					}
					// Encoded from the live document: it leaves once every change in it is stored.
					room.sendState(connection, answerSyncStep1(room, message.stateVector));
					break;
				case 'sync-update':
					if (!canEditBoard(connection.role, locks.isLocked(connection.boardId))) {
						// A read-only role may be a promotion made through another process that has not
						// reached this one yet: the database is asked (at most once per interval) before the
						// write is dropped. An editor refused by the lock is not asked about.
						const replay = (held: RawData, heldIsBinary: boolean) => receive(room, connection, held, heldIsBinary);
						if (!canEditDocument(connection.role) && roleRecheck?.begin(connection, message.update, data, isBinary, replay)) return;
						// Read-only roles, and everyone but owners on a locked board: dropped, never applied or stored.
						droppedWrites.dropped(connection);
						return;
					}
					try {
						// Checked in full and tried on a copy first: what fails is never applied, stored or relayed.
						updateGuard.apply(room, message.update, (update) => dailyVersions.apply(room, update, connection));
					} catch (error) {
						// Built on the socket's own dropped writes: its answer to a sync step 1 brings them and this.
						if (error instanceof MissingContentError && droppedWrites.catchingUp(room, connection)) return;
						throw error;
					}
					droppedWrites.applied(connection);
					room.settleText();
					break;
				case 'awareness':
					awarenessGuard.receive(room, connection, message.update);
					break;
				case 'query-awareness': {
					if (!takeRequest(connection)) return;
					const awareness = room.awarenessFrame();
					if (awareness) send(connection, awareness);
					break;
				}
			}
		} catch (error) {
			if (error instanceof ProtocolError) {
				connection.socket.close(CLOSE_CODES.protocolError, truncateReason(error.message));
			} else if (error instanceof DocumentShapeError) {
				connection.socket.close(CLOSE_CODES.documentShape, truncateReason(error.message));
			} else if (error instanceof DocumentTooLargeError) {
				connection.socket.close(CLOSE_CODES.documentTooLarge, truncateReason(error.message));
			} else if (error instanceof LiveApplyError) {
				// The live document may be half-updated: reload it from the store, which has only whole updates.
				console.error(`board ${room.boardId}: ${error.message}`);
				rooms.drop(room.boardId, failureCloseCode(error));
			} else {
				console.error(`board ${room.boardId}: handling a frame failed`, error);
				connection.socket.close(failureCloseCode(error), truncateReason((error as Error).message));
			}
		}
	};
}

// Close reasons are limited to 123 bytes by the WebSocket protocol.
function truncateReason(reason: string): string {
	return reason.replace(/[^\x20-\x7e]/g, '?').slice(0, 120);
}
