import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireUser } from '$lib/server/http';
import { listSessions } from '$lib/server/my-account';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
	const user = requireUser(locals);
	if (user instanceof Response) return user;
	return json({ sessions: await listSessions(getDb(), user.id, locals.session!.id) });
};
