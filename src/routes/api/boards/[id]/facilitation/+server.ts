import { json } from '@sveltejs/kit';
import { boardAccess } from '$lib/server/board-access';
import { hasTouchpoint, touchpointIds } from '$lib/server/board-journey';
import { publish } from '$lib/server/board-event-streams';
import { getDb } from '$lib/server/db';
import { clearVotes, facilitationInput, facilitationState, ratingRound, updateFacilitation, voteTally } from '$lib/server/facilitation';
import { apiError, readJson } from '$lib/server/http';
import { syncHub } from '$lib/server/sync-hub';
import type { RequestHandler } from './$types';

/** The workshop controls with the caller's own votes and rating. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	const access = boardAccess(db, locals, params.id);
	if (access instanceof Response) return access;
	return json({
		state: facilitationState(db, params.id),
		votes: voteTally(db, params.id, access.user.id, touchpointIds(db, params.id)),
		rating: ratingRound(db, params.id, access.user.id),
		serverTime: new Date().toISOString()
	});
};

/** Owners lock, time, lead, spotlight, run ratings and voting; everyone on the board sees it at once. */
export const PATCH: RequestHandler = async ({ locals, params, request }) => {
	const db = getDb();
	const access = boardAccess(db, locals, params.id, 'facilitate');
	if (access instanceof Response) return access;
	const input = await readJson(request, facilitationInput);
	if (input instanceof Response) return input;
	if (input.ratingTouchpointId && !hasTouchpoint(db, params.id, input.ratingTouchpointId)) {
		return apiError(404, 'No such touchpoint on this board');
	}
	const before = facilitationState(db, params.id);
	const state = updateFacilitation(db, params.id, access.user.id, input);
	if (input.votingOpen === true && !before.votingOpen) clearVotes(db, params.id);
	if (state.locked !== before.locked) syncHub().setLocked(params.id, state.locked);
	publish(params.id, { type: 'facilitation' });
	return json({ state });
};
