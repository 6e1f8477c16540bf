import { describe, expect, test } from 'vitest';
import { isStorageError } from './storage-errors';

function coded(code: string): Error {
	return Object.assign(new Error(code), { code });
}

describe('isStorageError', () => {
	test('full disks and failing stores are storage errors, also as a cause', () => {
		for (const code of [
			'SQLITE_FULL',
			'SQLITE_IOERR',
			'SQLITE_IOERR_WRITE',
			'SQLITE_READONLY',
			'SQLITE_READONLY_DBMOVED',
			'ENOSPC',
			'EDQUOT',
			'EROFS'
		]) {
			expect(isStorageError(coded(code)), code).toBe(true);
		}
		expect(isStorageError(new Error('query failed', { cause: coded('SQLITE_FULL') }))).toBe(true);
	});

	test('a full, failing, unreachable or read-only PostgreSQL is storage trouble', () => {
		for (const code of ['53100', '53200', '53300', '58030', '08006', '08001', '57P01', '57P03', '25006', 'ECONNREFUSED', 'ECONNRESET']) {
			expect(isStorageError(new Error('Failed query', { cause: coded(code) })), code).toBe(true);
		}
		expect(isStorageError(new Error('Failed query', { cause: new Error('Connection terminated unexpectedly') }))).toBe(true);
		expect(isStorageError(new Error('timeout exceeded when trying to connect'))).toBe(true);
	});

	test('a PostgreSQL refusal of the request itself is not', () => {
		// unique violation, foreign key violation, serialization failure, syntax error, invalid text
		for (const code of ['23505', '23503', '40001', '42601', '22P02']) expect(isStorageError(coded(code)), code).toBe(false);
	});

	test('other failures are not', () => {
		for (const error of [coded('SQLITE_CONSTRAINT_UNIQUE'), coded('SQLITE_BUSY'), coded('ENOENT'), new Error('x'), null, 'ENOSPC']) {
			expect(isStorageError(error)).toBe(false);
		}
	});
});
