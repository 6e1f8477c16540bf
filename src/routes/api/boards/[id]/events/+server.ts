import { boardAccess } from '$lib/server/board-access';
import { eventStream } from '$lib/server/board-event-streams';
import { getDb } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** Server-Sent Events: comment and membership changes on the board, live. */
export const GET: RequestHandler = async ({ locals, params, request }) => {
	const access = await boardAccess(getDb(), locals, params.id);
	if (access instanceof Response) return access;
	return eventStream(params.id, { userId: access.user.id, sessionId: locals.session!.id }, request.signal);
};
