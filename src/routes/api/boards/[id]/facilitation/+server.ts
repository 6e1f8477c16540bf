import { json } from '@sveltejs/kit';
import { boardAccess } from '$lib/server/board-access';
import { touchpointIds } from '$lib/server/board-journey';
import { getDb } from '$lib/server/db';
import { changeFacilitation, facilitationInput, facilitationState, ratingRound, voteTally } from '$lib/server/facilitation';
import { apiError, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** The workshop controls with the caller's own votes and rating. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id);
	if (access instanceof Response) return access;
	return json({
		state: await facilitationState(db, params.id),
		votes: await voteTally(db, params.id, access.user.id, await touchpointIds(db, params.id)),
		rating: await ratingRound(db, params.id, access.user.id),
		serverTime: new Date().toISOString()
	});
};

/** Owners lock, time, lead, spotlight, run ratings and voting; everyone on the board sees it at once. */
export const PATCH: RequestHandler = async ({ locals, params, request }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id, 'facilitate');
	if (access instanceof Response) return access;
	const input = await readJson(request, facilitationInput);
	if (input instanceof Response) return input;
	const changed = await changeFacilitation(db, params.id, access.user.id, input);
	if (!changed.ok) return apiError(changed.status, changed.error);
	return json({ state: changed.state });
};
