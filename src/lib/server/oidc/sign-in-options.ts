import type { Db } from '../db';
import { identitiesOf } from './accounts';
import { oidcSettings } from './flow';

/** The sign-in page's single sign-on button: the provider's name, where it starts, and whether it is the only way in. */
export function ssoButton(redirectTo: string): { name: string; href: string; only: boolean } | null {
	const settings = oidcSettings();
	if (!settings) return null;
	return { name: settings.name, href: `/api/auth/oidc/start?redirect=${encodeURIComponent(redirectTo)}`, only: settings.only };
}

/** Whether password log-in and sign-up are turned off (`OIDC_ONLY=true`). */
export function passwordSignInOff(): boolean {
	return oidcSettings()?.only === true;
}

/** The API's answer to a password log-in or sign-up under `OIDC_ONLY=true`. */
export const PASSWORD_SIGN_IN_OFF_MESSAGE = 'Password sign-in is turned off on this server; sign in with single sign-on';

/**
 * The providers an account signs in with, for its account page: the configured provider under its
 * `OIDC_NAME`, any other (an earlier `OIDC_ISSUER`) under its issuer's host.
 */
export async function linkedProviders(db: Db, userId: string): Promise<{ name: string; linkedAt: string }[]> {
	const settings = oidcSettings();
	return (await identitiesOf(db, userId)).map(({ issuer, linkedAt }) => ({
		name: settings && sameIssuer(issuer, settings.issuer) ? settings.name : hostOf(issuer),
		linkedAt: new Date(linkedAt).toISOString()
	}));
}

function hostOf(issuer: string): string {
	try {
		return new URL(issuer).host;
	} catch {
		return issuer;
	}
}

/** Whether two issuer identifiers name the same issuer (`https://a.example` and `https://a.example/` do). */
function sameIssuer(a: string, b: string): boolean {
	try {
		return new URL(a).href === new URL(b).href;
	} catch {
		return a === b;
	}
}
