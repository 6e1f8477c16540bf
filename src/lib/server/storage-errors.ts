/**
 * Storage trouble: the disk is full, the database cannot write, or (PostgreSQL) cannot be reached. Such failures are the host's,
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

/** Socket error codes of a database server that cannot be reached (PostgreSQL). */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * PostgreSQL SQLSTATEs that mean storage trouble: classes 08 (connection exception), 53
 * (insufficient resources: `53100 disk_full`, out of memory, too many connections) and 58 (system
 * error: I/O), the server shutting down or starting (57P01–57P03), a read-only server (25006).
 */
const PG_STORAGE_CLASSES = ['08', '53', '58'];
const PG_STORAGE_CODES = new Set(['57P01', '57P02', '57P03', '25006']);

/** node-postgres's own errors for a connection that ended or could not be made (they carry no code). */
const PG_CONNECTION_MESSAGES = [
	/^Connection terminated/,
	/^timeout exceeded when trying to connect/,
	/^Client has encountered a connection error/
];

function isStorageCode(code: string): boolean {
	if (FS_STORAGE_CODES.has(code) || CONNECTION_CODES.has(code) || SQLITE_STORAGE_PREFIXES.some((prefix) => code.startsWith(prefix)))
		return true;
	// A SQLSTATE is five characters of digits and capitals.
	return /^[0-9A-Z]{5}$/.test(code) && (PG_STORAGE_CODES.has(code) || PG_STORAGE_CLASSES.includes(code.slice(0, 2)));
}

/** How deep a chain of `cause`s is searched (drizzle wraps driver errors). */
const MAX_CAUSE_DEPTH = 5;

/** Whether an error, or one of its causes, is a full disk or a failing store. */
export function isStorageError(error: unknown): boolean {
	let current = error;
	for (let depth = 0; depth < MAX_CAUSE_DEPTH && current && typeof current === 'object'; depth++) {
		const { code, message } = current as { code?: unknown; message?: unknown };
		if (typeof code === 'string' && isStorageCode(code)) return true;
		if (current instanceof Error && typeof message === 'string' && PG_CONNECTION_MESSAGES.some((pattern) => pattern.test(message)))
			return true;
		current = (current as { cause?: unknown }).cause;
	}
	return false;
}
