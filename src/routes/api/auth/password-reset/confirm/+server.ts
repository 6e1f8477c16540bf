import { confirmPasswordReset, passwordResetConfirmInput } from '$lib/server/account-mail';
import { getDb } from '$lib/server/db';
import { apiError, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';

/** Sets the password with a mailed reset link; every session of the account ends. */
export const POST: RequestHandler = async ({ request }) => {
	const input = await readJson(request, passwordResetConfirmInput);
	if (input instanceof Response) return input;
	if (!(await confirmPasswordReset(getDb(), input))) return apiError(400, 'This reset link has expired or was already used');
	return new Response(null, { status: 204 });
};
