import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { renameBoard } from '../src/lib/server/boards';
import type { Db } from '../src/lib/server/db';
import { appendUpdates, compact, loadDoc } from '../src/lib/server/doc-store';
import { BOARD_MAP, readTitle } from '../src/lib/journey/document';
import { LIMITS } from '../src/lib/journey/schema';
import { send, type Connection } from './connection';
import { encodeAwareness, encodeSyncUpdate } from './protocol';

/** Compact a board's log into its snapshot once it holds this many updates. */
export const COMPACT_AFTER_UPDATES = 500;

/** One board's live document, its awareness and the sockets on it. */
export class Room {
	readonly doc: Y.Doc;
	readonly awareness: awarenessProtocol.Awareness;
	readonly connections = new Set<Connection>();
	#logLength: number;

	constructor(
		readonly boardId: string,
		private readonly db: Db,
		private readonly onBroken: (room: Room) => void
	) {
		const stored = loadDoc(db, boardId);
		this.doc = stored.doc;
		this.#logLength = stored.logLength;
		this.awareness = new awarenessProtocol.Awareness(this.doc);
		this.awareness.setLocalState(null);
		this.doc.on('update', this.#onUpdate);
		this.doc.getMap(BOARD_MAP).observe(this.#onBoardChange);
		this.awareness.on('update', this.#onAwareness);
	}

	/** Applies a checked update from a writer; it is stored, then relayed to everyone else. */
	applyUpdate(update: Uint8Array, origin: Connection): void {
		Y.applyUpdate(this.doc, update, origin);
	}

	/** Applies an awareness update from a socket. */
	applyAwareness(update: Uint8Array, origin: Connection): void {
		awarenessProtocol.applyAwarenessUpdate(this.awareness, update, origin);
	}

	/** The awareness states of everyone present, for a newcomer. */
	awarenessFrame(): Uint8Array | null {
		const clients = [...this.awareness.getStates().keys()];
		return clients.length === 0 ? null : encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients));
	}

	/** Removes a socket and the awareness states it announced. */
	leave(connection: Connection): void {
		if (!this.connections.delete(connection)) return;
		if (connection.awarenessIds.size > 0) {
			awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessIds], null);
		}
	}

	/** Folds the log into a snapshot. */
	compact(): void {
		compact(this.db, this.boardId, this.doc);
		this.#logLength = 0;
	}

	destroy(): void {
		this.awareness.destroy();
		this.doc.destroy();
	}

	broadcast(frame: Uint8Array, except: Connection | null): void {
		for (const connection of this.connections) {
			if (connection !== except) send(connection, frame);
		}
	}

	// Stored before relayed: an update any client has seen is already in SQLite.
	#onUpdate = (update: Uint8Array, origin: unknown) => {
		try {
			appendUpdates(this.db, [{ boardId: this.boardId, update }]);
		} catch (error) {
			console.error(`board ${this.boardId}: storing an update failed`, error);
			this.onBroken(this);
			return;
		}
		this.#logLength += 1;
		this.broadcast(encodeSyncUpdate(update), origin as Connection | null);
		if (this.#logLength >= COMPACT_AFTER_UPDATES) this.compact();
	};

	#onBoardChange = () => {
		const title = readTitle(this.doc).trim().slice(0, LIMITS.title);
		if (title) renameBoard(this.db, this.boardId, title);
	};

	#onAwareness = (
		{ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
		origin: unknown
	) => {
		const changed = [...added, ...updated, ...removed];
		if (origin && typeof origin === 'object' && 'awarenessIds' in origin) {
			const connection = origin as Connection;
			for (const id of added) connection.awarenessIds.add(id);
			for (const id of removed) connection.awarenessIds.delete(id);
		}
		this.broadcast(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)), null);
	};
}

