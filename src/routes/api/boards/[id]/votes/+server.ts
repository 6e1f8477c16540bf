import { json } from '@sveltejs/kit';
import { boardAccess } from '$lib/server/board-access';
import { getDb } from '$lib/server/db';
import { placeVote, voteInput } from '$lib/server/facilitation';
import { apiError, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** Places (+1) or takes back (−1) one of the caller's dots; viewers only watch. */
export const POST: RequestHandler = async ({ locals, params, request }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id, 'vote');
	if (access instanceof Response) return access;
	const input = await readJson(request, voteInput);
	if (input instanceof Response) return input;
	const placed = await placeVote(db, params.id, access.user.id, input);
	if (!placed.ok) return apiError(placed.status, placed.error);
	return json({ votes: placed.votes });
};
