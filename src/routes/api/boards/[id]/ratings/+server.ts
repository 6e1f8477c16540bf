import { json } from '@sveltejs/kit';
import { boardAccess } from '$lib/server/board-access';
import { getDb } from '$lib/server/db';
import { ratingInput, submitRating } from '$lib/server/facilitation';
import { apiError, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** Records the caller's private emotion rating of the touchpoint being rated. */
export const POST: RequestHandler = async ({ locals, params, request }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id, 'rate');
	if (access instanceof Response) return access;
	const input = await readJson(request, ratingInput);
	if (input instanceof Response) return input;
	const rated = await submitRating(db, params.id, access.user.id, input);
	if (!rated.ok) return apiError(rated.status, rated.error);
	return json({ rating: rated.rating });
};
