import { json } from '@sveltejs/kit';
import { boardAccess } from '$lib/server/board-access';
import { getDb } from '$lib/server/db';
import { listRounds } from '$lib/server/workshop-rounds';
import type { RequestHandler } from './$types';

/** The board's workshop history: every dot vote and rating round with its dates and kept results, newest first. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id);
	if (access instanceof Response) return access;
	return json({ rounds: await listRounds(db, params.id) });
};
