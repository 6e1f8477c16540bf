import type { Role } from '../../src/lib/journey/roles';
import type { BoardEvent, StreamMatch } from '../../src/lib/server/board-event-streams';

/**
 * How processes that serve the same boards tell each other what happened, without a database:
 * stored updates (with their place in the board's log), presence, and the hub's events. Redis
 * pub/sub in production (`redis-board-bus.ts`), an in-memory network in unit tests
 * (`memory-board-bus.ts`). A bus only carries messages: it keeps nothing, and a message may be
 * lost (Redis down, a subscription not yet active), so a room also tracks the sequence numbers
 * it holds and reads what it missed from the store.
 *
 * Every method is safe to call while the bus is down: a publish is dropped, a subscription is
 * made once it is up again. Nothing a bus does may throw into the sync server or crash the process.
 */
export interface BoardBus {
	/** This process's id, sent with every message; a bus never hands a process its own messages. */
	readonly processId: string;
	/** Whether messages flow now (connected, and every board's subscription active). */
	readonly connected: boolean;
	/**
	 * Subscribes to one board's messages from other processes (replacing an earlier listener of
	 * the board). Resolves once the subscription is active, or at once while the bus is down.
	 */
	subscribe(boardId: string, listener: (message: ReceivedBoardMessage) => void): Promise<void>;
	unsubscribe(boardId: string): void;
	/** Sends a message to the other processes subscribed to the board (dropped while down). */
	publish(boardId: string, message: BoardMessage): void;
	/** Listens to the process-wide events of other processes. */
	onEvent(listener: (event: ClusterEvent) => void): void;
	/**
	 * Sends a process-wide event to every other process. Resolves once each process that heard it
	 * has applied it (each answers), so a sign-out or a removal holds on every process before its
	 * request is answered; a process that does not answer is waited for no longer than the bus's
	 * acknowledgement timeout. Resolves at once while the bus is down (the event is dropped); never rejects.
	 */
	publishEvent(event: ClusterEvent): Promise<void>;
	/** Listens to the bus going down (false) and coming back with every subscription active (true). */
	onConnection(listener: (connected: boolean) => void): void;
	/** Stops listening and disconnects. */
	close(): Promise<void>;
}

/** One board's message over the bus. */
export type BoardMessage =
	| {
			kind: 'update';
			/**
			 * The update's sequence number in the board's log, for a store that numbers logs (0: not
			 * numbered). Published only once the transaction that stored it has committed.
			 */
			seq: number;
			/** A V1 update. */
			update: Uint8Array;
	  }
	| {
			/** An awareness update (y-protocols) of the sender's own sockets' clients: states, or their removal. */
			kind: 'presence';
			update: Uint8Array;
			/** The person who owns each of its client ids, as the sender knows them (absent from an older sender). */
			owners?: ReadonlyMap<number, string>;
	  }
	| {
			/**
			 * The sender applies presence of its own sockets on the board now, and takes its share of the
			 * board's presence budget (`presence-peers.ts`); repeated every second while it does.
			 */
			kind: 'presence-peer';
	  }
	| {
			/**
			 * The last log number the sender holds of the board, announced when its bus comes back: an
			 * update it stored while its bus was down reached nobody, and a receiver that lacks a number
			 * up to it reads the missing updates from the store.
			 */
			kind: 'head';
			seq: number;
	  };

/** A board message as it arrives, with the process that sent it. */
export type ReceivedBoardMessage = BoardMessage & { from: string };

/** What the hub applies on every process (`cluster-hub.ts`). */
export type ClusterEvent =
	| { type: 'close-session'; sessionId: string }
	| { type: 'set-member-role'; boardId: string; userId: string; role: Role | null }
	| { type: 'close-board'; boardId: string }
	| { type: 'set-locked'; boardId: string; locked: boolean }
	/** The stage the board's facilitator presents (null: the presentation ended). */
	| { type: 'present-stage'; boardId: string; stageId: string | null }
	/** A board's event for its event streams (`GET /api/boards/:id/events`). */
	| { type: 'board-event'; boardId: string; event: BoardEvent['type'] }
	/** Event streams to close: a session's, a board's, or a member's on a board (at least one given). */
	| { type: 'close-streams'; match: StreamMatch };
