import type { Handle, HandleServerError, RequestEvent, ServerInit } from '@sveltejs/kit';
import { asLocale, LOCALE_COOKIE, negotiateLocale } from '$lib/i18n';
import { publicOrigin } from '$lib/server/config';
import { CSP_HEADER, withSyncOrigin } from '$lib/server/csp';
import { deleteSessionCookie, setSessionCookie } from '$lib/server/cookies';
import { getDb, initDb } from '$lib/server/db';
import { apiError } from '$lib/server/http';
import { rememberLocale, startMailDigests } from '$lib/server/mail-digest';
import { SESSION_COOKIE, validateSessionToken } from '$lib/server/session';
import { storageUnavailablePage } from '$lib/server/storage-page';
import { isStorageError, STORAGE_UNAVAILABLE_MESSAGE, STORAGE_UNAVAILABLE_STATUS } from '$lib/server/storage-errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Opens the database before the first request: PostgreSQL (`DATABASE_URL`) connects and migrates asynchronously. */
export const init: ServerInit = async () => {
	await initDb();
};

const SECURITY_HEADERS = {
	'X-Content-Type-Options': 'nosniff',
	'X-Frame-Options': 'DENY',
	'Referrer-Policy': 'same-origin'
};

export const handle: Handle = async (input) => {
	try {
		const response = await handleRequest(input);
		// A route failed on storage (see handleError): every route answers 507 for it, not 500.
		return input.event.locals.storageFailed ? storageUnavailable(input.event) : response;
	} catch (error) {
		// Storage failed before the route ran (e.g. renewing the session).
		if (isStorageError(error)) return storageUnavailable(input.event);
		throw error;
	}
};

/** Notes storage failures for `handle`; everything else is logged as SvelteKit would. */
export const handleError: HandleServerError = ({ error, event }) => {
	if (isStorageError(error)) {
		event.locals.storageFailed = true;
		console.error(`${event.request.method} ${event.url.pathname}: storage unavailable: ${(error as Error).message}`);
	} else {
		console.error(error);
	}
};

/** 507: a JSON error for the API and other clients, a page in the reader's language for a browser's page request. */
function storageUnavailable(event: RequestEvent): Response {
	const wantsPage = !event.url.pathname.startsWith('/api/') && (event.request.headers.get('accept') ?? '').includes('text/html');
	const response = wantsPage
		? storageUnavailablePage(event.locals.locale ?? negotiateLocale(event.request.headers.get('accept-language')), event.url.pathname)
		: apiError(STORAGE_UNAVAILABLE_STATUS, STORAGE_UNAVAILABLE_MESSAGE);
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
	return response;
}

/** The one route a survey tool calls with its own credential, an intake token, and no cookie. */
const INTAKE_PATH = '/api/intake';

/**
 * A `POST /api/intake` carrying `Authorization: Bearer …`: it may come from any origin (a survey
 * tool's page or server), since it acts only through the token and never through a cookie.
 */
function isBearerIntake(request: Request, pathname: string): boolean {
	return request.method === 'POST' && pathname === INTAKE_PATH && /^Bearer\s/i.test(request.headers.get('authorization') ?? '');
}

const handleRequest: Handle = async ({ event, resolve }) => {
	const bearerIntake = isBearerIntake(event.request, event.url.pathname);
	// A state-changing request from another origin is refused whatever its content type;
	// requests without Origin (non-browser clients) pass on their cookie alone.
	const origin = event.request.headers.get('origin');
	if (!bearerIntake && !SAFE_METHODS.has(event.request.method) && origin !== null && origin !== publicOrigin()) {
		// Read and drop the body, so the connection stays usable for the client's next request.
		await event.request.body?.pipeTo(new WritableStream()).catch(() => {});
		return apiError(403, 'Cross-origin request refused');
	}

	startMailDigests(getDb());
	event.locals.locale = asLocale(event.cookies.get(LOCALE_COOKIE)) ?? negotiateLocale(event.request.headers.get('accept-language'));
	event.locals.user = null;
	event.locals.session = null;
	// Bearer intake is authenticated by its token alone: a session cookie sent along is not read.
	const token = bearerIntake ? undefined : event.cookies.get(SESSION_COOKIE);
	if (token) {
		const db = getDb();
		const result = await validateSessionToken(db, token);
		if (result.session) {
			event.locals.user = result.user;
			// Mails to the person (digests) are written in the language they last used here.
			if (result.locale !== event.locals.locale) await rememberLocale(db, result.user.id, event.locals.locale);
			event.locals.session = result.session;
			if (result.renewed) setSessionCookie(event.cookies, token, result.session.expiresAt);
		} else {
			deleteSessionCookie(event.cookies);
		}
	}

	const response = await resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale)
	});
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
		if (!response.headers.has(name)) response.headers.set(name, value);
	}
	const policy = response.headers.get(CSP_HEADER);
	if (policy) response.headers.set(CSP_HEADER, withSyncOrigin(policy, publicOrigin()));
	return response;
};
