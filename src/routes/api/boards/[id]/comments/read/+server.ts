import { boardAccess } from '$lib/server/board-access';
import { markMentionsRead } from '$lib/server/comments';
import { getDb } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** Marks the caller's mentions on this board as seen. */
export const POST: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id);
	if (access instanceof Response) return access;
	await markMentionsRead(db, params.id, access.user.id);
	return new Response(null, { status: 204 });
};
