import { fail, redirect } from '@sveltejs/kit';
import { logIn, loginInput } from '$lib/server/accounts';
import { beginSession } from '$lib/server/auth-session';
import { requestAddress } from '$lib/server/client-address';
import { getDb } from '$lib/server/db';
import { mailConfigured } from '$lib/server/mail';
import type { Actions, PageServerLoad } from './$types';

/** Where to go after logging in: a same-site path given as `?next=` (e.g. back to an invite link), else the boards. */
function nextPath(url: URL): string {
	const next = url.searchParams.get('next');
	// A path on this site only: not `//host` or `/\host`, and no whitespace or control characters a
	// browser would strip (`/\t/host` becomes `//host`).
	// eslint-disable-next-line no-control-regex -- control characters are refused in a redirect path
	return next && /^\/(?![/\\])[^\\\s\x00-\x1f\x7f]*$/.test(next) ? next : '/boards';
}

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, nextPath(url));
	return { mailEnabled: mailConfigured(), passwordReset: url.searchParams.has('reset') };
};

export const actions: Actions = {
	default: async (event) => {
		const { request, cookies, url } = event;
		const form = await request.formData();
		const email = String(form.get('email') ?? '');
		const parsed = loginInput.safeParse({ email, password: String(form.get('password') ?? '') });
		if (!parsed.success) return fail(400, { email, error: 'auth.wrongCredentials' as const });
		const db = getDb();
		const result = await logIn(db, parsed.data, requestAddress(event));
		if (!result.user) {
			return result.error === 'throttled'
				? fail(429, { email, error: 'auth.throttled' as const })
				: fail(400, { email, error: 'auth.wrongCredentials' as const });
		}
		beginSession(db, cookies, result.user.id);
		redirect(303, nextPath(url));
	}
};
