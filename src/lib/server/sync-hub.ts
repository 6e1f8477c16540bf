import type * as Y from 'yjs';
import type { Role } from '../journey/roles';
import { presentStage } from './presentation';

/**
 * What HTTP handlers may ask of the live sync server. The production server and the SvelteKit
 * handler are bundled apart but share a process, so the server registers itself on `globalThis`.
 * Each change resolves once every process serving the boards has applied it: a handler answers
 * after that, so what a client sends once it has the answer meets the change everywhere.
 */
export interface SyncHub {
	/** Closes every socket opened with this session (log-out). */
	closeSession(sessionId: string): Promise<void>;
	/** Applies a member's new role to their open sockets, or closes them when `role` is null. */
	setMemberRole(boardId: string, userId: string, role: Role | null): Promise<void>;
	/** Closes every socket of a deleted board and drops its room. */
	closeBoard(boardId: string): Promise<void>;
	/** Locks or unlocks a board: while locked only owners' document writes are applied. */
	setLocked(boardId: string, locked: boolean): Promise<void>;
	/** Presents a stage of the board to the facilitator's followers, or ends it (null), on every process. */
	presentStage(boardId: string, stageId: string | null): Promise<void>;
	/**
	 * Edits a board's live document on the server, loading its room when nobody has it open; the
	 * edit is stored and relayed like any other. Rejects when the board cannot be loaded.
	 */
	editDocument(boardId: string, edit: (doc: Y.Doc) => void): Promise<void>;
	/** Reads a board's live document on the server (loading its room as `editDocument` does); `read` must not change it. */
	readDocument<T>(boardId: string, read: (doc: Y.Doc) => T): Promise<T>;
}

const HUB_KEY = Symbol.for('journey-workspace.sync-hub');
type GlobalWithHub = typeof globalThis & { [HUB_KEY]?: SyncHub };

/** Registers the running sync server. */
export function registerSyncHub(hub: SyncHub): void {
	(globalThis as GlobalWithHub)[HUB_KEY] = hub;
}

/** The running sync server; a no-op when none runs (e.g. while building). */
export function syncHub(): SyncHub {
	return (globalThis as GlobalWithHub)[HUB_KEY] ?? NO_HUB;
}

const NO_HUB: SyncHub = {
	async closeSession() {},
	async setMemberRole() {},
	async closeBoard() {},
	async setLocked() {},
	async presentStage(boardId, stageId) {
		presentStage(boardId, stageId);
	},
	async editDocument() {
		throw new Error('The sync server is not running');
	},
	async readDocument() {
		throw new Error('The sync server is not running');
	}
};
