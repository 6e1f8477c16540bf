import * as decoding from 'lib0/decoding';
import type { RawData } from 'ws';
import type { Role } from '../src/lib/journey/roles';
import { CLOSE_CODES } from './close-codes';
import type { Connection } from './connection';

/**
 * Least time between two reads of one socket's role (ms): a viewer whose client sends edits
 * without end costs one query per interval, each edit meanwhile is dropped at once.
 */
export const ROLE_RECHECK_INTERVAL_MS = 2_000;

/**
 * Frames a socket may send while its role is read again; they are handled, in order, once it is
 * (as while its board loads). An honest client sends a few keystrokes and its presence meanwhile.
 */
export const MAX_FRAMES_WHILE_RECHECKING = 100;

/** Where a person's role is read, and how a role read is applied to this process's sockets. */
export interface RoleSource {
	/** The person's role on the board as stored now (null: not a member). Rejects when it cannot be read. */
	read(boardId: string, userId: string): Promise<Role | null>;
	/** Applies a role read to this process's sockets of that person (the hub's `setMemberRole`). */
	apply(boardId: string, userId: string, role: Role | null): void;
}

/** Handles one held frame again, through the message handler. */
export type Replay = (data: RawData, isBinary: boolean) => void;

interface SocketState {
	/** When its role was last read (performance.now()). */
	checkedAt: number;
	/** Frames held while a read is in flight, in the order received; null while none is. */
	held: [RawData, boolean][] | null;
	heldBytes: number;
	/** How many times the hub set its role: a read that started before a set is older than it. */
	roleSets: number;
}

/**
 * Reads a read-only socket's role again before its document write is dropped. A promotion made
 * through another process reaches this one as a hub event a moment later; an edit the person
 * sends in that moment is applied once the database says they may write, instead of being lost.
 *
 * One read in flight per socket; the socket's later frames are held, in order, until it resolves
 * (at most `MAX_FRAMES_WHILE_RECHECKING` frames and `maxHeldBytes` bytes, past which the socket is
 * closed with 1008). A role read fails, or still says read-only: the write is dropped as before.
 */
export class RoleRecheck {
	readonly #sockets = new WeakMap<Connection, SocketState>();

	constructor(
		private readonly source: RoleSource,
		private readonly maxHeldBytes: number,
		private readonly intervalMs = ROLE_RECHECK_INTERVAL_MS
	) {
		if (!(intervalMs > 0)) throw new Error('the role re-check interval must be positive');
	}

	/** Holds a frame of a socket whose role is being read; false when none is (handle the frame now). */
	hold(connection: Connection, data: RawData, isBinary: boolean): boolean {
		const state = this.#sockets.get(connection);
		if (!state?.held) return false;
		this.#keep(connection, state, data, isBinary);
		return true;
	}

	/**
	 * A read-only socket sent a document write (`update`, in the frame `data`): reads its role again
	 * unless that was done within the interval, or the update adds no content (every client answers
	 * the server's sync step 1 so on connecting, with its delete set at most: a deletion a promoted
	 * person makes in that moment comes with their answer to the step 1 the promotion sends). True
	 * when the read started and the frame is held (`replay` handles it and the frames held behind it
	 * once the role read is applied); false: drop the write now.
	 */
	begin(connection: Connection, update: Uint8Array, data: RawData, isBinary: boolean, replay: Replay): boolean {
		const state = this.#stateOf(connection);
		const now = performance.now();
		if (state.held || now - state.checkedAt < this.intervalMs || !addsContent(update)) return false;
		state.checkedAt = now;
		state.held = [];
		state.heldBytes = 0;
		this.#keep(connection, state, data, isBinary);
		const setsBefore = state.roleSets;
		const { boardId, userId } = connection;
		this.source
			.read(boardId, userId)
			.then(
				(role) => {
					// A role the hub set while the read was under way is newer than what it read.
					if (state.roleSets === setsBefore && role !== connection.role) this.source.apply(boardId, userId, role);
				},
				(error: unknown) => console.error(`board ${boardId}: reading a role again failed; the edit is dropped`, error)
			)
			.finally(() => this.#release(connection, state, replay));
		return true;
	}

	/** The hub set this socket's role (from this process or a hub event). */
	roleSet(connection: Connection): void {
		const state = this.#sockets.get(connection);
		if (state) state.roleSets += 1;
	}

	#stateOf(connection: Connection): SocketState {
		let state = this.#sockets.get(connection);
		if (!state) this.#sockets.set(connection, (state = { checkedAt: -Infinity, held: null, heldBytes: 0, roleSets: 0 }));
		return state;
	}

	#keep(connection: Connection, state: SocketState, data: RawData, isBinary: boolean): void {
		const { socket } = connection;
		if (socket.readyState !== socket.OPEN) return;
		state.heldBytes += byteLength(data);
		if (state.held!.push([data, isBinary]) > MAX_FRAMES_WHILE_RECHECKING || state.heldBytes > this.maxHeldBytes) {
			state.held = [];
			state.heldBytes = 0;
			socket.close(CLOSE_CODES.policyViolation, 'Too many frames while the role was checked');
		}
	}

	#release(connection: Connection, state: SocketState, replay: Replay): void {
		const frames = state.held ?? [];
		state.held = null;
		state.heldBytes = 0;
		// The interval runs from the answer: a slow database is not asked again at once.
		state.checkedAt = performance.now();
		// Each frame goes through the handler again; should one start a new read, the rest are held behind it.
		for (const [data, isBinary] of frames) {
			if (connection.socket.readyState !== connection.socket.OPEN) return;
			replay(data, isBinary);
		}
	}
}

function byteLength(data: RawData): number {
	if (Array.isArray(data)) return data.reduce((total, part) => total + part.byteLength, 0);
	return data.byteLength;
}

/**
 * Whether an update holds content (structs), not only deletions: a V1 update opens with how many
 * clients' structs it holds. A malformed one counts as none (it is dropped unread).
 */
function addsContent(update: Uint8Array): boolean {
	try {
		return decoding.readVarUint(decoding.createDecoder(update)) > 0;
	} catch {
		return false;
	}
}
