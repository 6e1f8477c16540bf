import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { resolve } from 'node:path';
import pg from 'pg';
import * as schema from './schema-pg';

/** A PostgreSQL database (`DATABASE_URL=postgres://…`) through node-postgres, with its pool. */
export type PgDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };

/** Whether a `DATABASE_URL` names a PostgreSQL database. */
export function isPostgresUrl(url: string): boolean {
	return /^postgres(ql)?:\/\//i.test(url);
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
	const db = drizzle({ client: pool, schema }) as PgDb;
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
