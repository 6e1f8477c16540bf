import { confirmPasswordReset, passwordResetConfirmInput } from '$lib/server/account-mail';
import { beginSession } from '$lib/server/auth-session';
import { getDb } from '$lib/server/db';
import { apiError, readJson } from '$lib/server/http';
import { invalidateSession } from '$lib/server/session';
import type { RequestHandler } from './$types';

/**
 * Sets the password with a mailed reset link; every session of the account ends and the person who
 * followed the link is signed in (204 with the session cookie). The link proved the address, so the
 * owner of an account under a guessing attack gets in here whatever the log-in delays.
 */
export const POST: RequestHandler = async ({ request, cookies, locals }) => {
	const input = await readJson(request, passwordResetConfirmInput);
	if (input instanceof Response) return input;
	const db = getDb();
	const userId = await confirmPasswordReset(db, input);
	if (!userId) return apiError(400, 'This reset link has expired or was already used');
	// Whoever was signed in on this browser before (another account, a guest) is signed out first.
	if (locals.session) await invalidateSession(db, locals.session.id);
	await beginSession(db, cookies, userId);
	return new Response(null, { status: 204 });
};
