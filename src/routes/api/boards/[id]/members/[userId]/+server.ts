import { boardAccess } from '$lib/server/board-access';
import { getDb } from '$lib/server/db';
import { apiError } from '$lib/server/http';
import { removeMember } from '$lib/server/members';
import { syncHub } from '$lib/server/sync-hub';
import type { RequestHandler } from './$types';
import { closeStreams, publish } from '$lib/server/board-event-streams';

export const DELETE: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	const access = boardAccess(db, locals, params.id, 'manage');
	if (access instanceof Response) return access;
	const change = removeMember(db, params.id, params.userId);
	if (change === null) return apiError(404, 'Not a member of this board');
	if (!change.ok) return apiError(400, 'A board needs at least one owner');
	syncHub().setMemberRole(params.id, params.userId, null);
	closeStreams({ boardId: params.id, userId: params.userId });
	publish(params.id, { type: 'members' });
	return new Response(null, { status: 204 });
};
