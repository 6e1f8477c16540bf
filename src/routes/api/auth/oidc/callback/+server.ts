import { redirect } from '@sveltejs/kit';
import { beginSession } from '$lib/server/auth-session';
import { getDb } from '$lib/server/db';
import { apiError } from '$lib/server/http';
import { OIDC_LINK_COOKIE, OIDC_LINK_TTL_MS, signInWithIdentity } from '$lib/server/oidc/accounts';
import { deleteStepCookie, setStepCookie } from '$lib/server/oidc/cookies';
import { finishOidcSignIn, OIDC_FLOW_COOKIE, oidcSettings } from '$lib/server/oidc/flow';
import { invalidateSession } from '$lib/server/session';
import type { RequestHandler } from './$types';

/** Longest query string a provider's answer may have (code, state, iss, session_state: well under it). */
const MAX_CALLBACK_QUERY_LENGTH = 4096;

/**
 * Where the provider sends the browser back: the flow of this browser is used up, the answer
 * checked, and the person signed in, sent to link an existing account, or shown why not.
 */
export const GET: RequestHandler = async ({ url, cookies, locals }) => {
	const settings = oidcSettings();
	if (!settings) return apiError(404, 'Single sign-on is not configured');
	const flowToken = cookies.get(OIDC_FLOW_COOKIE);
	deleteStepCookie(cookies, OIDC_FLOW_COOKIE, '/api/auth/oidc');
	if (url.search.length > MAX_CALLBACK_QUERY_LENGTH) redirect(303, '/sso/error?reason=invalid');
	const result = await finishOidcSignIn(settings, flowToken, url.search);
	if (!result.ok) redirect(303, `/sso/error?reason=${result.reason}`);
	const db = getDb();
	const outcome = await signInWithIdentity(db, result.identity, result.redirectTo);
	if (outcome.kind === 'refused') redirect(303, `/sso/error?reason=${outcome.reason}`);
	if (outcome.kind === 'link') {
		setStepCookie(cookies, OIDC_LINK_COOKIE, outcome.linkToken, '/sso/link', OIDC_LINK_TTL_MS);
		redirect(303, '/sso/link');
	}
	// Whoever was signed in in this browser before is signed out: one person per browser.
	if (locals.session) await invalidateSession(db, locals.session.id);
	await beginSession(db, cookies, outcome.userId);
	redirect(303, result.redirectTo);
};
