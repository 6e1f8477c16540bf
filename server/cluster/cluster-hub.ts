import type { SyncHub } from '../../src/lib/server/sync-hub';
import type { BoardBus, ClusterEvent } from './board-bus';

/**
 * The hub of a process among several: sign-outs, role changes and removals, deleted boards and
 * the facilitator's lock and presented stage are applied by this process's hub and by every other process's, through
 * the bus, so a removed member's sockets close wherever they are. Document edits and reads stay
 * local: an edit is stored, then reaches the others as any update does. Each event resolves once
 * every process has applied it, so the request that caused it is answered after that: a frame a
 * signed-out or removed person sends once they had the answer finds their socket closed everywhere.
 */
export function clusterHub(hub: SyncHub, bus: BoardBus): SyncHub {
	bus.onEvent((event) => apply(hub, event));
	const everywhere = async (event: ClusterEvent) => {
		await Promise.all([apply(hub, event), bus.publishEvent(event)]);
	};
	return {
		closeSession: (sessionId) => everywhere({ type: 'close-session', sessionId }),
		setMemberRole: (boardId, userId, role) => everywhere({ type: 'set-member-role', boardId, userId, role }),
		closeBoard: (boardId) => everywhere({ type: 'close-board', boardId }),
		setLocked: (boardId, locked) => everywhere({ type: 'set-locked', boardId, locked }),
		presentStage: (boardId, stageId) => everywhere({ type: 'present-stage', boardId, stageId }),
		editDocument: (boardId, edit) => hub.editDocument(boardId, edit),
		readDocument: (boardId, read) => hub.readDocument(boardId, read)
	};
}

/** Applies an event to this process's sockets and rooms (done by the time it returns: the local hub's work is synchronous). */
function apply(hub: SyncHub, event: ClusterEvent): Promise<void> | undefined {
	switch (event.type) {
		case 'close-session':
			return hub.closeSession(event.sessionId);
		case 'set-member-role':
			return hub.setMemberRole(event.boardId, event.userId, event.role);
		case 'close-board':
			return hub.closeBoard(event.boardId);
		case 'set-locked':
			return hub.setLocked(event.boardId, event.locked);
		case 'present-stage':
			return hub.presentStage(event.boardId, event.stageId);
	}
}
