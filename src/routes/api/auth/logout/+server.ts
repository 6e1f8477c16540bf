import { endSession } from '$lib/server/auth-session';
import { getDb } from '$lib/server/db';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ locals, cookies }) => {
	if (!locals.session) return apiError(401, 'Sign in first');
	await endSession(getDb(), cookies, locals.session.id);
	return new Response(null, { status: 204 });
};
