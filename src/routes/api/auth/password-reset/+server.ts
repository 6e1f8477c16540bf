import { passwordResetInput, requestPasswordReset } from '$lib/server/account-mail';
import { requestAddress } from '$lib/server/client-address';
import { getDb } from '$lib/server/db';
import { apiError, readJson } from '$lib/server/http';
import { mailConfigured } from '$lib/server/mail';
import type { RequestHandler } from './$types';

/** Mails a reset link to a known address; always 202, so the answer tells nothing about accounts. */
export const POST: RequestHandler = async (event) => {
	if (!mailConfigured()) return apiError(501, 'This server sends no mail, so it cannot reset passwords');
	const input = await readJson(event.request, passwordResetInput);
	if (input instanceof Response) return input;
	// Not awaited: how long the mail server takes must not tell whether the address has an account.
	requestPasswordReset(getDb(), input.email, requestAddress(event), event.locals.locale).catch((error) =>
		console.error('password reset not mailed:', error)
	);
	return new Response(null, { status: 202 });
};
