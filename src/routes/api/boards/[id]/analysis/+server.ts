import { boardAccess } from '$lib/server/board-access';
import { getDb } from '$lib/server/db';
import { boardReads } from '$lib/server/reads/board-reads';
import { readRefused } from '$lib/server/reads/read-limits';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	const access = boardAccess(db, locals, params.id);
	if (access instanceof Response) return access;
	try {
		// A copy: the kept bytes must outlive the response.
		return new Response((await boardReads(db, params.id).analysis()).slice(), { headers: { 'content-type': 'application/json' } });
	} catch (error) {
		return readRefused(error);
	}
};
