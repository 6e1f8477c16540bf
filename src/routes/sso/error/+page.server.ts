import { oidcSettings } from '$lib/server/oidc/flow';
import type { PageServerLoad } from './$types';

/** Why a single sign-on did not sign anyone in; an unknown reason reads as the generic one. */
const REASONS = ['expired', 'denied', 'invalid', 'unavailable', 'unverified-email', 'no-email'] as const;

export const load: PageServerLoad = ({ url }) => {
	const asked = url.searchParams.get('reason');
	const reason = REASONS.find((known) => known === asked) ?? 'invalid';
	const settings = oidcSettings();
	return { reason, providerName: settings?.name ?? 'SSO', configured: settings !== null };
};
