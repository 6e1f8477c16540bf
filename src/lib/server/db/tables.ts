import type { Db } from '.';
import { isPostgres } from './pg';
import * as sqliteTables from './schema';
import * as pgTables from './schema-pg';

/** The product's tables, typed as the SQLite schema's (the PostgreSQL schema mirrors them; `schema-drift.test.ts`). */
export type Tables = typeof sqliteTables;

/** The tables of the database `db` is on (a database or a transaction): `const { boards } = tables(db)`. */
export function tables(db: Db): Tables {
	return isPostgres(db) ? (pgTables as unknown as Tables) : sqliteTables;
}
