import { verifyEmail, verifyEmailInput } from '$lib/server/account-mail';
import { getDb } from '$lib/server/db';
import { apiError, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** Proves an account's email with the token of a mailed link. */
export const POST: RequestHandler = async ({ request }) => {
	const input = await readJson(request, verifyEmailInput);
	if (input instanceof Response) return input;
	if (!(await verifyEmail(getDb(), input.token))) return apiError(400, 'This link has expired or was already used');
	return new Response(null, { status: 204 });
};
