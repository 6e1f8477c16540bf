/** Evidence file bytes kept where the database says: under DATA_DIR/uploads with SQLite, in PostgreSQL's rows with PostgreSQL. */

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { postgresAvailable, startTestPostgres, type TestPostgres } from '../../../tests/support/pg-board-database';
import { openDb } from './db';
import { DiskFileContents, fileContentsOf, PgFileContents, UPLOADS_DIR, type FileContents } from './file-contents';

const PNG_BYTES = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 255, 1, 2]);

let postgres: TestPostgres | undefined;
beforeAll(async () => {
	if (postgresAvailable) postgres = await startTestPostgres();
}, 120_000);
afterAll(async () => {
	await postgres?.stop();
});

async function keepsBytes(contents: FileContents): Promise<void> {
	expect(await contents.get('file-1')).toBeNull();
	await contents.put('board-1', 'file-1', PNG_BYTES);
	expect(new Uint8Array((await contents.get('file-1'))!)).toEqual(PNG_BYTES);
	await contents.remove('file-1');
	expect(await contents.get('file-1')).toBeNull();
	await contents.remove('file-1');
}

describe('evidence file contents', () => {
	test('with SQLite, are files under DATA_DIR/uploads, each under its id and no half file left', async () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'journey-file-contents-'));
		const db = openDb(dataDir);
		try {
			const contents = fileContentsOf(db, dataDir);
			expect(contents).toBeInstanceOf(DiskFileContents);
			await contents.put('board-1', 'file-2', PNG_BYTES);
			expect(readdirSync(join(dataDir, UPLOADS_DIR))).toEqual(['file-2']);
			await keepsBytes(contents);
		} finally {
			db.$client.close();
			rmSync(dataDir, { recursive: true, force: true });
		}
	});

	test.skipIf(!postgresAvailable)('with PostgreSQL, are rows of the database, removed with their board', async () => {
		const database = postgres!;
		await database.reset();
		await database.addBoard('board-1', new Uint8Array([0, 0]));
		const contents = fileContentsOf(database.db, '/nonexistent');
		expect(contents).toBeInstanceOf(PgFileContents);
		await keepsBytes(contents);

		await contents.put('board-1', 'file-3', PNG_BYTES);
		await expect(contents.put('board-gone', 'file-4', PNG_BYTES)).rejects.toThrow();
		await database.deleteBoard('board-1');
		expect(await contents.get('file-3')).toBeNull();
	});
});
