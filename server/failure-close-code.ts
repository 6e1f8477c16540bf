import { isStorageError } from '../src/lib/server/storage-errors';
import { CLOSE_CODES } from './close-codes';

/**
 * The close code for a server-side failure: `storageUnavailable` (4503) when the disk is full or
 * the database cannot write — the client keeps its edits and resends them after a growing delay —
 * otherwise `internalError` (1011).
 */
export function failureCloseCode(error: unknown): number {
	return isStorageError(error) ? CLOSE_CODES.storageUnavailable : CLOSE_CODES.internalError;
}
