import { json } from '@sveltejs/kit';
import { boardAccess } from '$lib/server/board-access';
import { getDb } from '$lib/server/db';
import { apiError } from '$lib/server/http';
import { recentIntakeComments } from '$lib/server/intake';
import type { RequestHandler } from './$types';

/** A touchpoint's most recent response comments (`?touchpointId=`), newest first. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id);
	if (access instanceof Response) return access;
	const touchpointId = url.searchParams.get('touchpointId');
	if (!touchpointId) return apiError(400, 'touchpointId is required');
	return json({ comments: await recentIntakeComments(db, params.id, touchpointId) });
};
