import { fail, redirect } from '@sveltejs/kit';
import { beginSession } from '$lib/server/auth-session';
import { getDb } from '$lib/server/db';
import { linkByMail, mailedLinkEmail } from '$lib/server/oidc/link-by-mail';
import { oidcSettings } from '$lib/server/oidc/flow';
import { invalidateSession } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

/**
 * A mailed link of the link step. Opening it only shows what it does: mail scanners follow links,
 * so the link is used by the button's POST, not by the GET.
 */
export const load: PageServerLoad = ({ url }) => {
	const token = url.searchParams.get('token') ?? '';
	return { token, email: mailedLinkEmail(token), providerName: oidcSettings()?.name ?? 'SSO' };
};

export const actions: Actions = {
	default: async ({ request, cookies, locals }) => {
		const token = String((await request.formData()).get('token') ?? '');
		const db = getDb();
		const result = await linkByMail(db, token);
		if (!result.ok) return fail(410, { error: 'auth.sso.linkMail.invalid' as const });
		if (locals.session) await invalidateSession(db, locals.session.id);
		await beginSession(db, cookies, result.userId);
		redirect(303, result.redirectTo);
	}
};
