import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData } from 'ws';
import { roleOf } from '../src/lib/server/boards';
import { readConfig } from '../src/lib/server/config';
import { isPostgres, type Db } from '../src/lib/server/db';
import type { PgDb } from '../src/lib/server/db/pg';
import type { SyncHub } from '../src/lib/server/sync-hub';
import { AccessChanges } from './access-changes';
import { AwarenessGuard } from './awareness-guard';
import { CLOSE_CODES } from './close-codes';
import type { BoardBus } from './cluster/board-bus';
import { clusterHub } from './cluster/cluster-hub';
import type { SocketLeases } from './cluster/socket-leases';
import type { SharedPresenceOwners } from './cluster/presence-owners';
import { relayBoardStreams } from './cluster/stream-relay';
import { send, type Connection } from './connection';
import { DailyVersions } from './daily-versions';
import { DroppedWrites } from './dropped-writes';
import { FrameGuard } from './frame-guard';
import { failureCloseCode } from './failure-close-code';
import { createHub, recheckRoles } from './hub';
import { closeEndedSessions, startKeepalive } from './keepalive';
import { LockCache } from './lock-cache';
import { createMessageHandler } from './message-handler';
import { encodeSyncStep1 } from './protocol';
import { RoleRecheck } from './role-recheck';
import type { Room, SnapshotFolder } from './room';
import { RoomDroppedError, Rooms } from './rooms';
import { SendBudget, SocketQueue } from './send-budget';
import { SocketSlots } from './socket-slots';
import type { BoardEvents, BoardStore } from './storage/board-store';
import { boardEvents } from './storage/board-events';
import { PgBoardStore } from './storage/pg-board-store';
import { SqliteBoardStore } from './storage/sqlite-board-store';
import { UpdateGuard } from './update-guard';
import { isSyncPath, refuse, refuseUpgrade, refuseWithError, UpgradeGate, type AddressedUpgrade } from './upgrade-auth';

/**
 * Frames a socket may send before its board has loaded; they are handled, in order, once it has.
 * A client sends a handful before it hears from the server (its sync step 1, its presence, a
 * first edit); only a hostile one sends more.
 */
export const MAX_FRAMES_WHILE_LOADING = 100;

/** The 503 an upgrade gets when its session cannot be looked up (the database is unreachable). */
export const UPGRADE_CHECK_FAILED = 'The server cannot check your session right now; try again shortly';
/**
 * Checks one upgrade may take: its access changed while it was checked, so it is checked again.
 * Only access changing that often (an attacker's own role flipped by an accomplice) meets the limit (503).
 */
export const UPGRADE_CHECKS_MAX = 3;

export interface SyncServer {
	/** Handles an HTTP upgrade; returns false when the path is not the sync endpoint. */
	handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
	hub: SyncHub;
	rooms: Rooms;
	/** Closes every socket and stores and compacts every room; resolves once that is done. */
	close(): Promise<void>;
}

export interface SyncServerOptions {
	unloadDelayMs?: number;
	/** Where boards' documents are kept; by default the database `db` is on (SQLite or PostgreSQL). */
	store?: BoardStore;
	/** Where rooms report title changes and assignments; by default `db`. */
	events?: BoardEvents;
	/** The bus to the other processes serving the same boards (`REDIS_URL`); none: this process alone, as without one. */
	bus?: BoardBus | null;
	/** Where the socket budgets count every process's sockets (`REDIS_URL`); none: this process's sockets alone. */
	socketLeases?: SocketLeases | null;
	/** Who owns each presence client id, shared with those processes (`REDIS_URL`); none: each room decides alone. */
	presenceOwners?: SharedPresenceOwners | null;
	/** Folds live rooms' compactions off the event loop (a worker thread); by default in this thread. */
	fold?: SnapshotFolder;
}

/** The y-websocket sync endpoint `/sync/:boardId`, authenticated at the upgrade. */
export function createSyncServer(db: Db, options: SyncServerOptions = {}): SyncServer {
	const store = options.store ?? (isPostgres(db) ? new PgBoardStore(db as unknown as PgDb) : new SqliteBoardStore(db));
	const bus = options.bus ?? null;
	const presenceOwners = options.presenceOwners ?? null;
	const rooms = new Rooms(
		store,
		options.events ?? boardEvents(db),
		options.unloadDelayMs,
		undefined,
		bus && { bus, presenceOwners },
		options.fold
	);
	const connections = new Set<Connection>();
	const locks = new LockCache(db);
	const limits = readConfig();
	// `ws` closes a socket with 1009 as soon as a frame's declared length passes this, before reading it.
	const wss = new WebSocketServer({ noServer: true, maxPayload: limits.syncMaxMessageBytes });
	const awarenessGuard = new AwarenessGuard({
		maxStateBytes: limits.awarenessMaxStateBytes,
		maxPerSecond: limits.awarenessMaxPerSecond
	});
	// Only another process can change a role without this one's hub hearing of it at once. A role
	// read is applied by this process's hub alone: the process that changed it told the others.
	const roleRecheck =
		bus &&
		new RoleRecheck(
			{
				read: (boardId, userId) => roleOf(db, boardId, userId),
				apply: (boardId, userId, role) => hub.setMemberRole(boardId, userId, role)
			},
			limits.syncMaxMessageBytes
		);
	const receive = createMessageHandler({
		rooms,
		updateGuard: new UpdateGuard(limits.boardMaxDocBytes, limits.boardMaxMemoryBytes),
		awarenessGuard,
		locks,
		dailyVersions: new DailyVersions(store),
		roleRecheck,
		droppedWrites: new DroppedWrites()
	});
	const stopKeepalive = startKeepalive(db, connections);
	const sockets = new SocketSlots(
		{
			perUserBoard: limits.syncMaxSocketsPerUserBoard,
			perUser: limits.syncMaxSocketsPerUser,
			perBoard: limits.syncMaxSocketsPerBoard,
			perAddress: limits.syncMaxSocketsPerAddress,
			total: limits.syncMaxSockets
		},
		options.socketLeases ?? null
	);
	const gate = new UpgradeGate(db, limits.syncMaxRefusalsPerMinute);
	const accessChanges = new AccessChanges();
	const sendBudget = new SendBudget(limits.syncMaxQueuedBytes, limits.syncMaxQueuedTotalBytes);
	const frameGuard = new FrameGuard(limits.syncMaxPartialTotalBytes, limits.syncFrameTimeoutMs);

	function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
		if (!isSyncPath(request)) return false;
		// The HTTP server no longer watches an upgraded socket: a reset while the session is looked up is not a crash.
		socket.on('error', () => socket.destroy());
		check(request, socket, head, 1);
		return true;
	}

	/** Checks an upgrade's session and role (again, the `attempt`th time), then admits or refuses it. */
	function check(request: IncomingMessage, socket: Duplex, head: Buffer, attempt: number): void {
		const checkedAt = accessChanges.now();
		gate.authenticate(request).then(
			(auth) => admit(auth, checkedAt, attempt, request, socket, head),
			(error) => {
				console.error('sync upgrade: the session could not be checked', error);
				refuseWithError(socket, 503, UPGRADE_CHECK_FAILED);
			}
		);
	}

	/** Opens the socket of an authenticated upgrade, or answers its refusal. Never rejects. */
	async function admit(
		auth: AddressedUpgrade,
		checkedAt: number,
		attempt: number,
		request: IncomingMessage,
		socket: Duplex,
		head: Buffer
	): Promise<void> {
		if (auth.kind === 'not-sync') return refuse(socket, 404, 'Not Found');
		if (auth.kind === 'refused') return refuseUpgrade(socket, auth);
		// The client went away while its session was looked up.
		if (socket.destroyed) return;
		// Past a socket budget the upgrade is answered in HTTP, before a WebSocket exists.
		const slot = await sockets.take(auth.identity, auth.address);
		if ('error' in slot) return refuseWithError(socket, slot.status, slot.error);
		// The client went away while the budgets were counted: its slot is given back at once.
		if (socket.destroyed) return slot.release();
		// Signed out, removed, its role changed or its board deleted since it was checked: the hub
		// closed only sockets that existed, so this one is checked again. From here on the socket
		// exists within this turn, and the hub's next change finds it.
		if (accessChanges.changedSince(auth.identity, checkedAt)) {
			slot.release();
			if (attempt < UPGRADE_CHECKS_MAX) return check(request, socket, head, attempt + 1);
			return refuseWithError(socket, 503, UPGRADE_CHECK_FAILED);
		}
		socket.once('close', () => slot.release());
		wss.handleUpgrade(request, socket, head, (ws) => {
			const queue = new SocketQueue(sendBudget);
			open({ socket: ws, ...auth.identity, awarenessIds: new Set(), alive: true, queue }, socket);
		});
	}

	/** Puts a new socket in its board's room, loading the room first when needed. */
	function open(connection: Connection, raw: Duplex): void {
		const { socket } = connection;
		let room: Room | null = null;
		connections.add(connection);
		frameGuard.watch(connection, raw);
		socket.on('pong', () => (connection.alive = true));
		// `ws` is already closing the socket with the fitting code (e.g. 1009 for an oversized frame);
		// terminating here would cut that close frame off.
		socket.on('error', () => {});
		socket.on('close', () => {
			connections.delete(connection);
			connection.queue.clear();
			awarenessGuard.release(connection);
			if (!room) return;
			room.leave(connection);
			rooms.released(room);
		});
		// The board's lock state is known before its room is joined: frames are judged in order.
		const loaded = locks.has(connection.boardId) ? rooms.openLoaded(connection.boardId) : undefined;
		if (loaded) {
			join((room = loaded), connection);
			return;
		}
		const early: [RawData, boolean][] = [];
		const hold = (data: RawData, isBinary: boolean) => {
			if (socket.readyState !== socket.OPEN) return;
			if (early.push([data, isBinary]) > MAX_FRAMES_WHILE_LOADING)
				socket.close(CLOSE_CODES.policyViolation, 'Too many frames before the board loaded');
		};
		socket.on('message', hold);
		locks
			.load(connection.boardId)
			.then(() => rooms.open(connection.boardId))
			.then(
				(opened) => {
					socket.off('message', hold);
					if (socket.readyState !== socket.OPEN) return rooms.released(opened);
					join((room = opened), connection);
					for (const [data, isBinary] of early) receive(opened, connection, data, isBinary);
				},
				(error: unknown) => {
					socket.off('message', hold);
					if (error instanceof RoomDroppedError) return socket.close(error.code);
					console.error(`board ${connection.boardId}: loading failed`, error);
					socket.close(failureCloseCode(error));
				}
			);
	}

	/** Adds a socket to its loaded room and sends it the room's state vector and presence. */
	function join(room: Room, connection: Connection): void {
		room.connections.add(connection);
		connection.socket.on('message', (data, isBinary) => receive(room, connection, data, isBinary));
		send(connection, encodeSyncStep1(room.stateVector()));
		const awareness = room.awarenessFrame();
		if (awareness) send(connection, awareness);
	}

	const hub = createHub(rooms, connections, locks, (connection) => roleRecheck?.roleSet(connection), accessChanges);
	// Back from an outage, boards' locks, the roles of the people connected and their sessions are
	// read again: a change, removal or sign-out made meanwhile through another process was not heard.
	bus?.onConnection((connected) => {
		if (!connected) return;
		locks.refresh();
		recheckRoles(db, connections, hub).catch((error) => console.error('sync: reading roles again after an outage failed', error));
		closeEndedSessions(db, connections).catch((error) => console.error('sync: checking sessions again after an outage failed', error));
	});
	const stopStreamRelay = bus ? relayBoardStreams(bus) : null;
	return {
		handleUpgrade,
		hub: bus ? clusterHub(hub, bus) : hub,
		rooms,
		async close() {
			stopKeepalive();
			frameGuard.stop();
			const closing = rooms.closeAll();
			for (const connection of connections) connection.socket.terminate();
			wss.close();
			await closing;
			stopStreamRelay?.();
			await Promise.all([bus?.close(), sockets.close(), presenceOwners?.close()]);
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
