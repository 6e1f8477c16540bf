import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { resolve } from 'node:path';
import pg from 'pg';
import { isPostgresUrl } from '../config';
import * as schema from './schema-pg';

/** A PostgreSQL database (`DATABASE_URL=postgres://…`) through node-postgres, with its pool. */
export type PgDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };

/**
 * Marks databases and transactions on PostgreSQL. A property under a registered symbol rather than
 * a module's own set: the sync server and the SvelteKit handler are bundled apart, each with its
 * own copy of this module, and share one database.
 */
const POSTGRES = Symbol.for('journey-workspace.postgres');

/** Whether `db` (a database or a transaction) is on PostgreSQL rather than SQLite. */
export function isPostgres(db: object): boolean {
	return POSTGRES in db;
}

/** Marks a database or transaction of PostgreSQL as one, so the services it is handed to know. */
export function markPostgres<T extends object>(handle: T): T {
	Object.defineProperty(handle, POSTGRES, { value: true });
	return handle;
}

/**
 * Connects to the PostgreSQL database at `url` and applies the committed migrations of drizzle-pg/
 * (in one transaction, under an advisory lock: a second process starting at the same time waits for
 * the first, then finds nothing left to apply).
 */
export async function openPgDb(url: string, migrationsDir = resolve('drizzle-pg')): Promise<PgDb> {
	if (!isPostgresUrl(url)) throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
	const pool = new pg.Pool({ connectionString: url });
	// An idle connection the server dropped (a restart) must not take the process down with it.
	pool.on('error', () => {});
	const db = markPostgres(drizzle({ client: pool, schema }) as PgDb);
	try {
		await migrateExclusively(db, migrationsDir);
	} catch (error) {
		await pool.end();
		throw error;
	}
	return db;
}

/** The advisory lock key processes take while they migrate (any fixed 64-bit number). */
const MIGRATION_LOCK = 4_718_031_998_001;

/** Applies the migrations while holding an advisory lock, so processes starting together apply each once. */
async function migrateExclusively(db: PgDb, migrationsDir: string): Promise<void> {
	const lock = await db.$client.connect();
	try {
		await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
		try {
			await migrate(db, { migrationsFolder: migrationsDir });
		} finally {
			await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
		}
	} finally {
		lock.release();
	}
}
