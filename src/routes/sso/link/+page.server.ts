import { fail, redirect } from '@sveltejs/kit';
import { beginSession } from '$lib/server/auth-session';
import { requestAddress } from '$lib/server/client-address';
import { getDb } from '$lib/server/db';
import { mailConfigured } from '$lib/server/mail';
import { linkWithPassword, OIDC_LINK_COOKIE, pendingLinkOf } from '$lib/server/oidc/accounts';
import { deleteStepCookie } from '$lib/server/oidc/cookies';
import { mailLinkStep } from '$lib/server/oidc/link-by-mail';
import { oidcSettings } from '$lib/server/oidc/flow';
import { PASSWORD_MAX_LENGTH } from '$lib/server/password';
import { invalidateSession } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

const LINK_COOKIE_PATH = '/sso/link';

/** The link step: the provider's verified email matches an account, whose password must be proved once. */
export const load: PageServerLoad = ({ cookies }) => {
	const pending = pendingLinkOf(cookies.get(OIDC_LINK_COOKIE));
	return { email: pending?.email ?? null, providerName: oidcSettings()?.name ?? 'SSO', mailEnabled: mailConfigured() };
};

export const actions: Actions = {
	default: async (event) => {
		const { cookies, request, locals } = event;
		const form = await request.formData();
		// The other way to prove the account: a link mailed to its address (guesses cannot hold it back).
		if (form.get('intent') === 'mail') {
			const sent = await mailLinkStep(getDb(), cookies.get(OIDC_LINK_COOKIE), oidcSettings()?.name ?? 'SSO', locals.locale);
			if (sent.ok) return { mailed: sent.email };
			if (sent.error === 'expired') {
				deleteStepCookie(cookies, OIDC_LINK_COOKIE, LINK_COOKIE_PATH);
				return fail(410, { error: 'auth.sso.error.expired' as const });
			}
			return fail(sent.error === 'throttled' ? 429 : 503, {
				error: sent.error === 'throttled' ? ('auth.sso.link.mailThrottled' as const) : ('auth.sso.link.mailFailed' as const)
			});
		}
		const password = String(form.get('password') ?? '');
		if (password.length === 0 || password.length > PASSWORD_MAX_LENGTH) return fail(400, { error: 'auth.sso.link.wrongPassword' as const });
		const db = getDb();
		const token = cookies.get(OIDC_LINK_COOKIE);
		const result = await linkWithPassword(db, token, password, requestAddress(event));
		if (!result.ok) {
			if (result.error === 'expired') {
				deleteStepCookie(cookies, OIDC_LINK_COOKIE, LINK_COOKIE_PATH);
				return fail(410, { error: 'auth.sso.error.expired' as const });
			}
			return result.error === 'throttled'
				? fail(429, { error: 'auth.throttled' as const })
				: fail(403, { error: 'auth.sso.link.wrongPassword' as const });
		}
		deleteStepCookie(cookies, OIDC_LINK_COOKIE, LINK_COOKIE_PATH);
		if (locals.session) await invalidateSession(db, locals.session.id);
		await beginSession(db, cookies, result.userId);
		redirect(303, result.redirectTo);
	}
};
