import type Database from 'better-sqlite3';
import type { Db } from '.';
import { isPostgres } from './pg';

const cache = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * The statement `sql` prepared once per SQLite database. For hot paths run per row, where building a
 * query through the query builder each time would cost more than running it. SQLite only: a service
 * asks `isPostgres(db)` and goes through the query builder on PostgreSQL.
 */
export function preparedStatement(db: Db, sql: string): Database.Statement {
	if (isPostgres(db)) throw new Error('Prepared statements run on SQLite only; use the query builder on PostgreSQL');
	let statements = cache.get(db);
	if (!statements) cache.set(db, (statements = new Map()));
	let statement = statements.get(sql);
	if (!statement) statements.set(sql, (statement = db.$client.prepare(sql)));
	return statement;
}
