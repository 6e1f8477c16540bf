import type { Role } from '../src/lib/journey/roles';
import { roleOf } from '../src/lib/server/boards';
import type { Db } from '../src/lib/server/db';
import { presentStage } from '../src/lib/server/presentation';
import type { SyncHub } from '../src/lib/server/sync-hub';
import { AccessChanges } from './access-changes';
import { CLOSE_CODES } from './close-codes';
import { canWrite, send, type Connection } from './connection';
import type { LockCache } from './lock-cache';
import { encodeSyncStep1 } from './protocol';
import type { Rooms } from './rooms';

/**
 * The sync server's side of `SyncHub`: what HTTP handlers ask of its sockets and rooms.
 * `onRoleSet` hears of every socket whose role it sets (a role read meanwhile is older);
 * `accessChanges` of every session ended, role set and board deleted, for upgrades still in flight.
 */
export function createHub(
	rooms: Rooms,
	connections: ReadonlySet<Connection>,
	locks: Pick<LockCache, 'set' | 'forget'>,
	onRoleSet: (connection: Connection) => void = () => {},
	accessChanges: AccessChanges = new AccessChanges()
): SyncHub {
	return {
		async closeSession(sessionId) {
			accessChanges.sessionEnded(sessionId);
			for (const connection of connections) {
				if (connection.sessionId === sessionId) connection.socket.close(CLOSE_CODES.sessionEnded, 'Signed out');
			}
		},
		async setMemberRole(boardId, userId, role: Role | null) {
			accessChanges.memberChanged(boardId, userId);
			const room = rooms.peek(boardId);
			// Every socket of the board, those still waiting for its room to load included.
			for (const connection of connections) {
				if (connection.boardId !== boardId || connection.userId !== userId) continue;
				if (role === null) {
					connection.socket.close(CLOSE_CODES.accessRevoked, 'Removed from the board');
					continue;
				}
				const couldWrite = canWrite(connection);
				connection.role = role;
				onRoleSet(connection);
				// A read-only client keeps its dropped edits and its later updates build on them, so
				// they would stay pending here forever. Sync step 1 makes it send what the room lacks
				// (a socket still waiting for the room gets it when it joins).
				if (!couldWrite && canWrite(connection) && room?.connections.has(connection)) send(connection, encodeSyncStep1(room.stateVector()));
			}
		},
		async closeBoard(boardId) {
			accessChanges.boardDeleted(boardId);
			rooms.drop(boardId, CLOSE_CODES.boardDeleted);
			locks.forget(boardId);
		},
		async setLocked(boardId, locked) {
			locks.set(boardId, locked);
			const room = rooms.peek(boardId);
			// Like a promotion: writers send what the room lacks once they may write again.
			if (!locked && room)
				for (const connection of room.connections) if (canWrite(connection)) send(connection, encodeSyncStep1(room.stateVector()));
		},
		async presentStage(boardId, stageId) {
			presentStage(boardId, stageId);
		},
		async editDocument(boardId, edit) {
			const room = await rooms.open(boardId);
			room.doc.transact(() => edit(room.doc));
			rooms.released(room);
		},
		async readDocument(boardId, read) {
			const room = await rooms.open(boardId);
			try {
				return read(room.doc);
			} finally {
				rooms.released(room);
			}
		}
	};
}

/**
 * Reads the role of every person connected again and applies any change to their sockets (a
 * removal closes them): for what another process changed while this one could not hear it.
 */
export async function recheckRoles(db: Db, connections: ReadonlySet<Connection>, hub: SyncHub): Promise<void> {
	const held = new Map<string, { boardId: string; userId: string; roles: Set<Role> }>();
	for (const { boardId, userId, role } of connections) {
		const key = `${boardId}\n${userId}`;
		const entry = held.get(key) ?? { boardId, userId, roles: new Set<Role>() };
		entry.roles.add(role);
		held.set(key, entry);
	}
	for (const { boardId, userId, roles } of held.values()) {
		const role = await roleOf(db, boardId, userId);
		if (role === null || roles.size > 1 || !roles.has(role)) await hub.setMemberRole(boardId, userId, role);
	}
}
