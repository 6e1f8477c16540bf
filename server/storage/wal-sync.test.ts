import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WalSync } from './wal-sync';

const FULL = 2;
const NORMAL = 1;

describe('WalSync', () => {
	const dirs: string[] = [];
	afterEach(() => {
		for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
	});

	function walDatabase(): Database.Database {
		const dir = mkdtempSync(join(tmpdir(), 'wal-sync-'));
		dirs.push(dir);
		const sqlite = new Database(join(dir, 'test.db'));
		sqlite.pragma('journal_mode = WAL');
		sqlite.pragma('synchronous = FULL');
		sqlite.exec('CREATE TABLE log (id INTEGER PRIMARY KEY, body TEXT)');
		return sqlite;
	}

	const level = (sqlite: Database.Database) => sqlite.pragma('synchronous', { simple: true });

	it('commits a board append without syncing inline, then resolves after the log is synced; the connection stays FULL', async () => {
		const sqlite = walDatabase();
		const wal = new WalSync(sqlite);
		let during: unknown;
		await wal.commitDurably(() => {
			during = level(sqlite);
			sqlite.prepare('INSERT INTO log (body) VALUES (?)').run('first');
		});
		expect(during).toBe(NORMAL);
		expect(level(sqlite)).toBe(FULL);
		expect(sqlite.prepare('SELECT count(*) FROM log').pluck().get()).toBe(1);
		sqlite.close();
	});

	it('appends made while a sync runs all resolve, in order, each after a sync that began after it', async () => {
		const sqlite = walDatabase();
		const wal = new WalSync(sqlite);
		const insert = sqlite.prepare('INSERT INTO log (body) VALUES (?)');
		const resolved: number[] = [];
		await Promise.all([1, 2, 3, 4].map((n) => wal.commitDurably(() => insert.run(`n${n}`)).then(() => resolved.push(n))));
		expect(resolved).toEqual([1, 2, 3, 4]);
		expect(sqlite.prepare('SELECT count(*) FROM log').pluck().get()).toBe(4);
		sqlite.close();
	});

	it('a commit that throws is not synced, rejects, and leaves the connection FULL', async () => {
		const sqlite = walDatabase();
		const wal = new WalSync(sqlite);
		await expect(
			wal.commitDurably(() => {
				throw new Error('disk full');
			})
		).rejects.toThrow('disk full');
		expect(level(sqlite)).toBe(FULL);
		sqlite.close();
	});

	it('without a write-ahead log file (in memory) the append commits FULL, inline', async () => {
		const sqlite = new Database(':memory:');
		sqlite.pragma('synchronous = FULL');
		const wal = new WalSync(sqlite);
		let during: unknown;
		await wal.commitDurably(() => (during = level(sqlite)));
		expect(during).toBe(FULL);
		sqlite.close();
	});
});
