import { closeStreams, publish, type BoardEvent } from './board-event-streams';
import { syncHub, type SyncHub } from './sync-hub';

/** What a change to a board, once stored, means for the people on it. */
export interface BoardNotice {
	/** What the live sync server must apply: a new role or lock, a closed board, an edit. */
	live?: (hub: SyncHub) => void;
	/** Event streams to close: every one on the board, or one member's. */
	closeStreams?: 'board' | { userId: string };
	/** The event sent to everyone still on the board. */
	event?: BoardEvent['type'];
}

/**
 * Ends every service that changes a board, after its database writes: the live sync server
 * first, then the board's event streams, so a client refetching on the event sees the change.
 */
export function notifyBoard(boardId: string, notice: BoardNotice): void {
	notice.live?.(syncHub());
	if (notice.closeStreams) {
		closeStreams(notice.closeStreams === 'board' ? { boardId } : { boardId, userId: notice.closeStreams.userId });
	}
	if (notice.event) publish(boardId, { type: notice.event });
}
