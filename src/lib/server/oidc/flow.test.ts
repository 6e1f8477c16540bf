import { describe, expect, test } from 'vitest';
import { NAME_MAX_LENGTH } from '../accounts';
import { identityOf, OIDC_SUBJECT_MAX_LENGTH } from './flow';

const ISSUER = 'https://login.example.com/realms/staff';

describe('identityOf: only validated claims, cleaned and bounded', () => {
	test('reads subject, a lower-cased verified email and the name', () => {
		expect(identityOf(ISSUER, { sub: 'abc', email: ' Ada@Example.COM ', email_verified: true, name: 'Ada Lovelace' })).toEqual({
			issuer: ISSUER,
			subject: 'abc',
			email: 'ada@example.com',
			emailVerified: true,
			name: 'Ada Lovelace'
		});
	});

	test('email_verified must be the boolean true; Entra ID’s xms_edov counts only when email_verified is absent', () => {
		expect(identityOf(ISSUER, { sub: 'a', email: 'a@example.com', email_verified: 'true' })!.emailVerified).toBe(false);
		expect(identityOf(ISSUER, { sub: 'a', email: 'a@example.com' })!.emailVerified).toBe(false);
		expect(identityOf(ISSUER, { sub: 'a', email: 'a@example.com', xms_edov: true })!.emailVerified).toBe(true);
		expect(identityOf(ISSUER, { sub: 'a', email: 'a@example.com', email_verified: false, xms_edov: true })!.emailVerified).toBe(false);
	});

	test('an invalid or overlong email is no email', () => {
		expect(identityOf(ISSUER, { sub: 'a', email: 'not an address', email_verified: true })!.email).toBeNull();
		expect(identityOf(ISSUER, { sub: 'a', email: `${'a'.repeat(250)}@example.com`, email_verified: true })!.email).toBeNull();
		expect(identityOf(ISSUER, { sub: 'a', email: 42, email_verified: true })!.email).toBeNull();
	});

	test('a missing, empty, non-string or overlong subject is refused', () => {
		for (const sub of [undefined, '', 7, 'x'.repeat(OIDC_SUBJECT_MAX_LENGTH + 1)]) expect(identityOf(ISSUER, { sub })).toBeNull();
		expect(identityOf(ISSUER, { sub: 'x'.repeat(OIDC_SUBJECT_MAX_LENGTH) })).not.toBeNull();
	});

	test('the name: control and direction characters dropped, cut to the account limit on whole characters, with fallbacks', () => {
		expect(identityOf(ISSUER, { sub: 'a', name: 'Ada\u202e\u0000 \n Lovelace' })!.name).toBe('Ada Lovelace');
		const long = identityOf(ISSUER, { sub: 'a', name: '😀'.repeat(NAME_MAX_LENGTH) })!.name;
		expect(long.length).toBeLessThanOrEqual(NAME_MAX_LENGTH);
		expect(long).toBe('😀'.repeat(NAME_MAX_LENGTH / 2));
		expect(identityOf(ISSUER, { sub: 'a', given_name: 'Grace', family_name: 'Hopper' })!.name).toBe('Grace Hopper');
		expect(identityOf(ISSUER, { sub: 'a', email: 'grace@example.com' })!.name).toBe('grace');
		expect(identityOf(ISSUER, { sub: 'a', name: '   ' })!.name).toBe('SSO user');
	});
});
