import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as pgSchema from './schema-pg';
import * as sqliteSchema from './schema';

/** The committed migrations of each dialect must be what drizzle-kit generates from its schema now. */

interface Journal {
	entries: { idx: number; tag: string }[];
}

function journal(folder: string): Journal {
	return JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as Journal;
}

function lastSnapshot(folder: string): unknown {
	const last = journal(folder).entries.at(-1)!;
	return JSON.parse(readFileSync(join(folder, 'meta', `${String(last.idx).padStart(4, '0')}_snapshot.json`), 'utf8'));
}

const folders = { sqlite: resolve('drizzle'), postgresql: resolve('drizzle-pg') };

describe('committed migrations', () => {
	it('are up to date with the SQLite schema (drizzle-kit would generate nothing new)', async () => {
		const { generateSQLiteDrizzleJson, generateSQLiteMigration } = await import('drizzle-kit/api');
		const current = await generateSQLiteDrizzleJson(sqliteSchema);
		const statements = await generateSQLiteMigration(lastSnapshot(folders.sqlite) as never, current);
		expect(statements, 'run `npm run db:generate` and commit drizzle/').toEqual([]);
	});

	it('are up to date with the PostgreSQL schema (drizzle-kit would generate nothing new)', async () => {
		const { generateDrizzleJson, generateMigration } = await import('drizzle-kit/api');
		const current = generateDrizzleJson(pgSchema);
		const statements = await generateMigration(lastSnapshot(folders.postgresql) as never, current);
		expect(statements, 'run `npm run db:generate` and commit drizzle-pg/').toEqual([]);
	});

	for (const [dialect, folder] of Object.entries(folders)) {
		it(`of ${dialect} are all journaled, each with its SQL file and snapshot`, () => {
			const entries = journal(folder).entries;
			expect(entries.length).toBeGreaterThan(0);
			expect(entries.map((entry) => entry.idx)).toEqual(entries.map((_, index) => index));
			for (const entry of entries) {
				expect(existsSync(join(folder, `${entry.tag}.sql`)), `${entry.tag}.sql`).toBe(true);
				expect(existsSync(join(folder, 'meta', `${String(entry.idx).padStart(4, '0')}_snapshot.json`)), `snapshot of ${entry.tag}`).toBe(
					true
				);
			}
			const sqlFiles = readdirSync(folder).filter((name) => name.endsWith('.sql'));
			expect(sqlFiles.sort()).toEqual(entries.map((entry) => `${entry.tag}.sql`).sort());
		});
	}
});

describe('the board update sequence migration (SQLite)', () => {
	const made: string[] = [];
	afterEach(() => {
		for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
	});

	/** A copy of drizzle/ whose journal stops before the migration tagged `tag`. */
	function migrationsBefore(tag: string): string {
		const dir = mkdtempSync(join(tmpdir(), 'journey-migrations-'));
		made.push(dir);
		cpSync(folders.sqlite, dir, { recursive: true });
		const all = journal(dir);
		const stop = all.entries.findIndex((entry) => entry.tag === tag);
		expect(stop).toBeGreaterThan(0);
		writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify({ ...all, entries: all.entries.slice(0, stop) }));
		return dir;
	}

	it('numbers the updates already logged per board without gaps and starts each counter after them', () => {
		const sqlite = new Database(':memory:');
		const db = drizzle({ client: sqlite });
		migrate(db, { migrationsFolder: migrationsBefore('0014_board_update_sequences') });
		const board = sqlite.prepare('INSERT INTO boards (id, title, created_by, created_at, updated_at) VALUES (?, ?, ?, 0, 0)');
		for (const id of ['a', 'b', 'empty']) board.run(id, id, 'u');
		const update = sqlite.prepare('INSERT INTO board_updates (board_id, "update") VALUES (?, ?)');
		for (const id of ['a', 'b', 'a', 'a', 'b']) update.run(id, Buffer.from([1]));

		migrate(db, { migrationsFolder: folders.sqlite });

		const rows = sqlite.prepare('SELECT board_id AS boardId, seq FROM board_updates ORDER BY id').all();
		expect(rows).toEqual([
			{ boardId: 'a', seq: 1 },
			{ boardId: 'b', seq: 1 },
			{ boardId: 'a', seq: 2 },
			{ boardId: 'a', seq: 3 },
			{ boardId: 'b', seq: 2 }
		]);
		const counters = sqlite.prepare('SELECT board_id AS boardId, last_seq AS lastSeq FROM board_update_counters ORDER BY board_id').all();
		expect(counters).toEqual([
			{ boardId: 'a', lastSeq: 3 },
			{ boardId: 'b', lastSeq: 2 },
			{ boardId: 'empty', lastSeq: 0 }
		]);
		// The next append takes the next number in one statement, and one number is never taken twice.
		const next = sqlite.prepare(
			'INSERT INTO board_update_counters (board_id, last_seq) VALUES (?, 1) ON CONFLICT (board_id) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq AS seq'
		);
		expect(next.get('a')).toEqual({ seq: 4 });
		expect(() =>
			sqlite.prepare('INSERT INTO board_updates (board_id, "update", seq) VALUES (?, ?, ?)').run('a', Buffer.from([1]), 3)
		).toThrow(/UNIQUE/);
		sqlite.close();
	});
});
