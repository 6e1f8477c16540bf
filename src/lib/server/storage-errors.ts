/**
 * Storage trouble: the disk is full or the database cannot write. Such failures are the host's,
 * not the request's, so they are told apart from bugs — HTTP answers 507, sync sockets close with
 * `storageUnavailable` (4503) — and the client keeps its edits until the server can save again.
 */

/** HTTP status for a write the server cannot store now (RFC 4918 Insufficient Storage). */
export const STORAGE_UNAVAILABLE_STATUS = 507;

/** The error message of that answer. */
export const STORAGE_UNAVAILABLE_MESSAGE = 'The server cannot save right now (storage is full or failing); try again later';

/** SQLite result codes (and their extended forms, e.g. `SQLITE_IOERR_WRITE`) that mean storage trouble. */
const SQLITE_STORAGE_PREFIXES = ['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_READONLY', 'SQLITE_CANTOPEN'];

/** File system error codes that mean storage trouble. */
const FS_STORAGE_CODES = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO']);

/** How deep a chain of `cause`s is searched (drizzle wraps driver errors). */
const MAX_CAUSE_DEPTH = 5;

/** Whether an error, or one of its causes, is a full disk or a failing store. */
export function isStorageError(error: unknown): boolean {
	let current = error;
	for (let depth = 0; depth < MAX_CAUSE_DEPTH && current && typeof current === 'object'; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && (FS_STORAGE_CODES.has(code) || SQLITE_STORAGE_PREFIXES.some((prefix) => code.startsWith(prefix)))) {
			return true;
		}
		current = (current as { cause?: unknown }).cause;
	}
	return false;
}
