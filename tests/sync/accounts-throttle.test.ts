/**
 * Log-in and sign-up throttling behind a reverse proxy (`ADDRESS_HEADER=x-forwarded-for`): guesses
 * spread over many addresses are limited per account, with growing delays; one address is limited
 * across accounts; sign-ups are limited per address. The proxy's header decides the address.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { api, cleanup, newServer, PASSWORD, signUp, type TestServer } from './helpers';

/** The server's budgets (SECURITY.md): free failures of one account from all addresses. */
const LOGIN_ACCOUNT_FREE_FAILURES = 10;
/** Failed log-ins per email and address. */
const LOGIN_MAX_FAILURES = 5;
/** The longest wait after a failure, in seconds. */
const LOGIN_ACCOUNT_MAX_DELAY_SECONDS = 15 * 60;
const SIGNUPS_PER_HOUR = 10;

function from(address: string): Record<string, string> {
	// What the proxy appends; a client's own X-Forwarded-For would come first and be ignored.
	return { 'x-forwarded-for': `203.0.113.66, ${address}` };
}

function login(server: TestServer, email: string, password: string, address: string) {
	return api(server, 'POST', '/api/auth/login', { body: { email, password }, headers: from(address) });
}

describe('throttling behind a proxy', () => {
	let server: TestServer;

	beforeAll(async () => {
		server = await newServer({ ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1', SIGNUP_MAX_PER_HOUR: String(SIGNUPS_PER_HOUR) });
	});
	afterAll(cleanup);

	test(`20 addresses guessing one account: ${LOGIN_ACCOUNT_FREE_FAILURES} guesses checked, then 429 with a bounded Retry-After`, async () => {
		const target = await signUp(server, 'Target');
		const statuses: number[] = [];
		for (let guess = 0; guess < 5; guess++) {
			for (let address = 1; address <= 20; address++) {
				statuses.push((await login(server, target.email, `guess ${guess}`, `198.51.100.${address}`)).status);
			}
		}
		expect(statuses.filter((status) => status === 401)).toHaveLength(LOGIN_ACCOUNT_FREE_FAILURES);
		expect(statuses.filter((status) => status === 429)).toHaveLength(100 - LOGIN_ACCOUNT_FREE_FAILURES);

		// The owner, from a fresh address, waits (the right password is not even checked) — but not for long.
		const owner = await login(server, target.email, PASSWORD, '192.0.2.10');
		expect(owner.status).toBe(429);
		const retryAfter = Number(owner.headers.get('retry-after'));
		expect(retryAfter).toBeGreaterThan(0);
		expect(retryAfter).toBeLessThanOrEqual(LOGIN_ACCOUNT_MAX_DELAY_SECONDS);

		// Other accounts are untouched, from the attacking addresses too.
		const bystander = await signUp(server, 'Bystander');
		expect((await login(server, bystander.email, PASSWORD, '198.51.100.1')).status).toBe(200);
	});

	test('per address: the proxy header decides, so one address is blocked and its neighbours are not', async () => {
		const [victim, other] = [await signUp(server, 'Victim'), await signUp(server, 'Other')];
		for (let i = 0; i < LOGIN_MAX_FAILURES; i++) expect((await login(server, victim.email, 'nope', '198.51.100.200')).status).toBe(401);
		expect((await login(server, victim.email, PASSWORD, '198.51.100.200')).status).toBe(429);
		expect((await login(server, victim.email, PASSWORD, '198.51.100.201')).status).toBe(200);
		expect((await login(server, other.email, PASSWORD, '198.51.100.200')).status).toBe(200);
	});

	test('a request without the proxy header is answered, not failed with 500', async () => {
		const response = await api(server, 'POST', '/api/auth/login', { body: { email: 'nobody@example.test', password: 'x' } });
		expect(response.status).toBe(401);
	});

	test(`sign-up: ${SIGNUPS_PER_HOUR} per address and hour, then 429; another address still signs up`, async () => {
		const signup = (n: number, address: string) =>
			api(server, 'POST', '/api/auth/signup', {
				body: { email: `bulk-${n}@example.test`, password: PASSWORD, name: 'Bulk' },
				headers: from(address)
			});
		for (let n = 0; n < SIGNUPS_PER_HOUR; n++) expect((await signup(n, '198.51.100.77')).status).toBe(201);
		const refused = await signup(99, '198.51.100.77');
		expect(refused.status).toBe(429);
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
		expect((await signup(100, '198.51.100.78')).status).toBe(201);
	});
});
