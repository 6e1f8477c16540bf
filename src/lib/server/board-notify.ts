import { closeStreams, publish, type BoardEvent } from './board-event-streams';
import { syncHub, type SyncHub } from './sync-hub';

/** What a change to a board, once stored, means for the people on it. */
export interface BoardNotice {
	/**
	 * What the live sync server must apply: a new role or lock, a closed board, an edit. A service
	 * whose request must fail when the edit cannot be applied awaits `syncHub().editDocument` itself.
	 */
	live?: (hub: SyncHub) => void | Promise<void>;
	/** Event streams to close: every one on the board, or one member's. */
	closeStreams?: 'board' | { userId: string };
	/** The event sent to everyone still on the board. */
	event?: BoardEvent['type'];
}

/**
 * Ends every service that changes a board, after its database writes: the live sync server
 * first, then the board's event streams, so a client refetching on the event sees the change.
 * Resolves once the live change holds on every process, so the service answers after that.
 */
export async function notifyBoard(boardId: string, notice: BoardNotice): Promise<void> {
	const applied = notice.live?.(syncHub());
	if (notice.closeStreams) {
		closeStreams(notice.closeStreams === 'board' ? { boardId } : { boardId, userId: notice.closeStreams.userId });
	}
	if (notice.event) publish(boardId, { type: notice.event });
	// The change is stored already; a live edit that fails (the board could not be loaded) is logged.
	await applied?.catch((error: unknown) => console.error(`live change of board ${boardId} not applied:`, error));
}
