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

	test('other failures are not', () => {
		for (const error of [coded('SQLITE_CONSTRAINT_UNIQUE'), coded('SQLITE_BUSY'), coded('ENOENT'), new Error('x'), null, 'ENOSPC']) {
			expect(isStorageError(error)).toBe(false);
		}
	});
});
