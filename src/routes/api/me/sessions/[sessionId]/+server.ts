import { getDb } from '$lib/server/db';
import { apiError, requireUser } from '$lib/server/http';
import { endOwnSession } from '$lib/server/my-account';
import type { RequestHandler } from './$types';

/** Signs out elsewhere (or here): only the caller's own sessions. */
export const DELETE: RequestHandler = async ({ locals, params }) => {
	const user = requireUser(locals);
	if (user instanceof Response) return user;
	if (!(await endOwnSession(getDb(), user.id, params.sessionId))) return apiError(404, 'No such session');
	return new Response(null, { status: 204 });
};
