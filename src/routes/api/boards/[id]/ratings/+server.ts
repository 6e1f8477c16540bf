import { json } from '@sveltejs/kit';
import { boardAccess } from '$lib/server/board-access';
import { publish } from '$lib/server/board-event-streams';
import { getDb } from '$lib/server/db';
import { rate, ratingInput, ratingRound } from '$lib/server/facilitation';
import { apiError, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** Records the caller's private emotion rating of the touchpoint being rated. */
export const POST: RequestHandler = async ({ locals, params, request }) => {
	const db = getDb();
	const access = boardAccess(db, locals, params.id, 'rate');
	if (access instanceof Response) return access;
	const input = await readJson(request, ratingInput);
	if (input instanceof Response) return input;
	const result = rate(db, params.id, access.user.id, input);
	if (!result.ok) return apiError(result.status, result.error);
	publish(params.id, { type: 'facilitation' });
	return json({ rating: ratingRound(db, params.id, access.user.id) });
};
