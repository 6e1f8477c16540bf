/**
 * The product's two databases for service tests: a SQLite file in a temporary directory, and a real
 * PostgreSQL server started for the suite (skipped, with the reason in the suite's name, where
 * PostgreSQL is not installed here).
 *
 *   describe.each(DATABASES)('… on %s', (_name, database, skip) => { … db = await database.open() … })
 *   describe.skipIf(!postgresAvailable)(postgresSuite('… on PostgreSQL'), …)   // with postgresDatabase()
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDb, openDb, type Db } from '../../src/lib/server/db';
import { openPgDb } from '../../src/lib/server/db/pg';
import { missingEngines, startPostgres, type PostgresEngine } from './engines';

/** Opens a fresh, migrated database, and closes it (removing what it left behind). */
export interface TestDatabase {
	open(): Promise<Db>;
	close(db: Db): Promise<void>;
}

/** A SQLite file in its own temporary directory. */
export function sqliteDatabase(): TestDatabase {
	let dir = '';
	return {
		async open() {
			dir = mkdtempSync(join(tmpdir(), 'journey-db-'));
			return openDb(dir);
		},
		async close(db) {
			await closeDb(db);
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

/** A PostgreSQL server of its own, migrated. */
export function postgresDatabase(): TestDatabase {
	let engine: PostgresEngine | undefined;
	return {
		async open() {
			engine = await startPostgres();
			return (await openPgDb(engine.url)) as unknown as Db;
		},
		async close(db) {
			await closeDb(db);
			await engine?.stop();
		}
	};
}

/** Whether PostgreSQL is installed here (`.ci/run` installs it); suites skip their PostgreSQL cases where not. */
export const postgresAvailable = missingEngines('postgresql').length === 0;

/** The name of a suite on PostgreSQL: `title`, saying why where it is skipped (`describe.skipIf(!postgresAvailable)`). */
export function postgresSuite(title: string): string {
	return postgresAvailable ? title : `${title} (skipped: postgresql is not installed here)`;
}

/** Both databases, for `describe.each`: name, a fresh `TestDatabase`, and whether to skip it. */
export const DATABASES: [string, () => TestDatabase, boolean][] = [
	['SQLite', sqliteDatabase, false],
	[postgresSuite('PostgreSQL'), postgresDatabase, !postgresAvailable]
];
