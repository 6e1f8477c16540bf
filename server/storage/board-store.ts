/**
 * The sync server's storage port: everything `Room`, `TurnLog`, `Rooms` and `DailyVersions` ask
 * of a database, so none of them imports one. A board's document is stored as a snapshot plus a
 * log of updates appended in order (log-structured, like Hocuspocus's `onStoreDocument` with the
 * Yjs updates themselves rather than whole states, and with a per-board number for each append
 * like tldraw's `TLSyncStorage` clock). Every method is asynchronous, so a store that talks to a
 * server (PostgreSQL) fits as well as an embedded one (SQLite, `sqlite-board-store.ts`) or a Map
 * (`memory-board-store.ts`, for unit tests).
 */

/** A board's stored document, as a room loads it. */
export interface StoredBoard {
	/** The snapshot and every logged update merged into one V1 update. */
	state: Uint8Array;
	/** The state's state vector when it came stored with it (nothing in the log), else null. */
	stateVector: Uint8Array | null;
	/** Updates in the log after the snapshot (the room compacts once there are enough). */
	logLength: number;
	/** Bytes the document takes in the store (snapshot plus log): where the update guard's size estimate starts. */
	storedBytes: number;
	/**
	 * For a store that numbers each board's log (see `AppendReceipt.sequences`): the last sequence
	 * number the state holds. Updates numbered after it are what another process appended since.
	 */
	seq?: number;
}

/** A logged update with its place in its board's log. */
export interface SequencedUpdate {
	seq: number;
	/** A V1 update. */
	update: Uint8Array;
}

/** One board's update of a turn, appended to its log. */
export interface BoardUpdate {
	boardId: string;
	/** A V1 update. */
	update: Uint8Array;
}

/** What an append made durable. */
export interface AppendReceipt {
	/**
	 * Each appended board's last log sequence number after the append, for a store that numbers
	 * every board's log without gaps (so another process can tell it missed an update). Absent for
	 * a store that does not (SQLite's log ids are shared by all boards).
	 */
	sequences?: ReadonlyMap<string, number>;
}

/** The state a compaction folds a board's log into. */
export interface BoardSnapshot {
	/** V1; holds at least the board's `folded` oldest logged updates. */
	state: Uint8Array;
	stateVector: Uint8Array;
	/**
	 * How many of the oldest updates in the board's log (as loaded, plus those appended since) the
	 * state holds. Updates appended after it was encoded may be in the log by the time it is
	 * stored; they stay there.
	 */
	folded: number;
	/**
	 * For a store that numbers logs: the last sequence number the state holds (every update up to
	 * it, whichever process appended it). Such a store folds by it rather than by `folded`.
	 */
	seq?: number;
}

/** Where the sync server keeps boards' documents. */
export interface BoardStore {
	/** Reads a board's snapshot and log. Rejects when the store cannot be read. */
	load(boardId: string): Promise<StoredBoard>;

	/**
	 * Appends updates to one or more boards' logs in one transaction, in the order given, and
	 * resolves once it has committed: only then may they be relayed. Rejects, having stored none
	 * of them, when it cannot (storage full, a board deleted meanwhile).
	 */
	append(updates: readonly BoardUpdate[]): Promise<AppendReceipt>;

	/**
	 * For a store that numbers logs: the board's logged updates numbered after `afterSeq`, in order,
	 * so a process that missed some (a gap in what it heard, a lost subscription) catches up. Null
	 * when the log no longer holds all of them (a compaction folded some): load the board instead.
	 */
	loadSince?(boardId: string, afterSeq: number): Promise<SequencedUpdate[] | null>;

	/** Replaces a board's snapshot with `snapshot` and drops the logged updates it folds in (its `folded` oldest), in one transaction. */
	compact(boardId: string, snapshot: BoardSnapshot): Promise<void>;

	/**
	 * Keeps the board's automatic version of the day (UTC), holding `stateBeforeEdit` (V1), unless
	 * the board already has one for today. Resolves whether it saved one.
	 */
	saveDailyVersion(boardId: string, stateBeforeEdit: Uint8Array): Promise<boolean>;
}

/**
 * What a room tells the rest of the product about its document's changes. Side effects, never in
 * the write's path: a failure is logged, and neither the edit nor its relay waits for them.
 */
export interface BoardEvents {
	/** The board's title in the document changed (trimmed, at most `LIMITS.title`): the board list shows it. */
	titleChanged(boardId: string, title: string): Promise<void>;
	/** A writer gave an action to someone else: it goes into their next mail digest. */
	actionAssigned(boardId: string, actionId: string, assigneeId: string): Promise<void>;
}
