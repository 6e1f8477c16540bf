import type Database from 'better-sqlite3';
import type { Db } from '.';

const cache = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * The statement `sql` prepared once per database. For hot paths run per row, where building a
 * query through the query builder each time would cost more than running it.
 */
export function preparedStatement(db: Db, sql: string): Database.Statement {
	let statements = cache.get(db);
	if (!statements) cache.set(db, (statements = new Map()));
	let statement = statements.get(sql);
	if (!statement) statements.set(sql, (statement = db.$client.prepare(sql)));
	return statement;
}
