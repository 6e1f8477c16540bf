import { boardAccess } from '$lib/server/board-access';
import { getDb } from '$lib/server/db';
import { apiError } from '$lib/server/http';
import { removeMember } from '$lib/server/members';
import type { RequestHandler } from './$types';

export const DELETE: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id, 'manage');
	if (access instanceof Response) return access;
	const removed = await removeMember(db, params.id, params.userId);
	if (!removed.ok) return apiError(removed.status, removed.error);
	return new Response(null, { status: 204 });
};
