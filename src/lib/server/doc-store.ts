import { asc, count, eq, lte, and, max, sql } from 'drizzle-orm';
import type { Statement } from 'better-sqlite3';
import * as Y from 'yjs';
import { isPostgres, type Db } from './db';
import type { PgDb } from './db/pg';
import { tables } from './db/tables';
import { transaction } from './db/transaction';

/** Persistence of a board's `Y.Doc`: a snapshot (V1, with its state vector) plus a log of V1 updates appended in order. */
export interface StoredDoc {
	doc: Y.Doc;
	/** Updates in the log after the snapshot. */
	logLength: number;
}

/** The log's statements, prepared once per SQLite connection (PostgreSQL goes through the query builder). */
interface LogStatements {
	/** A board's logged updates in order, as bare buffers. */
	read: Statement<[string], Buffer>;
	append: (entries: readonly { boardId: string; update: Uint8Array }[], now: number) => void;
	/** A board's stored state key (`storedStateKey`): asked by every read of the board. */
	stateKey: Statement<[string, string], string>;
}

const logStatements = new WeakMap<Db, LogStatements>();

function statementsFor(db: Db): LogStatements {
	let statements = logStatements.get(db);
	if (statements) return statements;
	// Prepared on the raw connection: appends run once per busy event-loop turn, and building the
	// same statements through the query builder each time cost more than the inserts; reading a
	// long log through it cost more than applying it.
	const sqlite = db.$client;
	const read = sqlite.prepare<[string], Buffer>('SELECT "update" FROM board_updates WHERE board_id = ? ORDER BY id').pluck();
	const insert = sqlite.prepare<[string, Buffer, number]>('INSERT INTO board_updates (board_id, "update", created_at) VALUES (?, ?, ?)');
	const touch = sqlite.prepare<[number, string]>('UPDATE boards SET updated_at = ? WHERE id = ?');
	const append = sqlite.transaction((entries: readonly { boardId: string; update: Uint8Array }[], now: number) => {
		for (const { boardId, update } of entries) insert.run(boardId, Buffer.from(update.buffer, update.byteOffset, update.byteLength), now);
		for (const boardId of new Set(entries.map((entry) => entry.boardId))) touch.run(now, boardId);
	});
	const stateKey = sqlite
		.prepare<[string, string], string>(
			`SELECT coalesce((SELECT updated_at FROM board_snapshots WHERE board_id = ?), '') || ':' ||
				coalesce((SELECT max(id) FROM board_updates WHERE board_id = ?), '')`
		)
		.pluck();
	statements = { read, append, stateKey };
	logStatements.set(db, statements);
	return statements;
}

/**
 * Appends updates to boards' logs in one transaction; the caller relays them only after. SQLite
 * only: on PostgreSQL the sync server's board store appends, numbering each board's log.
 */
export function appendUpdates(db: Db, entries: readonly { boardId: string; update: Uint8Array }[]): void {
	if (entries.length === 0) return;
	statementsFor(db).append(entries, Date.now());
}

/** A board's stored state as one update, without building a `Y.Doc`. */
export interface StoredState {
	/** The snapshot and every logged update merged (V1). */
	state: Uint8Array;
	/** The state's state vector when it came stored with it (nothing in the log), else null. */
	stateVector: Uint8Array | null;
	/** Updates in the log after the snapshot. */
	logLength: number;
	/** Bytes the document takes in the store: its snapshot (as stored) plus every update in its log. */
	storedBytes: number;
}

interface StoredParts {
	/** The snapshot as V1, or null for a board without one. */
	snapshot: Uint8Array | null;
	stateVector: Uint8Array | null;
	log: Uint8Array[];
	/** The snapshot's length as stored (V2 snapshots are smaller than their V1 form). */
	snapshotBytes: number;
}

async function readStored(db: Db, boardId: string): Promise<StoredParts> {
	const { boardSnapshots, boardUpdates } = tables(db);
	// The log before the snapshot: a compaction committed between the two reads leaves updates in
	// both (applying one twice changes nothing), never in neither.
	const log = isPostgres(db)
		? (
				await db
					.select({ update: boardUpdates.update })
					.from(boardUpdates)
					.where(eq(boardUpdates.boardId, boardId))
					.orderBy(asc(boardUpdates.id))
			).map((row) => row.update)
		: statementsFor(db).read.all(boardId);
	const [snapshot] = await db
		.select({ state: boardSnapshots.state, format: boardSnapshots.format, stateVector: boardSnapshots.stateVector })
		.from(boardSnapshots)
		.where(eq(boardSnapshots.boardId, boardId))
		.limit(1);
	return {
		snapshot: !snapshot ? null : snapshot.format === 'v1' ? snapshot.state : Y.convertUpdateFormatV2ToV1(snapshot.state),
		stateVector: snapshot?.stateVector ?? null,
		log,
		snapshotBytes: snapshot?.state.length ?? 0
	};
}

/** Loads a board's document by applying its snapshot and then its log. */
export async function loadDoc(db: Db, boardId: string): Promise<StoredDoc> {
	const { snapshot, log } = await readStored(db, boardId);
	return { doc: docOf(snapshot, log), logLength: log.length };
}

/**
 * A board's stored updates in the order they apply (snapshot first), read without merging or
 * building a `Y.Doc`, so the work of applying them can be done elsewhere (a render worker).
 */
export async function storedUpdates(db: Db, boardId: string): Promise<Uint8Array[]> {
	const { snapshot, log } = await readStored(db, boardId);
	return snapshot ? [snapshot, ...log] : log;
}

/**
 * Loads a board's state as one update without building a `Y.Doc` when it can: a compacted board
 * is its snapshot as stored, and a short log is merged into it byte-wise.
 */
export async function loadState(db: Db, boardId: string): Promise<StoredState> {
	const { snapshot, stateVector, log, snapshotBytes } = await readStored(db, boardId);
	if (log.length === 0) return { state: snapshot ?? EMPTY_UPDATE, stateVector, logLength: 0, storedBytes: snapshotBytes };
	// Merging costs more than integrating once the log is long (it grows faster than linearly).
	const state = log.length > MERGE_LOG_LIMIT ? encodeAndDestroy(docOf(snapshot, log)) : Y.mergeUpdates(snapshot ? [snapshot, ...log] : log);
	return { state, stateVector: null, logLength: log.length, storedBytes: log.reduce((sum, update) => sum + update.length, snapshotBytes) };
}

/** Longest log merged byte-wise on load; a longer one (left by failed compactions) is integrated. */
const MERGE_LOG_LIMIT = 1_000;

/** Logged updates applied in one transaction when a board is loaded into a `Y.Doc`. */
const LOG_UPDATES_PER_TRANSACTION = 200;

/** An update that holds nothing. */
const EMPTY_UPDATE = new Uint8Array([0, 0]);

/** A new `Y.Doc` holding the snapshot (when there is one) and then the logged updates. */
export function docOf(snapshot: Uint8Array | null, log: readonly Uint8Array[]): Y.Doc {
	const doc = new Y.Doc({ gc: true });
	if (snapshot) Y.applyUpdate(doc, snapshot);
	// A few hundred updates per transaction: one each pays a transaction's clean-up per update,
	// one for all keeps every struct in a single transaction's bookkeeping; both cost about twice.
	for (let start = 0; start < log.length; start += LOG_UPDATES_PER_TRANSACTION) {
		doc.transact(() => {
			for (const update of log.slice(start, start + LOG_UPDATES_PER_TRANSACTION)) Y.applyUpdate(doc, update);
		});
	}
	return doc;
}

/** A board's state as a compaction stores it: V1, with its state vector. */
export interface FoldedSnapshot {
	state: Uint8Array;
	stateVector: Uint8Array;
}

/**
 * Folds a state and the updates logged after it into one snapshot, through a `Y.Doc` so that
 * what the updates deleted is garbage-collected. A render worker does this for a live room's
 * compaction, off the event loop that relays edits.
 */
export function foldedSnapshot(updates: readonly Uint8Array[]): FoldedSnapshot {
	const [state = null, ...log] = updates;
	const doc = docOf(state, log);
	try {
		return { state: Y.encodeStateAsUpdate(doc), stateVector: Y.encodeStateVector(doc) };
	} finally {
		doc.destroy();
	}
}

function encodeAndDestroy(doc: Y.Doc): Uint8Array {
	try {
		return Y.encodeStateAsUpdate(doc);
	} finally {
		doc.destroy();
	}
}

/**
 * Names the board's stored state: it changes with every update logged and every compaction (log
 * ids are never reused), so what was derived from the state can be kept until it does.
 */
export async function storedStateKey(db: Db, boardId: string): Promise<string> {
	if (!isPostgres(db)) return statementsFor(db).stateKey.get(boardId, boardId)!;
	const { boardSnapshots, boardUpdates } = tables(db);
	// One statement, so the snapshot time and the last log id are read from the same state.
	const { rows } = await (db as unknown as PgDb).execute<{ key: string }>(
		sql`SELECT coalesce((SELECT cast(${boardSnapshots.updatedAt} AS text) FROM ${boardSnapshots} WHERE ${boardSnapshots.boardId} = ${boardId}), '') || ':' ||
			coalesce((SELECT cast(max(${boardUpdates.id}) AS text) FROM ${boardUpdates} WHERE ${boardUpdates.boardId} = ${boardId}), '') AS key`
	);
	return rows[0].key;
}

/** Number of updates in a board's log. */
export async function logLength(db: Db, boardId: string): Promise<number> {
	const { boardUpdates } = tables(db);
	const [row] = await db.select({ n: count() }).from(boardUpdates).where(eq(boardUpdates.boardId, boardId)).limit(1);
	return row?.n ?? 0;
}

/**
 * Folds the log into the snapshot in one transaction. `doc` must already contain every logged
 * update (the live room's document, or one just loaded), so nothing is rebuilt from JSON.
 */
export async function compact(db: Db, boardId: string, doc: Y.Doc): Promise<void> {
	await storeSnapshot(db, boardId, Y.encodeStateAsUpdate(doc), Y.encodeStateVector(doc));
}

/**
 * Stores an encoded document state (Yjs v1) as the board's snapshot, replacing the log it folds
 * in: the whole log, or only its oldest `folded` updates (those the state is known to hold, when
 * later ones may have been appended since it was encoded).
 */
export async function storeSnapshot(
	db: Db,
	boardId: string,
	encodedState: Uint8Array,
	encodedStateVector: Uint8Array,
	folded = Number.POSITIVE_INFINITY
): Promise<void> {
	const state = Buffer.from(encodedState.buffer, encodedState.byteOffset, encodedState.byteLength);
	const stateVector = Buffer.from(encodedStateVector.buffer, encodedStateVector.byteOffset, encodedStateVector.byteLength);
	await transaction(db, async (tx) => {
		const { boardSnapshots, boardUpdates } = tables(tx);
		const last = await lastFolded(tx, boardId, folded);
		// Strictly later than the snapshot it replaces, so the snapshot time and the last log id
		// name each stored state once (`storedStateKey`), even for two compactions in one millisecond.
		const [previous] = await tx
			.select({ at: boardSnapshots.updatedAt })
			.from(boardSnapshots)
			.where(eq(boardSnapshots.boardId, boardId))
			.limit(1);
		const updatedAt = Math.max(Date.now(), (previous?.at ?? 0) + 1);
		await tx
			.insert(boardSnapshots)
			.values({ boardId, state, format: 'v1', stateVector, updatedAt })
			.onConflictDoUpdate({ target: boardSnapshots.boardId, set: { state, format: 'v1', stateVector, updatedAt } });
		if (last !== null) await tx.delete(boardUpdates).where(and(eq(boardUpdates.boardId, boardId), lte(boardUpdates.id, last)));
	});
}

/** The id of the last logged update a snapshot folds in: the newest, or the `folded`-th oldest; null for none. */
async function lastFolded(tx: Db, boardId: string, folded: number): Promise<number | null> {
	const { boardUpdates } = tables(tx);
	const ofBoard = eq(boardUpdates.boardId, boardId);
	if (!Number.isFinite(folded)) {
		const [newest] = await tx
			.select({ id: max(boardUpdates.id) })
			.from(boardUpdates)
			.where(ofBoard)
			.limit(1);
		return newest?.id ?? null;
	}
	if (folded <= 0) return null;
	// Fewer logged updates than the caller counted: none is known to be in its state, so none goes.
	const [oldest] = await tx
		.select({ id: boardUpdates.id })
		.from(boardUpdates)
		.where(ofBoard)
		.orderBy(asc(boardUpdates.id))
		.limit(1)
		.offset(folded - 1);
	return oldest?.id ?? null;
}
