// `npm run backup -- <dir>`: a consistent copy of DATA_DIR while the server runs and people edit.
//
// The database is copied with SQLite's online backup API in one step (one read transaction, so
// the copy is the state at one instant and writers are never blocked: the database is in WAL
// mode), then the uploaded files the copy refers to are copied. `<dir>` can be used as DATA_DIR
// directly to restore: `DATA_DIR=<dir> npm start`.
import Database from 'better-sqlite3';
import { copyFile, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const DATABASE_FILE = 'journey.db';
const UPLOADS_DIR = 'uploads';
/** Pages per backup step: all of them, so the copy is taken in one read transaction. */
const ALL_PAGES = 0x7fffffff;

const target = process.argv[2];
if (!target || target.startsWith('-')) {
	console.error('Usage: npm run backup -- <backup directory>   (DATA_DIR names the data to back up, default ./data)');
	process.exit(2);
}

const dataDir = resolve(process.env.DATA_DIR || './data');
const source = join(dataDir, DATABASE_FILE);
const destination = resolve(target);
if (!existsSync(source)) {
	console.error(`No database at ${source}: set DATA_DIR to the server's data directory.`);
	process.exit(1);
}
if (existsSync(join(destination, DATABASE_FILE))) {
	console.error(`${join(destination, DATABASE_FILE)} exists already; choose a new backup directory.`);
	process.exit(1);
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
