import type { Cookies } from '@sveltejs/kit';
import { publicOrigin } from '../config';

/** Sets a short-lived cookie of a sign-in step: HttpOnly, SameSite=Lax, Secure over HTTPS, one path. */
export function setStepCookie(cookies: Cookies, name: string, value: string, path: string, ttlMs: number): void {
	cookies.set(name, value, {
		httpOnly: true,
		sameSite: 'lax',
		secure: publicOrigin().startsWith('https:'),
		maxAge: Math.floor(ttlMs / 1000),
		path
	});
}

/** Removes a sign-in step's cookie. */
export function deleteStepCookie(cookies: Cookies, name: string, path: string): void {
	cookies.delete(name, { path, secure: publicOrigin().startsWith('https:') });
}
