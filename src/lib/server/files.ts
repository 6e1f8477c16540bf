import { and, eq } from 'drizzle-orm';
import { fileStem } from '../file-name';
import type { Db } from './db';
import { tables } from './db/tables';
import { fileContentsOf } from './file-contents';
import { detectFileType } from './file-types';
import { newId } from './random-ids';

export { UPLOADS_DIR } from './file-contents';
const NAME_MAX_LENGTH = 200;

export type StoreResult = { ok: true; fileId: string; mime: string } | { ok: false; status: 413 | 415 | 400; error: string };

export interface StoredFile {
	id: string;
	name: string;
	mime: string;
	size: number;
}

/** Stem of an evidence file's name when the uploaded name leaves nothing usable. */
export const EVIDENCE_FILE_STEM = 'evidence';

/** A display name safe for a Content-Disposition header and a UI label: the sanitised name with the detected type's extension. */
export function safeFileName(name: string, extension: string): string {
	return `${fileStem(name.replace(/\.[^.]*$/, ''), EVIDENCE_FILE_STEM, NAME_MAX_LENGTH)}.${extension}`;
}

/**
 * Stores an uploaded evidence file under a generated name after checking its size and its
 * content type (magic bytes); the name the client gave is only kept as a label.
 */
export async function storeFile(
	db: Db,
	dataDir: string,
	input: { boardId: string; userId: string; file: File; limitBytes: number }
): Promise<StoreResult> {
	const { file, limitBytes } = input;
	if (file.size > limitBytes) {
		return { ok: false, status: 413, error: `The file is larger than the ${formatMb(limitBytes)} limit` };
	}
	if (file.size === 0) return { ok: false, status: 400, error: 'The file is empty' };
	const bytes = new Uint8Array(await file.arrayBuffer());
	const type = detectFileType(bytes);
	if (!type) {
		return { ok: false, status: 415, error: 'Only images (PNG, JPEG, GIF, WebP), PDF, CSV, XLSX and DOCX files can be attached' };
	}
	const id = newId();
	const contents = fileContentsOf(db, dataDir);
	// The bytes before the row: a row never names a file that is not there.
	await contents.put(input.boardId, id, bytes);
	try {
		const { files } = tables(db);
		await db.insert(files).values({
			id,
			boardId: input.boardId,
			name: safeFileName(file.name, type.extension),
			mime: type.mime,
			size: bytes.length,
			createdBy: input.userId,
			createdAt: Date.now()
		});
	} catch (error) {
		// A full disk or a failing database: nothing of the upload stays behind.
		await contents.remove(id).catch(() => {});
		throw error;
	}
	return { ok: true, fileId: id, mime: type.mime };
}

/** A board's stored file with its bytes, or null. */
export async function readStoredFile(
	db: Db,
	dataDir: string,
	boardId: string,
	fileId: string
): Promise<{ file: StoredFile; bytes: Buffer } | null> {
	const { files } = tables(db);
	const [row] = await db
		.select({ id: files.id, name: files.name, mime: files.mime, size: files.size })
		.from(files)
		.where(and(eq(files.id, fileId), eq(files.boardId, boardId)))
		.limit(1);
	if (!row) return null;
	const bytes = await fileContentsOf(db, dataDir).get(row.id);
	return bytes ? { file: row, bytes } : null;
}

function formatMb(bytes: number): string {
	return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}
