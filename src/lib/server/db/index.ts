import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readConfig } from '../config';
import * as schema from './schema';
import { startWalCheckpointer } from './wal-checkpointer';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

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

/** The process-wide database, opened on first use, with its WAL checkpointed off the main thread. */
export function getDb(): Db {
	const scope = globalThis as GlobalWithDb;
	if (!scope[DB_KEY]) {
		const { dataDir } = readConfig();
		const db = openDb(dataDir);
		startWalCheckpointer(db.$client, join(dataDir, DB_FILE));
		scope[DB_KEY] = db;
	}
	return scope[DB_KEY];
}
