/**
 * `npm run backup -- <dir>` with DATABASE_URL (scripts/backup-postgres.js): a `pg_dump` of a
 * database holding boards, an update log, a version and an evidence file, restored with
 * `pg_restore` into a new, empty database, where the product finds all of it. PostgreSQL is
 * started by the suite; skipped, saying so, where it is not installed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PgBoardStore } from '../../server/storage/pg-board-store';
import { journeyToDoc, readJourney } from '../../src/lib/journey/document';
import { templateJourney } from '../../src/lib/journey/templates';
import { openPgDb, type PgDb } from '../../src/lib/server/db/pg';
import { PgFileContents } from '../../src/lib/server/file-contents';
import { findPostgresTool, freePort, missingEngines, startPostgres, type PostgresEngine } from '../support/engines';

const ROOT = resolve(import.meta.dirname, '../..');
const available =
	missingEngines('postgresql').length === 0 && findPostgresTool('pg_dump') !== null && findPostgresTool('pg_restore') !== null;
const EVIDENCE = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 1, 2, 3, 0, 255]);

/** Runs `node scripts/backup.js <target>` with `env`; resolves with its exit code and output. */
function runBackup(target: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
	return new Promise((resolveRun) => {
		const child = spawn(process.execPath, ['scripts/backup.js', target], { cwd: ROOT, env: { ...process.env, ...env } });
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('close', (code) => resolveRun({ code, output }));
	});
}

function retitle(state: Uint8Array, title: string): Uint8Array {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, state);
	const before = Y.encodeStateVector(doc);
	doc.getMap('board').set('title', title);
	return Y.encodeStateAsUpdate(doc, before);
}

describe.skipIf(!available)(
	`backing up PostgreSQL${available ? '' : ' (skipped: PostgreSQL or its pg_dump is not installed here)'}`,
	() => {
		let engine: PostgresEngine;
		let db: PgDb;
		let dir: string;
		/** The directory of the pg_dump of the server's version, first on PATH for the script. */
		let toolPath: string;

		beforeAll(async () => {
			engine = await startPostgres();
			db = await openPgDb(engine.url);
			dir = await mkdtemp(join(tmpdir(), 'journey-pg-backup-'));
			toolPath = `${dirname(findPostgresTool('pg_dump')!)}:${process.env.PATH}`;
		});
		afterAll(async () => {
			await db?.$client.end();
			await engine?.stop();
			if (dir) await rm(dir, { recursive: true, force: true });
		});

		test('a dump restored into an empty database holds the boards, their logs, versions and files', async () => {
			const pool = db.$client;
			await pool.query(
				`INSERT INTO users (id, email, name, password_hash, created_at) VALUES ('owner', 'owner@example.test', 'Owner', '', 0)`
			);
			await pool.query(
				`INSERT INTO boards (id, title, created_by, created_at, updated_at) VALUES ('board-1', 'Onboarding', 'owner', 0, 0)`
			);
			const start = Y.encodeStateAsUpdate(journeyToDoc(templateJourney('blank', 'Onboarding', 'en')));
			await pool.query(
				`INSERT INTO board_snapshots (board_id, state, format, state_vector, updated_at) VALUES ('board-1', $1, 'v1', $2, 0)`,
				[Buffer.from(start), Buffer.from(Y.encodeStateVectorFromUpdate(start))]
			);
			const store = new PgBoardStore(db);
			await store.append([{ boardId: 'board-1', update: retitle(start, 'Onboarding, mapped') }]);
			expect(await store.saveDailyVersion('board-1', start)).toBe(true);
			await new PgFileContents(db).put('board-1', 'file-1', EVIDENCE);
			await pool.query(
				`INSERT INTO files (id, board_id, name, mime, size, created_by, created_at) VALUES ('file-1', 'board-1', 'study.pdf', 'application/pdf', $1, 'owner', 0)`,
				[EVIDENCE.length]
			);

			const target = join(dir, 'backup');
			const result = await runBackup(target, { DATABASE_URL: engine.url, PATH: toolPath });
			expect(result.code, result.output).toBe(0);
			expect(result.output).toMatch(/Backed up 1 boards and 1 files/);
			expect(existsSync(join(target, 'journey.dump'))).toBe(true);
			expect(existsSync(join(target, 'journey.dump.part'))).toBe(false);
			// A second backup into the same directory would overwrite the first: refused.
			expect((await runBackup(target, { DATABASE_URL: engine.url, PATH: toolPath })).code).toBe(1);

			const admin = new pg.Client({ connectionString: engine.urlOf('postgres') });
			await admin.connect();
			await admin.query('CREATE DATABASE restored');
			await admin.end();
			const restore = spawnSync(
				findPostgresTool('pg_restore')!,
				['--no-owner', `--dbname=${engine.urlOf('restored')}`, join(target, 'journey.dump')],
				{
					encoding: 'utf8'
				}
			);
			expect(restore.status, restore.stderr).toBe(0);

			// The product opens the restored database as it is (its migrations are in the dump) and finds everything.
			const restored = await openPgDb(engine.urlOf('restored'));
			try {
				const board = await new PgBoardStore(restored).load('board-1');
				const doc = new Y.Doc();
				Y.applyUpdate(doc, board.state);
				expect(readJourney(doc).title).toBe('Onboarding, mapped');
				expect({ seq: board.seq, logLength: board.logLength }).toEqual({ seq: 1, logLength: 1 });
				expect(await new PgFileContents(restored).get('file-1')).toEqual(EVIDENCE);
				const { rows } = await restored.$client.query('SELECT automatic FROM versions WHERE board_id = $1', ['board-1']);
				expect(rows).toEqual([{ automatic: true }]);
				// The log goes on from where it was: the next update is number 2.
				const receipt = await new PgBoardStore(restored).append([
					{ boardId: 'board-1', update: retitle(board.state, 'After the restore') }
				]);
				expect(receipt.sequences!.get('board-1')).toBe(2);
			} finally {
				await restored.$client.end();
			}
		});

		test('says clearly when pg_dump is missing or the database does not answer', async () => {
			const missing = await runBackup(join(dir, 'no-tool'), { DATABASE_URL: engine.url, PG_DUMP: join(dir, 'no-such-pg_dump') });
			expect(missing.code).toBe(1);
			expect(missing.output).toMatch(/PG_DUMP names .*no-such-pg_dump, which is not an executable program/);

			const port = await freePort();
			const unreachable = await runBackup(join(dir, 'no-server'), {
				DATABASE_URL: `postgres://journey:secret@127.0.0.1:${port}/journey`,
				PATH: toolPath
			});
			expect(unreachable.code).toBe(1);
			expect(unreachable.output).toMatch(new RegExp(`Cannot connect to the database at 127\\.0\\.0\\.1:${port}/journey`));
			// The password is never printed.
			expect(unreachable.output).not.toContain('secret');
			expect(existsSync(join(dir, 'no-server', 'journey.dump'))).toBe(false);
		});
	}
);
