import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
	const user = requireUser(locals);
	if (user instanceof Response) return user;
	return json({ user: { id: user.id, email: user.email, name: user.name } });
};
