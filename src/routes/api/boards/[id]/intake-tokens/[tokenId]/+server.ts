import { boardAccess } from '$lib/server/board-access';
import { getDb } from '$lib/server/db';
import { apiError } from '$lib/server/http';
import { revokeIntakeToken } from '$lib/server/intake-tokens';
import type { RequestHandler } from './$types';

/** Revokes an intake token: the next request with it is refused. Responses it sent stay. */
export const DELETE: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id, 'manage');
	if (access instanceof Response) return access;
	if (!(await revokeIntakeToken(db, params.id, params.tokenId))) return apiError(404, 'Intake token not found');
	return new Response(null, { status: 204 });
};
