import { requestAddress } from '$lib/server/client-address';
import { getDb } from '$lib/server/db';
import { apiError, readJson, requireUser, tooManyRequests } from '$lib/server/http';
import { changePassword, passwordChangeInput } from '$lib/server/my-account';
import type { RequestHandler } from './$types';

/** Changes the password; every other session of the account ends. */
export const POST: RequestHandler = async (event) => {
	const user = requireUser(event.locals);
	if (user instanceof Response) return user;
	if (user.isGuest) return apiError(403, 'A guest has no password; choose one by becoming a full account');
	const input = await readJson(event.request, passwordChangeInput);
	if (input instanceof Response) return input;
	const result = await changePassword(getDb(), user, event.locals.session!.id, input, requestAddress(event));
	if (result.ok) return new Response(null, { status: 204 });
	return result.error === 'throttled'
		? tooManyRequests('Too many failed log-ins; try again in a few minutes', result.retryAfterSeconds)
		: apiError(403, 'The current password is wrong');
};
