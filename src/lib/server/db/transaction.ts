import type { Db } from '.';
import { isPostgres, markPostgres, type PgDb } from './pg';

/**
 * Runs `work` in one transaction and resolves with its result once committed; rolls back and
 * rejects when it throws. On PostgreSQL `work` gets its own transaction to query through. On SQLite
 * the one connection is shared by every request, so `work` must only await SQLite queries (which
 * settle at once): one that waits for anything else (a timer, a file, a password hash) would let
 * other requests' writes into the transaction, and is refused with an error, the work rolled back.
 * Transactions opened inside `work` join it.
 */
export async function transaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
	if (isPostgres(db)) return (db as unknown as PgDb).transaction((tx) => work(markPostgres(tx) as unknown as Db));
	const sqlite = db.$client;
	if (sqlite.inTransaction) return work(db);
	let yielded = false;
	const probe = setImmediate(() => (yielded = true));
	sqlite.exec('BEGIN IMMEDIATE');
	try {
		const result = await work(db);
		if (yielded) throw new Error('A SQLite transaction waited on something other than SQLite; it was rolled back');
		sqlite.exec('COMMIT');
		return result;
	} catch (error) {
		if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
		throw error;
	} finally {
		clearImmediate(probe);
	}
}
