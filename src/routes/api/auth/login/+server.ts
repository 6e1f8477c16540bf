import { json } from '@sveltejs/kit';
import { logIn, loginInput } from '$lib/server/accounts';
import { beginSession } from '$lib/server/auth-session';
import { requestAddress } from '$lib/server/client-address';
import { getDb } from '$lib/server/db';
import { apiError, readJson, tooManyRequests } from '$lib/server/http';
import { PASSWORD_SIGN_IN_OFF_MESSAGE, passwordSignInOff } from '$lib/server/oidc/sign-in-options';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => {
	const { request, cookies } = event;
	if (passwordSignInOff()) return apiError(403, PASSWORD_SIGN_IN_OFF_MESSAGE);
	const input = await readJson(request, loginInput);
	if (input instanceof Response) return input;
	const db = getDb();
	const result = await logIn(db, input, requestAddress(event));
	if (!result.user) {
		return result.error === 'throttled'
			? tooManyRequests('Too many failed log-ins; try again in a few minutes', result.retryAfterSeconds)
			: apiError(401, 'Wrong email or password');
	}
	await beginSession(db, cookies, result.user.id);
	return json({ user: result.user });
};
