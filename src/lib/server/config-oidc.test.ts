import { describe, expect, test } from 'vitest';
import { readConfig } from './config';

const SSO = { OIDC_ISSUER: 'https://login.example.com/realms/staff', OIDC_CLIENT_ID: 'journeys', OIDC_CLIENT_SECRET: 'secret' };

describe('single sign-on configuration', () => {
	test('unset: no single sign-on', () => {
		expect(readConfig({}).oidc).toBeNull();
	});

	test('all three variables: the provider, named SSO unless OIDC_NAME says otherwise', () => {
		expect(readConfig(SSO).oidc).toEqual({
			issuer: SSO.OIDC_ISSUER,
			clientId: 'journeys',
			clientSecret: 'secret',
			name: 'SSO',
			only: false
		});
		expect(readConfig({ ...SSO, OIDC_NAME: 'Acme Okta', OIDC_ONLY: 'true' }).oidc).toMatchObject({ name: 'Acme Okta', only: true });
	});

	test.each([
		[{ OIDC_ISSUER: SSO.OIDC_ISSUER }, /needs all of/],
		[{ ...SSO, OIDC_CLIENT_SECRET: '' }, /needs all of/],
		[{ ...SSO, OIDC_ISSUER: 'http://login.example.com' }, /https URL/],
		[{ ...SSO, OIDC_ISSUER: 'not a url' }, /https URL/],
		[{ ...SSO, OIDC_ISSUER: 'https://login.example.com/?tenant=x' }, /https URL/],
		[{ ...SSO, OIDC_ONLY: 'yes' }, /OIDC_ONLY must be true or false/],
		[{ OIDC_ONLY: 'true' }, /OIDC_ONLY=true needs/],
		[{ ...SSO, OIDC_NAME: 'x'.repeat(41) }, /OIDC_NAME must be at most 40/]
	])('stops at start for %j', (env, message) => {
		expect(() => readConfig(env)).toThrow(message);
	});

	test('plain http only for a provider on this machine', () => {
		expect(readConfig({ ...SSO, OIDC_ISSUER: 'http://127.0.0.1:8080' }).oidc?.issuer).toBe('http://127.0.0.1:8080');
		expect(readConfig({ ...SSO, OIDC_ISSUER: 'http://localhost:8080/realms/dev' }).oidc).not.toBeNull();
	});
});
