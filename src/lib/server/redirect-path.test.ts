import { describe, expect, test } from 'vitest';
import { DEFAULT_AFTER_SIGN_IN, safeRedirectPath } from './redirect-path';

describe('safeRedirectPath', () => {
	test('keeps a path on this site', () => {
		expect(safeRedirectPath('/boards/abc?x=1#y')).toBe('/boards/abc?x=1#y');
		expect(safeRedirectPath('/join/token')).toBe('/join/token');
	});

	test.each([
		'https://evil.example/',
		'//evil.example',
		'/\\evil.example',
		'/\t/evil.example',
		'boards',
		'',
		null,
		'/a b',
		`/${'a'.repeat(3000)}`
	])('refuses %j', (value) => {
		expect(safeRedirectPath(value)).toBe(DEFAULT_AFTER_SIGN_IN);
	});
});
