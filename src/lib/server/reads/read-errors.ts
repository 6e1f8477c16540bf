/**
 * Why a read could not be done. The pool runs in the server bundle and the routes in SvelteKit's,
 * so callers tell these apart by `code`, not by class.
 */
export type ReadErrorCode = 'queue-full' | 'out-of-memory';

/** An error of the render pool the routes answer with a status of their own. */
export class ReadError extends Error {
	constructor(
		readonly code: ReadErrorCode,
		message: string
	) {
		super(message);
	}
}

/** The code of a read error, or null for any other failure. */
export function readErrorCode(error: unknown): ReadErrorCode | null {
	const code = (error as { code?: unknown } | null)?.code;
	return code === 'queue-full' || code === 'out-of-memory' ? code : null;
}
