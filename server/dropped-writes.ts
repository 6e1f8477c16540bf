import { send, type Connection } from './connection';
import type { Room } from './room';
import { encodeSyncStep1 } from './protocol';

/**
 * Updates a socket may send, after some of its writes were dropped, that build on those dropped
 * writes, before it is closed as any sender of such updates is (1002). An honest client sends a
 * few keystrokes between the moment it may write again and its answer to the sync step 1 that
 * moment brings, which carries the dropped writes and these.
 */
export const MAX_UPDATES_WHILE_CATCHING_UP = 20;

interface SocketState {
	/** Updates refused for building on content the board lacks since its last applied update. */
	refused: number;
	/** Whether this socket was sent a sync step 1 since its last dropped write. */
	asked: boolean;
}

/**
 * What becomes of a socket whose document writes were dropped (a viewer's, an editor's on a
 * locked board, or sent in the moment before a promotion reached this process). A Yjs client keeps
 * its dropped edits and builds its next ones on them; once it may write again, those next updates
 * depend on content the board does not have until the client answers the sync step 1 it is sent.
 * Such an update is then dropped (the answer brings it) rather than closing the socket.
 */
export class DroppedWrites {
	readonly #sockets = new WeakMap<Connection, SocketState>();

	/** A write of the socket was dropped. */
	dropped(connection: Connection): void {
		const state = this.#sockets.get(connection);
		if (state) state.asked = false;
		else this.#sockets.set(connection, { refused: 0, asked: false });
	}

	/** An update of the socket was applied: it holds nothing the board lacks any more (as far as can be told). */
	applied(connection: Connection): void {
		this.#sockets.delete(connection);
	}

	/**
	 * An update of the socket builds on content the board lacks. True when that is a dropped write
	 * catching up: the update is dropped and the socket asked, once, for what the room lacks. False:
	 * refuse it as any such update (close the socket).
	 */
	catchingUp(room: Room, connection: Connection): boolean {
		const state = this.#sockets.get(connection);
		if (!state || ++state.refused > MAX_UPDATES_WHILE_CATCHING_UP) return false;
		if (!state.asked) {
			state.asked = true;
			send(connection, encodeSyncStep1(room.stateVector()));
		}
		return true;
	}
}
