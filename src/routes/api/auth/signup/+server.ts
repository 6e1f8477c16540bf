import { json } from '@sveltejs/kit';
import { signUp, signupInput } from '$lib/server/accounts';
import { beginSession } from '$lib/server/auth-session';
import { getDb } from '$lib/server/db';
import { apiError, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, cookies }) => {
	const input = await readJson(request, signupInput);
	if (input instanceof Response) return input;
	const db = getDb();
	const result = await signUp(db, input);
	if (!result.user) return apiError(409, 'An account with this email already exists');
	beginSession(db, cookies, result.user.id);
	return json({ user: result.user }, { status: 201 });
};
