import { boardAccess } from '$lib/server/board-access';
import { keptJsonResponse } from '$lib/server/kept-body';
import { getDb } from '$lib/server/db';
import { boardReads } from '$lib/server/reads/board-reads';
import { readRefused, takeRead } from '$lib/server/reads/read-limits';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params, request }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id);
	if (access instanceof Response) return access;
	const paced = await takeRead(access.user.id);
	if (paced) return paced;
	try {
		return await keptJsonResponse(request, await (await boardReads(db, params.id)).analysis());
	} catch (error) {
		return readRefused(error);
	}
};
