import type { Cookies } from '@sveltejs/kit';
import { publicOrigin } from './config';
import { SESSION_COOKIE } from './session';

/** Sets the session cookie: HttpOnly, SameSite=Lax, Secure when served over HTTPS. */
export function setSessionCookie(cookies: Cookies, token: string, expiresAt: number): void {
	cookies.set(SESSION_COOKIE, token, {
		httpOnly: true,
		sameSite: 'lax',
		secure: publicOrigin().startsWith('https:'),
		expires: new Date(expiresAt),
		path: '/'
	});
}

/** Removes the session cookie. */
export function deleteSessionCookie(cookies: Cookies): void {
	cookies.delete(SESSION_COOKIE, { path: '/', secure: publicOrigin().startsWith('https:') });
}
