import { resendVerificationMail } from '$lib/server/account-mail';
import { getDb } from '$lib/server/db';
import { apiError, requireUser, tooManyRequests } from '$lib/server/http';
import { mailConfigured } from '$lib/server/mail';
import type { RequestHandler } from './$types';

/** Mails the signed-in account a new link that confirms its email. */
export const POST: RequestHandler = async ({ locals }) => {
	const user = requireUser(locals);
	if (user instanceof Response) return user;
	if (!mailConfigured()) return apiError(501, 'No mail server is configured');
	const outcome = await resendVerificationMail(getDb(), user.id, locals.locale);
	if (outcome.ok) return new Response(null, { status: 202 });
	if (outcome.reason === 'throttled') return tooManyRequests('Too many confirmation mails; try again later', outcome.retryAfterSeconds);
	return outcome.reason === 'guest'
		? apiError(403, 'A guest has no email to confirm; choose one by turning into a full account')
		: apiError(409, 'This email is already confirmed');
};
