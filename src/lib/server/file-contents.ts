import { eq, is } from 'drizzle-orm';
import { PgDatabase } from 'drizzle-orm/pg-core';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from './db';
import type { PgDb } from './db/pg';
import { fileContents } from './db/schema-pg';

/** Folder for evidence files inside DATA_DIR (SQLite). */
export const UPLOADS_DIR = 'uploads';

/**
 * Where evidence files' bytes are kept: files under DATA_DIR/uploads beside the SQLite database,
 * or rows of `file_contents` in PostgreSQL, so one `pg_dump` holds them with everything else. The
 * bytes are put before the `files` row that names them, and removed if that row cannot be stored.
 */
export interface FileContents {
	/** Stores a file's bytes under its id, whole or not at all. */
	put(boardId: string, fileId: string, bytes: Uint8Array): Promise<void>;
	/** A file's bytes, or null when none are stored under its id. */
	get(fileId: string): Promise<Buffer | null>;
	/** Removes a file's bytes; nothing happens when there are none. */
	remove(fileId: string): Promise<void>;
}

/** The file contents of the database `db`: its rows for PostgreSQL, files under `dataDir` for SQLite. */
export function fileContentsOf(db: Db | PgDb, dataDir: string): FileContents {
	return is(db, PgDatabase) ? new PgFileContents(db as PgDb) : new DiskFileContents(join(dataDir, UPLOADS_DIR));
}

/** Evidence files in a folder, each under its id. */
export class DiskFileContents implements FileContents {
	constructor(private readonly dir: string) {}

	async put(_boardId: string, fileId: string, bytes: Uint8Array): Promise<void> {
		await mkdir(this.dir, { recursive: true });
		const partPath = join(this.dir, `${fileId}.part`);
		try {
			// Written under a temporary name and renamed, so a crash never leaves a half file behind its id.
			await writeFile(partPath, bytes);
			await rename(partPath, join(this.dir, fileId));
		} catch (error) {
			await rm(partPath, { force: true }).catch(() => {});
			throw error;
		}
	}

	async get(fileId: string): Promise<Buffer | null> {
		try {
			return await readFile(join(this.dir, fileId));
		} catch {
			return null;
		}
	}

	async remove(fileId: string): Promise<void> {
		await rm(join(this.dir, fileId), { force: true });
	}
}

/** Evidence files as rows of PostgreSQL's `file_contents`, removed with their board. */
export class PgFileContents implements FileContents {
	constructor(private readonly db: PgDb) {}

	async put(boardId: string, fileId: string, bytes: Uint8Array): Promise<void> {
		await this.db.insert(fileContents).values({ fileId, boardId, content: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
	}

	async get(fileId: string): Promise<Buffer | null> {
		const [row] = await this.db.select({ content: fileContents.content }).from(fileContents).where(eq(fileContents.fileId, fileId));
		return row?.content ?? null;
	}

	async remove(fileId: string): Promise<void> {
		await this.db.delete(fileContents).where(eq(fileContents.fileId, fileId));
	}
}
