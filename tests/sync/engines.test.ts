/**
 * The engines a multi-process deployment runs on, started by the suite itself: PostgreSQL with
 * the committed migrations applied, and Redis. Skipped, with the reason in the suite's name, only
 * where their binaries are not installed (`.ci/run` installs them).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgDb, type PgDb } from '../../src/lib/server/db/pg';
import { boardSnapshots, boardUpdateCounters, boardUpdates, boards, facilitation } from '../../src/lib/server/db/schema-pg';
import {
	findPostgresTool,
	missingEngines,
	redisCommand,
	startPostgres,
	startRedis,
	type PostgresEngine,
	type RedisEngine
} from '../support/engines';

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

function suiteName(name: string, engine: 'postgresql' | 'redis'): string {
	const missing = missingEngines(engine);
	return missing.length ? `${name} (skipped: ${engine} is not installed here)` : name;
}

describe.skipIf(missingEngines('postgresql').length > 0)(suiteName('PostgreSQL started by the suite', 'postgresql'), () => {
	let engine: PostgresEngine;
	let db: PgDb;

	beforeAll(async () => {
		engine = await startPostgres();
		db = await openPgDb(engine.url);
	});
	afterAll(async () => {
		if (db && !db.$client.ended) await db.$client.end();
		await engine?.stop();
	});

	it('applies the committed migrations and stores rows as the services read them', async () => {
		await db
			.insert(boards)
			.values({ id: 'b1', title: 'Onboarding', createdBy: 'u1', createdAt: 1_800_000_000_000, updatedAt: 1_800_000_000_000 });
		await db.insert(facilitation).values({ boardId: 'b1', updatedAt: 1 });
		await db.insert(boardUpdates).values({ boardId: 'b1', update: Buffer.from([0, 1, 2, 255]), seq: 1 });

		const [board] = await db.select().from(boards).where(eq(boards.id, 'b1'));
		expect(board.createdAt).toBe(1_800_000_000_000);
		const [controls] = await db.select().from(facilitation).where(eq(facilitation.boardId, 'b1'));
		expect(controls.votingOpen).toBe(false);
		expect(controls.votingBudget).toBeTypeOf('number');
		const [logged] = await db.select().from(boardUpdates).where(eq(boardUpdates.boardId, 'b1'));
		expect(Buffer.isBuffer(logged.update)).toBe(true);
		expect([...logged.update]).toEqual([0, 1, 2, 255]);
		expect(logged.id).toBeTypeOf('number');
		expect(Math.abs(logged.createdAt - Date.now())).toBeLessThan(60 * 60 * 1000);
	});

	it('hands out each board’s update numbers without gaps, one per writer, through the counter row', async () => {
		await db.insert(boards).values({ id: 'b2', title: 'Claims', createdBy: 'u1', createdAt: 1, updatedAt: 1 });
		const append = () =>
			db.transaction(async (tx) => {
				const [{ seq }] = await tx
					.insert(boardUpdateCounters)
					.values({ boardId: 'b2', lastSeq: 1 })
					.onConflictDoUpdate({ target: boardUpdateCounters.boardId, set: { lastSeq: sql`${boardUpdateCounters.lastSeq} + 1` } })
					.returning({ seq: boardUpdateCounters.lastSeq });
				await tx.insert(boardUpdates).values({ boardId: 'b2', update: Buffer.from([seq]), seq });
				return seq;
			});
		const taken = await Promise.all(Array.from({ length: 8 }, append));
		expect([...taken].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
		await expect(db.insert(boardUpdates).values({ boardId: 'b2', update: Buffer.from([9]), seq: 3 })).rejects.toThrow();
		const [snapshot] = await db
			.insert(boardSnapshots)
			.values({ boardId: 'b2', state: Buffer.from([1]), updatedAt: 1 })
			.returning({ seq: boardSnapshots.seq, format: boardSnapshots.format });
		expect(snapshot).toEqual({ seq: 0, format: 'v2' });
	});

	it('migrates once when several processes start together on an empty database', async () => {
		await db.execute(sql`CREATE DATABASE together`);
		const opened = await Promise.all([1, 2, 3].map(() => openPgDb(engine.urlOf('together'))));
		try {
			const applied = await opened[0].execute<{ n: string }>(sql`SELECT count(*) AS n FROM drizzle.__drizzle_migrations`);
			const journal = JSON.parse(readFileSync('drizzle-pg/meta/_journal.json', 'utf8')) as { entries: unknown[] };
			expect(Number(applied.rows[0].n)).toBe(journal.entries.length);
			expect(await opened[2].select({ id: boards.id }).from(boards)).toEqual([]);
		} finally {
			await Promise.all(opened.map((each) => each.$client.end()));
		}
	});

	it('is backed up with pg_dump while it serves, and restored with pg_restore into an empty database (deploy/README.md)', async () => {
		const pgDump = findPostgresTool('pg_dump');
		const pgRestore = findPostgresTool('pg_restore');
		expect(pgDump && pgRestore, 'pg_dump and pg_restore come with PostgreSQL').toBeTruthy();
		const dump = join(engine.dir, 'journey.dump');
		const dumped = spawnSync(pgDump!, ['--format=custom', `--file=${dump}`, engine.url], { encoding: 'utf8' });
		expect(dumped.status, dumped.stderr).toBe(0);
		await db.execute(sql`CREATE DATABASE restored`);
		const restored = spawnSync(pgRestore!, ['--no-owner', `--dbname=${engine.urlOf('restored')}`, dump], { encoding: 'utf8' });
		expect(restored.status, restored.stderr).toBe(0);
		const copy = new pg.Client({ connectionString: engine.urlOf('restored') });
		await copy.connect();
		try {
			const updates = await copy.query<{ seq: string; update: Buffer }>(
				'SELECT seq, "update" FROM board_updates WHERE board_id = $1 ORDER BY seq',
				['b2']
			);
			expect(updates.rows.map((row) => Number(row.seq))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
			const counter = await copy.query<{ last_seq: string }>('SELECT last_seq FROM board_update_counters WHERE board_id = $1', ['b2']);
			expect(Number(counter.rows[0].last_seq)).toBe(8);
		} finally {
			await copy.end();
		}
	});

	it('keeps what was committed across a restart, and a second start migrates nothing twice', async () => {
		const before = engine.pid;
		await db.$client.end();
		await engine.restart();
		expect(engine.pid).not.toBe(before);
		expect(alive(before)).toBe(false);
		db = await openPgDb(engine.url);
		const rows = await db.select({ id: boards.id }).from(boards).orderBy(boards.id);
		expect(rows.map((row) => row.id)).toEqual(['b1', 'b2']);
		const journal = JSON.parse(readFileSync('drizzle-pg/meta/_journal.json', 'utf8')) as { entries: unknown[] };
		const applied = await db.execute<{ n: string }>(sql`SELECT count(*) AS n FROM drizzle.__drizzle_migrations`);
		expect(Number(applied.rows[0].n)).toBe(journal.entries.length);
	});

	it('is stopped by its PID and leaves no directory behind', async () => {
		const { pid, dir } = engine;
		await db.$client.end();
		await engine.stop();
		expect(alive(pid)).toBe(false);
		expect(existsSync(dir)).toBe(false);
	});
});

describe.skipIf(missingEngines('redis').length > 0)(suiteName('Redis started by the suite', 'redis'), () => {
	let engine: RedisEngine;

	beforeAll(async () => {
		engine = await startRedis();
	});
	afterAll(async () => {
		await engine?.stop();
	});

	it('answers on loopback and keeps a value', async () => {
		expect(engine.url).toBe(`redis://127.0.0.1:${engine.port}`);
		expect(await redisCommand(engine.port, 'SET', 'board:b1', 'seq 7')).toBe('+OK');
		expect(await redisCommand(engine.port, 'GET', 'board:b1')).toBe('seq 7');
	});

	it('persists nothing: a restart starts empty', async () => {
		await engine.restart();
		expect(await redisCommand(engine.port, 'GET', 'board:b1')).toBe('$-1');
	});

	it('is stopped by its PID and leaves no directory behind', async () => {
		const { pid, dir } = engine;
		await engine.stop();
		expect(alive(pid)).toBe(false);
		expect(existsSync(dir)).toBe(false);
		await expect(redisCommand(engine.port, 'PING')).rejects.toThrow();
	});
});
