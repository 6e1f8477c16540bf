import { json } from '@sveltejs/kit';
import { boardAccess } from '$lib/server/board-access';
import { getDb } from '$lib/server/db';
import { boardMetrics } from '$lib/server/intake';
import type { RequestHandler } from './$types';

/** The survey metrics of every touchpoint with responses, in journey order. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id);
	if (access instanceof Response) return access;
	return json({ touchpoints: await boardMetrics(db, params.id) });
};
