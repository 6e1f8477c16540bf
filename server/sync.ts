import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { readConfig } from '../src/lib/server/config';
import type { Db } from '../src/lib/server/db';
import type { SyncHub } from '../src/lib/server/sync-hub';
import { AwarenessGuard } from './awareness-guard';
import { send, type Connection } from './connection';
import { DailyVersions } from './daily-versions';
import { FrameGuard } from './frame-guard';
import { failureCloseCode } from './failure-close-code';
import { createHub } from './hub';
import { startKeepalive } from './keepalive';
import { LockCache } from './lock-cache';
import { createMessageHandler } from './message-handler';
import { encodeSyncStep1 } from './protocol';
import type { Room } from './room';
import { Rooms } from './rooms';
import { SendBudget, SocketQueue } from './send-budget';
import { SocketBudget } from './socket-budget';
import { UpdateGuard } from './update-guard';
import { refuse, refuseUpgrade, refuseWithError, UpgradeGate } from './upgrade-auth';

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
	const locks = new LockCache(db);
	const limits = readConfig();
	// `ws` closes a socket with 1009 as soon as a frame's declared length passes this, before reading it.
	const wss = new WebSocketServer({ noServer: true, maxPayload: limits.syncMaxMessageBytes });
	const awarenessGuard = new AwarenessGuard({
		maxStateBytes: limits.awarenessMaxStateBytes,
		maxPerSecond: limits.awarenessMaxPerSecond
	});
	const receive = createMessageHandler({
		rooms,
		updateGuard: new UpdateGuard(db, limits.boardMaxDocBytes, limits.boardMaxMemoryBytes),
		awarenessGuard,
		locks,
		dailyVersions: new DailyVersions(db)
	});
	const stopKeepalive = startKeepalive(db, connections);
	const sockets = new SocketBudget({
		perUserBoard: limits.syncMaxSocketsPerUserBoard,
		perUser: limits.syncMaxSocketsPerUser,
		perBoard: limits.syncMaxSocketsPerBoard,
		perAddress: limits.syncMaxSocketsPerAddress,
		total: limits.syncMaxSockets
	});
	const gate = new UpgradeGate(db, limits.syncMaxRefusalsPerMinute);
	const sendBudget = new SendBudget(limits.syncMaxQueuedBytes, limits.syncMaxQueuedTotalBytes);
	const frameGuard = new FrameGuard(limits.syncMaxPartialTotalBytes, limits.syncFrameTimeoutMs);

	function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
		const auth = gate.authenticate(request);
		if (auth.kind === 'not-sync') return false;
		if (auth.kind === 'refused') return (refuseUpgrade(socket, auth), true);
		// Past a socket budget the upgrade is answered in HTTP, before a WebSocket exists.
		const refusal = sockets.take(auth.identity, auth.address);
		if (refusal) return (refuseWithError(socket, refusal.status, refusal.error), true);
		socket.once('close', () => sockets.release(auth.identity, auth.address));
		wss.handleUpgrade(request, socket, head, (ws) => {
			const queue = new SocketQueue(sendBudget);
			open({ socket: ws, ...auth.identity, awarenessIds: new Set(), alive: true, unstored: rooms.unstored, queue }, socket);
		});
		return true;
	}

	/** Puts a new socket in its board's room and sends it the room's state vector and presence. */
	function open(connection: Connection, raw: Duplex): void {
		const { socket } = connection;
		let room: Room;
		try {
			room = rooms.get(connection.boardId);
		} catch (error) {
			console.error(`board ${connection.boardId}: loading failed`, error);
			socket.close(failureCloseCode(error));
			return;
		}
		connections.add(connection);
		room.connections.add(connection);
		frameGuard.watch(connection, raw);
		socket.on('pong', () => (connection.alive = true));
		socket.on('message', (data, isBinary) => receive(room, connection, data, isBinary));
		// `ws` is already closing the socket with the fitting code (e.g. 1009 for an oversized frame);
		// terminating here would cut that close frame off.
		socket.on('error', () => {});
		socket.on('close', () => {
			connections.delete(connection);
			connection.queue.clear();
			awarenessGuard.release(connection);
			room.leave(connection);
			rooms.released(room);
		});
		send(connection, encodeSyncStep1(room.stateVector()));
		const awareness = room.awarenessFrame();
		if (awareness) send(connection, awareness);
	}

	return {
		handleUpgrade,
		hub: createHub(rooms, connections, locks),
		rooms,
		close() {
			stopKeepalive();
			frameGuard.stop();
			rooms.closeAll();
			for (const connection of connections) connection.socket.terminate();
			wss.close();
		}
	};
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
