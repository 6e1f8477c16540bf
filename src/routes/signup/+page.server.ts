import { fail, redirect } from '@sveltejs/kit';
import { signUp, signupInput, takeSignup } from '$lib/server/accounts';
import { sendVerificationMail } from '$lib/server/account-mail';
import { beginSession } from '$lib/server/auth-session';
import { rememberLocale } from '$lib/server/mail-digest';
import { requestAddress } from '$lib/server/client-address';
import { getDb } from '$lib/server/db';
import { passwordSignInOff, ssoButton } from '$lib/server/oidc/sign-in-options';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.user) redirect(303, '/boards');
	// Under OIDC_ONLY accounts come from the provider: the log-in page has its button.
	if (passwordSignInOff()) redirect(303, '/login');
	return { sso: ssoButton('/boards') };
};

export const actions: Actions = {
	default: async (event) => {
		const { request, cookies } = event;
		const form = await request.formData();
		if (passwordSignInOff()) return fail(403, { email: '', name: '', error: 'auth.sso.passwordOff' as const });
		const fields = {
			email: String(form.get('email') ?? ''),
			name: String(form.get('name') ?? ''),
			password: String(form.get('password') ?? '')
		};
		const parsed = signupInput.safeParse(fields);
		if (!parsed.success) {
			const field = String(parsed.error.issues[0].path[0] ?? '');
			const error = field === 'email' ? 'auth.invalidEmail' : field === 'name' ? 'auth.nameRequired' : 'auth.passwordHint';
			return fail(400, {
				email: fields.email,
				name: fields.name,
				error: error as 'auth.invalidEmail' | 'auth.nameRequired' | 'auth.passwordHint'
			});
		}
		if ((await takeSignup(requestAddress(event))) !== null) {
			return fail(429, { email: fields.email, name: fields.name, error: 'auth.signupThrottled' as const });
		}
		const db = getDb();
		const result = await signUp(db, parsed.data);
		if (!result.user) return fail(409, { email: fields.email, name: fields.name, error: 'auth.emailTaken' as const });
		await beginSession(db, cookies, result.user.id);
		await rememberLocale(db, result.user.id, event.locals.locale);
		// Not awaited: the account exists whether or not the mail server answers.
		sendVerificationMail(db, result.user.id, event.locals.locale).catch((error) => console.error('verification mail not sent:', error));
		redirect(303, '/boards');
	}
};
