import { fail, redirect } from '@sveltejs/kit';
import { logIn, loginInput } from '$lib/server/accounts';
import { beginSession } from '$lib/server/auth-session';
import { requestAddress } from '$lib/server/client-address';
import { getDb } from '$lib/server/db';
import { mailConfigured } from '$lib/server/mail';
import { passwordSignInOff, ssoButton } from '$lib/server/oidc/sign-in-options';
import { safeRedirectPath } from '$lib/server/redirect-path';
import type { Actions, PageServerLoad } from './$types';

/** Where to go after logging in: a same-site path given as `?next=` (e.g. back to an invite link), else the boards. */
function nextPath(url: URL): string {
	return safeRedirectPath(url.searchParams.get('next'));
}

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, nextPath(url));
	return { mailEnabled: mailConfigured(), passwordReset: url.searchParams.has('reset'), sso: ssoButton(nextPath(url)) };
};

export const actions: Actions = {
	default: async (event) => {
		const { request, cookies, url } = event;
		const form = await request.formData();
		const email = String(form.get('email') ?? '');
		if (passwordSignInOff()) return fail(403, { email, error: 'auth.sso.passwordOff' as const });
		const parsed = loginInput.safeParse({ email, password: String(form.get('password') ?? '') });
		if (!parsed.success) return fail(400, { email, error: 'auth.wrongCredentials' as const });
		const db = getDb();
		const result = await logIn(db, parsed.data, requestAddress(event));
		if (!result.user) {
			return result.error === 'throttled'
				? fail(429, { email, error: 'auth.throttled' as const })
				: fail(400, { email, error: 'auth.wrongCredentials' as const });
		}
		await beginSession(db, cookies, result.user.id);
		redirect(303, nextPath(url));
	}
};
