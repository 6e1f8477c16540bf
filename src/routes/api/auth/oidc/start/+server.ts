import { redirect } from '@sveltejs/kit';
import { apiError } from '$lib/server/http';
import { setStepCookie } from '$lib/server/oidc/cookies';
import { beginOidcSignIn, OIDC_FLOW_COOKIE, OIDC_FLOW_TTL_MS, oidcSettings } from '$lib/server/oidc/flow';
import { safeRedirectPath } from '$lib/server/redirect-path';
import { getDb } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** The flow cookie goes back only to the callback. */
const FLOW_COOKIE_PATH = '/api/auth/oidc';

/** Sends the browser to the provider to sign in; `?redirect=` is where to land after (a path on this site). */
export const GET: RequestHandler = async ({ url, cookies }) => {
	const settings = oidcSettings();
	if (!settings) return apiError(404, 'Single sign-on is not configured');
	const redirectTo = safeRedirectPath(url.searchParams.get('redirect'));
	let target: URL;
	try {
		const started = await beginOidcSignIn(getDb(), settings, redirectTo);
		setStepCookie(cookies, OIDC_FLOW_COOKIE, started.flowToken, FLOW_COOKIE_PATH, OIDC_FLOW_TTL_MS);
		target = started.url;
	} catch (error) {
		console.error('single sign-on: provider discovery failed:', error instanceof Error ? error.message : error);
		redirect(303, '/sso/error?reason=unavailable');
	}
	redirect(303, target.href);
};
