import { describe, expect, it } from 'vitest';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem, verifyPassword } from './password';

describe('hashPassword', () => {
	it('produces an Argon2id hash with OWASP parameters (19 MiB, 2 iterations, parallelism 1)', async () => {
		const hash = await hashPassword('correct horse battery');
		expect(hash.startsWith('$argon2id$')).toBe(true);
		const params = Object.fromEntries(
			hash
				.split('$')[3]
				.split(',')
				.map((pair) => pair.split('=').map((part, index) => (index === 1 ? Number(part) : part)))
		);
		expect(params.m).toBeGreaterThanOrEqual(19 * 1024);
		expect(params.t).toBeGreaterThanOrEqual(2);
		expect(params.p).toBe(1);
		expect(hash).not.toContain('correct horse battery');
	});

	it('salts every hash', async () => {
		const [first, second] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
		expect(first).not.toBe(second);
	});
});

describe('verifyPassword', () => {
	it('accepts the right password and rejects a wrong one', async () => {
		const hash = await hashPassword('correct horse battery');
		expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
		expect(await verifyPassword(hash, 'correct horse batter')).toBe(false);
		expect(await verifyPassword(hash, 'Correct horse battery')).toBe(false);
		expect(await verifyPassword(hash, '')).toBe(false);
	});

	it('handles non-ASCII passwords', async () => {
		const hash = await hashPassword('密码密码密码密码');
		expect(await verifyPassword(hash, '密码密码密码密码')).toBe(true);
		expect(await verifyPassword(hash, '密码密码密码密')).toBe(false);
	});

	it('answers false, without throwing, for a malformed hash', async () => {
		expect(await verifyPassword('not a hash', 'whatever1')).toBe(false);
		expect(await verifyPassword('', 'whatever1')).toBe(false);
	});
});

describe('passwordProblem', () => {
	it('rejects passwords shorter than the minimum', () => {
		expect(PASSWORD_MIN_LENGTH).toBe(8);
		expect(passwordProblem('')).toMatch(/at least 8/);
		expect(passwordProblem('a'.repeat(PASSWORD_MIN_LENGTH - 1))).toMatch(/at least 8/);
	});

	it('accepts passwords from the minimum to the maximum length', () => {
		expect(passwordProblem('a'.repeat(PASSWORD_MIN_LENGTH))).toBeNull();
		expect(passwordProblem('a'.repeat(PASSWORD_MAX_LENGTH))).toBeNull();
	});

	it('rejects passwords longer than the maximum', () => {
		expect(passwordProblem('a'.repeat(PASSWORD_MAX_LENGTH + 1))).toMatch(new RegExp(`at most ${PASSWORD_MAX_LENGTH}`));
	});
});
