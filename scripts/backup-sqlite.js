// The SQLite backup (`npm run backup -- <dir>` without DATABASE_URL): a consistent copy of DATA_DIR
// while the server runs and people edit.
//
// The database is copied with SQLite's online backup API in one step (one read transaction, so
// the copy is the state at one instant and writers are never blocked: the database is in WAL
// mode), then the uploaded files the copy refers to are copied. `<dir>` can be used as DATA_DIR
// directly to restore: `DATA_DIR=<dir> npm start`.
import Database from 'better-sqlite3';
import { copyFile, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BackupError } from './backup-error.js';

const DATABASE_FILE = 'journey.db';
const UPLOADS_DIR = 'uploads';
/** Pages per backup step: all of them, so the copy is taken in one read transaction. */
const ALL_PAGES = 0x7fffffff;

/**
 * Copies the SQLite database of `dataDir` and the uploaded files it refers to into `destination`.
 * @param {string} dataDir
 * @param {string} destination
 */
export async function backupSqlite(dataDir, destination) {
	const source = join(dataDir, DATABASE_FILE);
	if (!existsSync(source)) throw new BackupError(`No database at ${source}: set DATA_DIR to the server's data directory.`);
	if (existsSync(join(destination, DATABASE_FILE))) {
		throw new BackupError(`${join(destination, DATABASE_FILE)} exists already; choose a new backup directory.`);
	}

	await mkdir(join(destination, UPLOADS_DIR), { recursive: true });
	const partial = join(destination, `${DATABASE_FILE}.part`);
	await rm(partial, { force: true });

	const db = new Database(source, { fileMustExist: true });
	try {
		db.pragma('busy_timeout = 10000');
		await db.backup(partial, { progress: () => ALL_PAGES });
	} finally {
		db.close();
	}

	// Check the copy before it takes the real name, and list the files it refers to.
	const copy = new Database(partial);
	/** @type {string[]} */
	let fileIds;
	/** @type {number} */
	let boards;
	try {
		const check = copy.pragma('integrity_check', { simple: true });
		if (check !== 'ok') throw new Error(`the copy failed its integrity check: ${check}`);
		fileIds = /** @type {{ id: string }[]} */ (copy.prepare('SELECT id FROM files').all()).map((row) => row.id);
		boards = /** @type {{ n: number }} */ (copy.prepare('SELECT count(*) AS n FROM boards').get()).n;
	} finally {
		copy.close();
	}
	await rename(partial, join(destination, DATABASE_FILE));

	// After the database: every file a copied row refers to was written (and renamed into place)
	// before its row, so it exists now. Files uploaded since are not in the copy and are skipped.
	const present = new Set(existsSync(join(dataDir, UPLOADS_DIR)) ? await readdir(join(dataDir, UPLOADS_DIR)) : []);
	let copied = 0;
	/** @type {string[]} */
	const missing = [];
	for (const id of fileIds) {
		if (!present.has(id)) {
			missing.push(id);
			continue;
		}
		await copyFile(join(dataDir, UPLOADS_DIR, id), join(destination, UPLOADS_DIR, id));
		copied++;
	}

	console.log(`Backed up ${boards} boards and ${copied} files from ${dataDir} to ${destination}`);
	if (missing.length > 0) console.warn(`${missing.length} files listed in the database were missing from ${join(dataDir, UPLOADS_DIR)}`);
}
