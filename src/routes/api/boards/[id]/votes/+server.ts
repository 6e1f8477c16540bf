import { json } from '@sveltejs/kit';
import { boardAccess } from '$lib/server/board-access';
import { touchpointIds } from '$lib/server/board-journey';
import { publish } from '$lib/server/board-event-streams';
import { getDb } from '$lib/server/db';
import { castVote, voteInput, voteTally } from '$lib/server/facilitation';
import { apiError, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** Places (+1) or takes back (−1) one of the caller's dots; viewers only watch. */
export const POST: RequestHandler = async ({ locals, params, request }) => {
	const db = getDb();
	const access = boardAccess(db, locals, params.id, 'vote');
	if (access instanceof Response) return access;
	const input = await readJson(request, voteInput);
	if (input instanceof Response) return input;
	// A dot on a card deleted since no longer counts (it is back in the budget): nothing to place or take back.
	const touchpoints = touchpointIds(db, params.id);
	if (!touchpoints.has(input.touchpointId)) return apiError(404, 'No such touchpoint on this board');
	const result = castVote(db, params.id, access.user.id, input, touchpoints);
	if (!result.ok) return apiError(result.status, result.error);
	publish(params.id, { type: 'facilitation' });
	return json({ votes: voteTally(db, params.id, access.user.id, touchpoints) });
};
