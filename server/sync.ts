import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { roleOf } from '../src/lib/server/boards';
import { publicOrigin, readConfig } from '../src/lib/server/config';
import { isLocked } from '../src/lib/server/facilitation';
import { DAY_MS, ensureDailyVersion, hasDailyVersion } from '../src/lib/server/versions';
import type { Db } from '../src/lib/server/db';
import type { Role } from '../src/lib/journey/roles';
import { sessionTokenFromCookieHeader, validateSessionToken } from '../src/lib/server/session';
import type { SyncHub } from '../src/lib/server/sync-hub';
import { CLOSE_CODES } from './close-codes';
import { canWrite, send, type Connection } from './connection';
import { AwarenessGuard } from './awareness-guard';
import { DeferredWork } from './deferred-work';
import { decodeClientMessage, encodeSyncStep1, encodeSyncStep2, ProtocolError } from './protocol';
import type { Room } from './room';
import { Rooms } from './rooms';
import { sessionIsLive } from './session-check';
import { TokenBucket } from './token-bucket';
import { DocumentTooLargeError, LiveApplyError, UpdateGuard } from './update-guard';

/** Interval of keep-alive pings; a socket that misses one is terminated. */
export const PING_INTERVAL_MS = 30_000;
/**
 * Full-state requests (sync step 1, awareness queries) a socket may make per second, and in a
 * burst. Each costs the server an encoding of the whole board; the stock client sends one per
 * connection, so only a hostile client ever meets this.
 */
export const SYNC_REQUESTS_PER_SECOND = 2;
export const SYNC_REQUEST_BURST = 10;


const SYNC_PATH = /^\/sync\/([A-Za-z0-9_-]{1,64})\/?$/;

export interface SyncServer {
	/** Handles an HTTP upgrade; returns false when the path is not the sync endpoint. */
	handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
	hub: SyncHub;
	rooms: Rooms;
	close(): void;
}

/** The y-websocket sync endpoint `/sync/:boardId`, authenticated at the upgrade. */
export function createSyncServer(db: Db, options: { unloadDelayMs?: number } = {}): SyncServer {
	const rooms = new Rooms(db, options.unloadDelayMs);
	const connections = new Set<Connection>();
	const lockedBoards = new Map<string, boolean>();
	const limits = readConfig();
	// `ws` closes a socket with 1009 as soon as a frame's declared length passes this, before reading it.
	const wss = new WebSocketServer({ noServer: true, maxPayload: limits.syncMaxMessageBytes });
	const updateGuard = new UpdateGuard(db, limits.boardMaxDocBytes);
	const awarenessGuard = new AwarenessGuard({
		maxStateBytes: limits.awarenessMaxStateBytes,
		maxPerSecond: limits.awarenessMaxPerSecond
	});
	const requestBudgets = new WeakMap<Connection, TokenBucket>();

	const pinger = setInterval(() => {
		for (const connection of connections) {
			if (!connection.alive) {
				connection.socket.terminate();
				continue;
			}
			// A session that expired (or was deleted) while its socket stayed open ends it too.
			if (!sessionIsLive(db, connection.sessionId)) {
				connection.socket.close(CLOSE_CODES.sessionEnded, 'Session ended');
				continue;
			}
			connection.alive = false;
			connection.socket.ping();
		}
	}, PING_INTERVAL_MS);
	pinger.unref();

	function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
		const path = new URL(request.url ?? '/', 'http://localhost').pathname;
		const match = SYNC_PATH.exec(path);
		if (!match) return false;
		const boardId = match[1];
		const origin = request.headers.origin;
		if (origin !== undefined && origin !== publicOrigin()) return refuse(socket, 403, 'Forbidden'), true;
		const token = sessionTokenFromCookieHeader(request.headers.cookie);
		const auth = token ? validateSessionToken(db, token) : null;
		if (!auth?.session) return refuse(socket, 401, 'Unauthorized'), true;
		const role = roleOf(db, boardId, auth.user.id);
		if (!role) return refuse(socket, 404, 'Not Found'), true;
		wss.handleUpgrade(request, socket, head, (ws) => {
			open({ socket: ws, boardId, userId: auth.user.id, sessionId: auth.session.id, role, awarenessIds: new Set(), alive: true });
		});
		return true;
	}

	function open(connection: Connection): void {
		const { socket } = connection;
		let room: Room;
		try {
			room = rooms.get(connection.boardId);
		} catch (error) {
			console.error(`board ${connection.boardId}: loading failed`, error);
			socket.close(CLOSE_CODES.internalError);
			return;
		}
		connections.add(connection);
		room.connections.add(connection);
		socket.on('pong', () => (connection.alive = true));
		socket.on('message', (data, isBinary) => receive(room, connection, data, isBinary));
		// `ws` is already closing the socket with the fitting code (e.g. 1009 for an oversized frame);
		// terminating here would cut that close frame off.
		socket.on('error', () => {});
		socket.on('close', () => {
			connections.delete(connection);
			awarenessGuard.release(connection);
			room.leave(connection);
			rooms.released(room);
		});
		send(connection, encodeSyncStep1(room.stateVector()));
		const awareness = room.awarenessFrame();
		if (awareness) send(connection, awareness);
	}

	function receive(room: Room, connection: Connection, data: RawData, isBinary: boolean): void {
		// `ws` still delivers frames that arrive after the server closed the socket (a removed
		// member's, a signed-out session's, or those right behind a rejected frame): ignore them.
		if (connection.socket.readyState !== connection.socket.OPEN) return;
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
					send(connection, encodeSyncStep2(room.missing(message.stateVector)));
					break;
				case 'sync-update':
					// Read-only roles, and everyone but owners on a locked board: dropped, never applied or stored.
					if (!canWrite(connection) || (connection.role !== 'owner' && isLockedBoard(connection.boardId))) return;
					// Checked in full and tried on a copy first: what fails is never applied, stored or relayed.
					updateGuard.apply(room, message.update, (update) => applyWithDailyVersion(room, update, connection));
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
			} else if (error instanceof DocumentTooLargeError) {
				connection.socket.close(CLOSE_CODES.documentTooLarge, truncateReason(error.message));
			} else if (error instanceof LiveApplyError) {
				// The live document may be half-updated: reload it from the store, which has only whole updates.
				console.error(`board ${room.boardId}: ${error.message}`);
				rooms.drop(room.boardId, CLOSE_CODES.internalError);
			} else {
				console.error(`board ${room.boardId}: handling a frame failed`, error);
				connection.socket.close(CLOSE_CODES.internalError, truncateReason((error as Error).message));
			}
		}
	}

	function takeRequest(connection: Connection): boolean {
		let budget = requestBudgets.get(connection);
		if (!budget) requestBudgets.set(connection, (budget = new TokenBucket(SYNC_REQUESTS_PER_SECOND, SYNC_REQUEST_BURST)));
		return budget.take();
	}

	const hub: SyncHub = {
		closeSession(sessionId) {
			for (const connection of connections) {
				if (connection.sessionId === sessionId) connection.socket.close(CLOSE_CODES.sessionEnded, 'Signed out');
			}
		},
		setMemberRole(boardId, userId, role: Role | null) {
			const room = rooms.peek(boardId);
			for (const connection of room?.connections ?? []) {
				if (connection.userId !== userId) continue;
				if (role === null) {
					connection.socket.close(CLOSE_CODES.accessRevoked, 'Removed from the board');
					continue;
				}
				const couldWrite = canWrite(connection);
				connection.role = role;
				// A read-only client keeps its dropped edits and its later updates build on them, so
				// they would stay pending here forever. Sync step 1 makes it send what the room lacks.
				if (!couldWrite && canWrite(connection)) send(connection, encodeSyncStep1(room!.stateVector()));
			}
		},
		closeBoard(boardId) {
			rooms.drop(boardId, CLOSE_CODES.boardDeleted);
			lockedBoards.delete(boardId);
		},
		setLocked(boardId, locked) {
			lockedBoards.set(boardId, locked);
			const room = rooms.peek(boardId);
			// Like a promotion: writers send what the room lacks once they may write again.
			if (!locked && room) for (const connection of room.connections) if (canWrite(connection)) send(connection, encodeSyncStep1(room.stateVector()));
		},
		editDocument(boardId, edit) {
			const room = rooms.get(boardId);
			room.doc.transact(() => edit(room.doc));
			rooms.released(room);
		}
	};

	/** The UTC day of each board's last automatic version, so the work below runs once a day. */
	const versionedDay = new Map<string, number>();
	const deferred = new DeferredWork();
	/** Applies a writer's update; the day's first real edit of a board first keeps the state before it. */
	function applyWithDailyVersion(room: Room, update: Uint8Array, origin: Connection): void {
		const day = Math.floor(Date.now() / DAY_MS);
		// After a restart the store may already hold the day's version: then nothing need be encoded.
		if (versionedDay.get(room.boardId) !== day && hasDailyVersion(db, room.boardId)) versionedDay.set(room.boardId, day);
		if (versionedDay.get(room.boardId) === day) {
			room.applyUpdate(update, origin);
			return;
		}
		const before = room.encodedState();
		// A reconnecting client's sync often carries nothing new: that is no edit.
		if (!room.applyUpdate(update, origin)) return;
		versionedDay.set(room.boardId, day);
		// After this turn's edits are stored and relayed: they do not wait for it.
		deferred.add(`board ${room.boardId}: saving the day's version`, () => ensureDailyVersion(db, room.boardId, before));
	}

	/** Lock state per board, read once from the store and kept current by `setLocked`. */
	function isLockedBoard(boardId: string): boolean {
		let locked = lockedBoards.get(boardId);
		if (locked === undefined) {
			locked = isLocked(db, boardId);
			lockedBoards.set(boardId, locked);
		}
		return locked;
	}

	return {
		handleUpgrade,
		hub,
		rooms,
		close() {
			clearInterval(pinger);
			rooms.closeAll();
			for (const connection of connections) connection.socket.terminate();
			wss.close();
		}
	};
}

function refuse(socket: Duplex, status: number, reason: string): void {
	socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}


// Close reasons are limited to 123 bytes by the WebSocket protocol.
function truncateReason(reason: string): string {
	return reason.replace(/[^\x20-\x7e]/g, '?').slice(0, 120);
}

/** Attaches the sync endpoint to an HTTP server's upgrade event. */
export function attachSync(server: Server, sync: SyncServer): void {
	server.on('upgrade', (request, socket, head) => {
		if (!sync.handleUpgrade(request, socket, head)) {
			// Not ours; in `vite dev` another listener (HMR) takes it.
			if (server.listenerCount('upgrade') === 1) refuse(socket, 404, 'Not Found');
		}
	});
}
