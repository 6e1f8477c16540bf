/**
 * A PostgreSQL database for the board store's tests: the engine started once per test file
 * (`startPostgres`), the committed migrations applied, boards added with a snapshot, and as many
 * stores as a test wants, each on its own pool as a separate process would be.
 */
import * as Y from 'yjs';
import { PgBoardStore } from '../../server/storage/pg-board-store';
import { openPgDb, type PgDb } from '../../src/lib/server/db/pg';
import { startPostgres, type PostgresEngine } from './engines';

export { postgresAvailable } from './databases';

export interface TestPostgres {
	engine: PostgresEngine;
	/** The first pool, which applied the migrations. */
	db: PgDb;
	/** Empties every board (and all that hangs off them) for the next test. */
	reset(): Promise<void>;
	/** Adds a board holding `state` (V1) as its snapshot, as creating a board does. */
	addBoard(boardId: string, state: Uint8Array): Promise<void>;
	deleteBoard(boardId: string): Promise<void>;
	/** A store on the first pool. */
	store(): PgBoardStore;
	/** A store on a new pool of its own (closed by `stop`): another process on the same database. */
	otherProcess(): Promise<PgBoardStore>;
	/** Closes every pool and stops the engine. */
	stop(): Promise<void>;
}

export async function startTestPostgres(): Promise<TestPostgres> {
	const engine = await startPostgres();
	const pools: PgDb[] = [];
	try {
		pools.push(await openPgDb(engine.url));
	} catch (error) {
		await engine.stop();
		throw error;
	}
	const db = pools[0];
	return {
		engine,
		db,
		async reset() {
			await db.$client.query('TRUNCATE boards CASCADE');
		},
		async addBoard(boardId, state) {
			await db.$client.query('INSERT INTO boards (id, title, created_by, created_at, updated_at) VALUES ($1, $1, $2, 0, 0)', [
				boardId,
				'owner'
			]);
			await db.$client.query(
				`INSERT INTO board_snapshots (board_id, state, format, state_vector, updated_at) VALUES ($1, $2, 'v1', $3, 0)`,
				[boardId, Buffer.from(state), Buffer.from(Y.encodeStateVectorFromUpdate(state))]
			);
		},
		async deleteBoard(boardId) {
			await db.$client.query('DELETE FROM boards WHERE id = $1', [boardId]);
		},
		store: () => new PgBoardStore(db),
		async otherProcess() {
			const other = await openPgDb(engine.url);
			pools.push(other);
			return new PgBoardStore(other);
		},
		async stop() {
			for (const pool of pools.splice(0)) await pool.$client.end().catch(() => {});
			await engine.stop();
		}
	};
}
