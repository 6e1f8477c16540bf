import { json } from '@sveltejs/kit';
import { sendVerificationMail } from '$lib/server/account-mail';
import { getDb } from '$lib/server/db';
import { upgradeGuest, upgradeInput } from '$lib/server/guests';
import { apiError, readJson, requireUser } from '$lib/server/http';
import { PASSWORD_SIGN_IN_OFF_MESSAGE, passwordSignInOff } from '$lib/server/oidc/sign-in-options';
import type { RequestHandler } from './$types';

/** A guest becomes a full account (email and password), keeping their id and contributions. */
export const POST: RequestHandler = async ({ locals, request }) => {
	const user = requireUser(locals);
	if (user instanceof Response) return user;
	// With single sign-on only, a guest becomes an account by signing in with the provider.
	if (passwordSignInOff()) return apiError(403, PASSWORD_SIGN_IN_OFF_MESSAGE);
	const input = await readJson(request, upgradeInput);
	if (input instanceof Response) return input;
	const db = getDb();
	const result = await upgradeGuest(db, user.id, input);
	if (!result.ok) {
		return result.error === 'email-taken'
			? apiError(409, 'An account with this email already exists')
			: apiError(400, 'Only a guest account can be turned into a full account');
	}
	// The chosen email counts only once its owner follows the mailed link.
	sendVerificationMail(db, user.id, locals.locale).catch((error) => console.error('verification mail not sent:', error));
	return json({ user: result.user });
};
