import { json } from '@sveltejs/kit';
import { signUp, signupInput, takeSignup } from '$lib/server/accounts';
import { sendVerificationMail } from '$lib/server/account-mail';
import { beginSession } from '$lib/server/auth-session';
import { rememberLocale } from '$lib/server/mail-digest';
import { requestAddress } from '$lib/server/client-address';
import { getDb } from '$lib/server/db';
import { apiError, readJson, tooManyRequests } from '$lib/server/http';
import { PASSWORD_SIGN_IN_OFF_MESSAGE, passwordSignInOff } from '$lib/server/oidc/sign-in-options';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => {
	const { request, cookies } = event;
	if (passwordSignInOff()) return apiError(403, PASSWORD_SIGN_IN_OFF_MESSAGE);
	const input = await readJson(request, signupInput);
	if (input instanceof Response) return input;
	const wait = await takeSignup(requestAddress(event));
	if (wait !== null) return tooManyRequests('Too many sign-ups from this address; try again later', wait);
	const db = getDb();
	const result = await signUp(db, input);
	if (!result.user) return apiError(409, 'An account with this email already exists');
	await beginSession(db, cookies, result.user.id);
	await rememberLocale(db, result.user.id, event.locals.locale);
	// Not awaited: the account exists whether or not the mail server answers.
	sendVerificationMail(db, result.user.id, event.locals.locale).catch((error) => console.error('verification mail not sent:', error));
	return json({ user: result.user }, { status: 201 });
};
