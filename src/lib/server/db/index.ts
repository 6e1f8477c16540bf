import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readConfig } from '../config';
import { isPostgres, openPgDb, type PgDb } from './pg';
import * as schema from './schema';
import { startWalCheckpointer } from './wal-checkpointer';

/**
 * The product's database: SQLite in `DATA_DIR`, or PostgreSQL when `DATABASE_URL` is set. Services
 * are written once for both, against the SQLite query builder's types (the PostgreSQL schema mirrors
 * the SQLite one column for column): they take their tables from `tables(db)`, await every query,
 * and run transactions through `transaction(db, …)`. They never call the SQLite-only `.get()`,
 * `.all()` or `.run()`, and reach the driver (`$client`) only where `isPostgres(db)` says which it is.
 */
export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export { isPostgres };

/** The database file inside `DATA_DIR`. */
export const DB_FILE = 'journey.db';
const BUSY_TIMEOUT_MS = 5000;

// The production server and the SvelteKit handler are bundled separately but run in one
// process; one shared connection keeps them on the same transactions and statement cache.
const DB_KEY = Symbol.for('journey-workspace.db');
type GlobalWithDb = typeof globalThis & { [DB_KEY]?: Db };

/** Opens `DATA_DIR/journey.db` in WAL mode and applies the committed migrations. */
export function openDb(dataDir: string, migrationsDir = resolve('drizzle')): Db {
	mkdirSync(dataDir, { recursive: true });
	const sqlite = new Database(join(dataDir, DB_FILE));
	sqlite.pragma('journal_mode = WAL');
	// FULL: every commit is synced to disk before it returns, so an edit that was relayed (stored
	// first) survives a power cut too; NORMAL in WAL mode may lose the last commits to one.
	sqlite.pragma('synchronous = FULL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
	const db = drizzle({ client: sqlite, schema }) as Db;
	migrate(db, { migrationsFolder: migrationsDir });
	return db;
}

/**
 * Opens the process-wide database before anything is served: PostgreSQL when `DATABASE_URL` is set
 * (connecting and migrating are asynchronous), else the SQLite file in `DATA_DIR`.
 */
export async function initDb(): Promise<Db> {
	const scope = globalThis as GlobalWithDb;
	if (!scope[DB_KEY]) {
		const { databaseUrl } = readConfig();
		if (databaseUrl) {
			const db = (await openPgDb(databaseUrl)) as unknown as Db;
			scope[DB_KEY] ??= db;
		}
	}
	return getDb();
}

/** The process-wide database; SQLite is opened on first use, PostgreSQL by `initDb()` at start. */
export function getDb(): Db {
	const scope = globalThis as GlobalWithDb;
	if (!scope[DB_KEY]) {
		const { dataDir, databaseUrl } = readConfig();
		if (databaseUrl) throw new Error('DATABASE_URL is set: the database is opened by initDb() at start');
		const db = openDb(dataDir);
		startWalCheckpointer(db.$client, join(dataDir, DB_FILE));
		scope[DB_KEY] = db;
	}
	return scope[DB_KEY];
}

/** Closes a database's connections (the SQLite file, or the PostgreSQL pool). */
export async function closeDb(db: Db): Promise<void> {
	if (isPostgres(db)) await (db as unknown as PgDb).$client.end();
	else db.$client.close();
}
