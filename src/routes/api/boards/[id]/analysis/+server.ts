import { json } from '@sveltejs/kit';
import { analyzeJourney } from '$lib/journey/analysis';
import { boardAccess } from '$lib/server/board-access';
import { readBoardJourney } from '$lib/server/board-journey';
import { getDb } from '$lib/server/db';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	const access = boardAccess(db, locals, params.id);
	if (access instanceof Response) return access;
	return json(analyzeJourney(readBoardJourney(db, params.id)));
};
