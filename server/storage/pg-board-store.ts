import type pg from 'pg';
import * as Y from 'yjs';
import { automaticVersionName } from '../../src/lib/journey/version-names';
import type { PgDb } from '../../src/lib/server/db/pg';
import { docOf } from '../../src/lib/server/doc-store';
import { newId } from '../../src/lib/server/random-ids';
import { readRunner } from '../../src/lib/server/reads/read-runner';
import type { VersionState } from '../../src/lib/server/reads/version-states';
import { DAY_MS } from '../../src/lib/server/versions';
import type { AppendReceipt, BoardSnapshot, BoardStore, BoardUpdate, SequencedUpdate, StoredBoard } from './board-store';
import { APPEND, COMPACTION_LOCK, DAILY_VERSION_LOCK, LOAD, LOAD_SINCE } from './pg-board-statements';

/** An update that holds nothing. */
const EMPTY_UPDATE = new Uint8Array([0, 0]);

/** Longest log merged byte-wise on load; a longer one (left by failed compactions) is integrated, as in SQLite. */
const MERGE_LOG_LIMIT = 1_000;

/** node-postgres reads `bigint` as a string (it may not fit a double); board sequence numbers always do. */
type Int8 = string | number;

/** What the load statement returns: the snapshot's row first (`part` 0), then the log's in order. */
interface LoadRow {
	part: number;
	bytes: Buffer;
	format: 'v1' | 'v2' | null;
	state_vector: Buffer | null;
	seq: Int8 | null;
}

/**
 * The board store in PostgreSQL (`DATABASE_URL`), shared by every sync process. Each board's log
 * is numbered 1, 2, 3… without gaps by its `board_update_counters` row, taken in the statement
 * that stores the updates, so two processes appending to one board are ordered by that row's
 * lock and a process that sees a gap reads what it missed (`loadSince`). Appends and loads are
 * one statement each (one round trip, one snapshot), prepared once per connection.
 */
export class PgBoardStore implements BoardStore {
	readonly #pool: pg.Pool;

	constructor(db: PgDb) {
		this.#pool = db.$client;
	}

	async load(boardId: string): Promise<StoredBoard> {
		const { rows } = await this.#pool.query<LoadRow>({ name: LOAD.name, text: LOAD.text, values: [boardId] });
		const snapshotRow = rows[0]?.part === 0 ? rows[0] : null;
		const log = (snapshotRow ? rows.slice(1) : rows).map(
			(row) => new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength)
		);
		const snapshot = !snapshotRow ? null : snapshotRow.format === 'v2' ? Y.convertUpdateFormatV2ToV1(snapshotRow.bytes) : snapshotRow.bytes;
		const snapshotBytes = snapshotRow?.bytes.length ?? 0;
		// The state holds every update up to the newest logged one, or, with none, what the snapshot folded.
		const seq = Number(rows.at(-1)?.seq ?? 0);
		if (log.length === 0)
			return {
				state: snapshot ?? EMPTY_UPDATE,
				stateVector: snapshotRow?.state_vector ?? null,
				logLength: 0,
				storedBytes: snapshotBytes,
				seq
			};
		const state =
			log.length > MERGE_LOG_LIMIT ? encodeAndDestroy(docOf(snapshot, log)) : Y.mergeUpdates(snapshot ? [snapshot, ...log] : log);
		const storedBytes = log.reduce((sum, update) => sum + update.length, snapshotBytes);
		return { state, stateVector: null, logLength: log.length, storedBytes, seq };
	}

	async append(updates: readonly BoardUpdate[]): Promise<AppendReceipt> {
		if (updates.length === 0) return { sequences: new Map() };
		// Per board, how many of the batch's updates come after each one: its number is the board's
		// new last number minus that. Counters are taken in board order so that two processes
		// appending to the same boards lock their counter rows in the same order (no deadlock).
		const perBoard = new Map<string, number>();
		for (const { boardId } of updates) perBoard.set(boardId, (perBoard.get(boardId) ?? 0) + 1);
		const seen = new Map<string, number>();
		const later = updates.map(({ boardId }) => {
			const taken = (seen.get(boardId) ?? 0) + 1;
			seen.set(boardId, taken);
			return perBoard.get(boardId)! - taken;
		});
		const counted = [...perBoard].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		const { rows } = await this.#pool.query<{ board_id: string; last_seq: Int8 }>({
			name: APPEND.name,
			text: APPEND.text,
			values: [
				counted.map(([boardId]) => boardId),
				counted.map(([, count]) => count),
				updates.map(({ boardId }) => boardId),
				updates.map(({ update }) => Buffer.from(update.buffer, update.byteOffset, update.byteLength)),
				later,
				Date.now()
			]
		});
		// The statement has committed (it ran alone, in its own transaction): only now may they be relayed.
		const last = new Map(rows.map((row) => [row.board_id, Number(row.last_seq)]));
		return { sequences: new Map([...perBoard.keys()].map((boardId) => [boardId, last.get(boardId)!])) };
	}

	async loadSince(boardId: string, afterSeq: number): Promise<SequencedUpdate[] | null> {
		const { rows } = await this.#pool.query<{ folded: Int8; seq: Int8 | null; update: Buffer | null }>({
			name: LOAD_SINCE.name,
			text: LOAD_SINCE.text,
			values: [boardId, afterSeq]
		});
		// A compaction folded some of them into the snapshot: the caller loads the board instead.
		if (Number(rows[0].folded) > afterSeq) return null;
		const updates = rows.filter((row) => row.seq !== null).map((row) => ({ seq: Number(row.seq), update: new Uint8Array(row.update!) }));
		// Gap-free by construction; a hole means rows appended by a writer that does not number them.
		if (updates.some((entry, index) => entry.seq !== afterSeq + index + 1)) return null;
		return updates;
	}

	async compact(boardId: string, snapshot: BoardSnapshot): Promise<void> {
		await this.#transaction(async (client) => {
			const { rows: locked } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked', [
				COMPACTION_LOCK,
				boardId
			]);
			// Another process is folding this board's log right now: its snapshot will do.
			if (!locked[0].locked) return;
			const { rows } = await client.query<{ seq: Int8 | null; updated_at: Int8 | null; last_seq: Int8 | null }>(
				`SELECT (SELECT seq FROM board_snapshots WHERE board_id = $1) AS seq,
					(SELECT updated_at FROM board_snapshots WHERE board_id = $1) AS updated_at,
					(SELECT last_seq FROM board_update_counters WHERE board_id = $1) AS last_seq`,
				[boardId]
			);
			const stored = Number(rows[0].seq ?? 0);
			const through = snapshot.seq ?? (await this.#foldedThrough(client, boardId, snapshot.folded, stored));
			if (through > Number(rows[0].last_seq ?? 0))
				throw new Error(`a snapshot of board ${boardId} claims updates never appended (seq ${through})`);
			// An older state than the one stored (a slower process's compaction): the stored one stays.
			if (through < stored) return;
			// Strictly later than the snapshot it replaces, so the time and the log name each stored state once (`storedStateKey`).
			const updatedAt = Math.max(Date.now(), Number(rows[0].updated_at ?? 0) + 1);
			await client.query(
				`INSERT INTO board_snapshots (board_id, state, format, state_vector, updated_at, seq) VALUES ($1, $2, 'v1', $3, $4, $5)
				ON CONFLICT (board_id) DO UPDATE SET state = excluded.state, format = 'v1', state_vector = excluded.state_vector,
					updated_at = excluded.updated_at, seq = excluded.seq`,
				[boardId, bufferOf(snapshot.state), bufferOf(snapshot.stateVector), updatedAt, through]
			);
			await client.query('DELETE FROM board_updates WHERE board_id = $1 AND seq <= $2', [boardId, through]);
		});
	}

	/** The number of the `folded`-th oldest logged update, or the stored snapshot's when the log holds fewer (none of it is known to be in the state). */
	async #foldedThrough(client: pg.PoolClient, boardId: string, folded: number, stored: number): Promise<number> {
		if (folded <= 0) return stored;
		const { rows } = await client.query<{ seq: Int8 }>('SELECT seq FROM board_updates WHERE board_id = $1 ORDER BY seq LIMIT 1 OFFSET $2', [
			boardId,
			folded - 1
		]);
		return rows.length > 0 ? Number(rows[0].seq) : stored;
	}

	async saveDailyVersion(boardId: string, stateBeforeEdit: Uint8Array): Promise<boolean> {
		const now = Date.now();
		const dayStart = now - (now % DAY_MS);
		if (await this.#hasDailyVersion(this.#pool, boardId, dayStart)) return false;
		const version = (await readRunner().run({ kind: 'version-state', updates: [stateBeforeEdit] })) as VersionState;
		return this.#transaction(async (client) => {
			// Two processes editing the board on a new day: the lock lets one of them check and save.
			await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [DAILY_VERSION_LOCK, boardId]);
			if (await this.#hasDailyVersion(client, boardId, dayStart)) return false;
			const day = new Date(dayStart).toISOString().slice(0, 10);
			await client.query(
				`INSERT INTO versions (id, board_id, name, state, created_by, automatic, touchpoints, created_at)
				VALUES ($1, $2, $3, $4, NULL, true, $5, $6)`,
				[newId(), boardId, automaticVersionName(day), bufferOf(version.state), version.touchpoints, now]
			);
			return true;
		});
	}

	async #hasDailyVersion(client: pg.Pool | pg.PoolClient, boardId: string, dayStart: number): Promise<boolean> {
		const { rows } = await client.query('SELECT 1 FROM versions WHERE board_id = $1 AND automatic AND created_at >= $2 LIMIT 1', [
			boardId,
			dayStart
		]);
		return rows.length > 0;
	}

	/** Runs `work` in a transaction on one connection: committed when it resolves, rolled back when it throws. */
	async #transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
		const client = await this.#pool.connect();
		let failure: Error | undefined;
		try {
			await client.query('BEGIN');
			const result = await work(client);
			await client.query('COMMIT');
			return result;
		} catch (error) {
			failure = error instanceof Error ? error : new Error(String(error));
			await client.query('ROLLBACK').catch(() => {});
			throw error;
		} finally {
			// A connection that failed (the server restarting) is closed rather than reused.
			client.release(failure);
		}
	}
}

function bufferOf(bytes: Uint8Array): Buffer {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function encodeAndDestroy(doc: Y.Doc): Uint8Array {
	try {
		return Y.encodeStateAsUpdate(doc);
	} finally {
		doc.destroy();
	}
}
