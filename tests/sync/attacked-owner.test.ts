/**
 * The owner of an account under a guessing attack gets in while the attack holds the password
 * log-in back: an attacker spreads failed log-ins over 20 addresses (behind a proxy,
 * `ADDRESS_HEADER=x-forwarded-for`) until the account waits; its owner then gets in by password
 * reset (signed in at once, and staying in while the guessing goes on) or by single sign-on (at
 * once when the provider is linked; by a mailed link when it is not, since its password step is
 * held back too). Real SMTP and OpenID Connect servers on loopback.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, startProvider, type TestProvider } from '../support/oidc-provider';
import { api, cleanup, createBoard, newServer, openRawSocket, PASSWORD, sessionCookie, type Account, type TestServer } from './helpers';
import { linkIn, startMailServer, type MailServer } from './mail-server';
import { CookieBrowser, signInWithProvider } from './sso-browser';

const PROVIDER_NAME = 'Acme SSO';
const NEW_PASSWORD = 'a brand new passphrase';
/** The attacker's addresses, each seen by the proxy. */
const ATTACKER_ADDRESSES = 20;
/** Where the owner sits. */
const OWNER_ADDRESS = '192.0.2.10';

let seq = 0;

function from(address: string): Record<string, string> {
	return { 'x-forwarded-for': address };
}

function login(server: TestServer, email: string, password: string, address: string) {
	return api(server, 'POST', '/api/auth/login', { body: { email, password }, headers: from(address) });
}

/** One wrong guess from each of the attacker's addresses; returns the statuses the attacker saw. */
async function attack(server: TestServer, email: string): Promise<number[]> {
	const statuses: number[] = [];
	for (let address = 1; address <= ATTACKER_ADDRESSES; address++) {
		statuses.push((await login(server, email, `guess ${++seq}`, `198.51.100.${address}`)).status);
	}
	return statuses;
}

describe('the owner of an attacked account gets in', () => {
	let mail: MailServer;
	let idp: TestProvider;
	let server: TestServer;

	async function owner(name: string): Promise<Account> {
		const email = `${name.toLowerCase()}-${++seq}@corp.example`;
		const response = await api(server, 'POST', '/api/auth/signup', {
			body: { email, password: PASSWORD, name },
			headers: from(OWNER_ADDRESS)
		});
		expect(response.status).toBe(201);
		await mail.next(email); // the verification mail
		return { ...response.body.user, cookie: sessionCookie(response.headers)! };
	}

	/** Attacks until the owner's right password, from the owner's own address, answers 429. */
	async function throttled(account: Account): Promise<void> {
		const seen = await attack(server, account.email);
		expect(seen).toContain(401);
		expect(seen).toContain(429);
		const held = await login(server, account.email, PASSWORD, OWNER_ADDRESS);
		expect(held.status).toBe(429);
		expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(0);
	}

	beforeAll(async () => {
		mail = await startMailServer();
		idp = await startProvider();
		server = await newServer({
			SMTP_URL: mail.url,
			MAIL_FROM: 'Journeys <journeys@example.test>',
			ADDRESS_HEADER: 'x-forwarded-for',
			XFF_DEPTH: '1',
			OIDC_ISSUER: idp.issuer,
			OIDC_CLIENT_ID,
			OIDC_CLIENT_SECRET,
			OIDC_NAME: PROVIDER_NAME
		});
		idp.register(`${server.origin}/api/auth/oidc/callback`);
	});
	afterAll(async () => {
		await cleanup();
		await idp.close();
		await mail.close();
	});

	test('by password reset: signed in by the reset itself, staying in while the guessing goes on; the new password works', async () => {
		const target = await owner('Target');
		const boardId = await createBoard(server, target);
		await throttled(target);

		expect(
			(await api(server, 'POST', '/api/auth/password-reset', { body: { email: target.email }, headers: from(OWNER_ADDRESS) })).status
		).toBe(202);
		const token = linkIn(await mail.next(target.email), '/reset-password').searchParams.get('token');
		const confirmed = await api(server, 'POST', '/api/auth/password-reset/confirm', { body: { token, password: NEW_PASSWORD } });
		expect(confirmed.status).toBe(204);
		const cookie = sessionCookie(confirmed.headers);
		expect(cookie).toBeTruthy();
		const me = await api(server, 'GET', '/api/me', { cookie: cookie! });
		expect(me.status).toBe(200);
		expect(me.body.user.id).toBe(target.id);
		expect(me.body.emailVerified).toBe(true);
		// The session made before the reset (perhaps the attacker's) is over.
		expect((await api(server, 'GET', '/api/me', { cookie: target.cookie })).status).toBe(401);

		// The reset lifted the account's delays: the new password signs in from another device at once.
		expect((await login(server, target.email, NEW_PASSWORD, '192.0.2.11')).status).toBe(200);

		// The attacker goes on guessing and holds the password log-in back again…
		expect(await attack(server, target.email)).toContain(429);
		expect((await login(server, target.email, NEW_PASSWORD, '192.0.2.12')).status).toBe(429);
		// …but the owner, signed in by the reset, keeps working: the API and the live board.
		expect((await api(server, 'GET', '/api/me', { cookie: cookie! })).status).toBe(200);
		const socket = await openRawSocket(server, cookie!, boardId);
		expect(socket.socket.readyState).toBe(socket.socket.OPEN);
	});

	test('by password reset in the browser: the form signs in and lands on the account page, which says so', async () => {
		const target = await owner('Browser');
		await throttled(target);
		await api(server, 'POST', '/api/auth/password-reset', { body: { email: target.email }, headers: from(OWNER_ADDRESS) });
		const link = linkIn(await mail.next(target.email), '/reset-password');
		const browser = new CookieBrowser(server);
		expect((await browser.fetch(link.pathname + link.search)).status).toBe(200);
		const submitted = await browser.fetch('/reset-password', { form: { token: link.searchParams.get('token')!, password: NEW_PASSWORD } });
		expect(submitted.status).toBe(303);
		expect(submitted.headers.get('location')).toBe('/account?reset=1');
		expect(sessionCookie(submitted.headers)).toBeTruthy();
		const account = await (await browser.fetch('/account?reset=1')).text();
		expect(account).toContain('Your new password is set and you are signed in.');
		expect(account).toContain(target.email);
	});

	test('by single sign-on, once the provider is linked: the password is held back, the provider is not', async () => {
		const target = await owner('Linked');
		idp.addUser({ sub: `linked-${target.id}`, email: target.email, email_verified: true, name: 'Linked at Acme' });
		// Linked earlier, with the password, before any attack.
		const linking = new CookieBrowser(server);
		expect((await signInWithProvider(linking, `linked-${target.id}`)).headers.get('location')).toBe('/sso/link');
		expect((await linking.fetch('/sso/link', { form: { password: PASSWORD } })).status).toBe(303);

		await throttled(target);
		const callback = await signInWithProvider(new CookieBrowser(server), `linked-${target.id}`, '/boards?back=1');
		expect(callback.status).toBe(303);
		expect(callback.headers.get('location')).toBe('/boards?back=1');
		const me = await api(server, 'GET', '/api/me', { cookie: sessionCookie(callback.headers)! });
		expect(me.body.user.id).toBe(target.id);
	});

	test('by single sign-on, not linked yet: the link step’s password is held back too, a mailed link links and signs in', async () => {
		const target = await owner('Unlinked');
		const sub = `unlinked-${target.id}`;
		idp.addUser({ sub, email: target.email, email_verified: true, name: 'Unlinked at Acme' });
		await throttled(target);

		const browser = new CookieBrowser(server);
		expect((await signInWithProvider(browser, sub, '/boards?linked=1')).headers.get('location')).toBe('/sso/link');
		const page = await (await browser.fetch('/sso/link')).text();
		expect(page).toContain('Email me a link');
		const held = await browser.fetch('/sso/link', { form: { password: PASSWORD } });
		expect(held.status).toBe(429);
		expect(sessionCookie(held.headers)).toBeNull();

		const asked = await browser.fetch('/sso/link', { form: { intent: 'mail' } });
		expect(asked.status).toBe(200);
		expect(await asked.text()).toContain(`We sent a link to ${target.email}.`);
		const received = await mail.next(target.email);
		expect(received.subject).toBe(`Link ${PROVIDER_NAME} to your account`);
		expect(received.html).toContain(`Link ${PROVIDER_NAME} and sign in`);
		const link = linkIn(received, '/sso/link/confirm');

		// Opened on another device (the phone that reads the mail); looking at it does not use it up.
		const phone = new CookieBrowser(server);
		for (let look = 0; look < 2; look++) {
			const shown = await (await phone.fetch(link.pathname + link.search)).text();
			expect(shown).toContain(`From now on you sign in to ${target.email} with ${PROVIDER_NAME}.`);
		}
		const linked = await phone.fetch(link.pathname + link.search, { form: { token: link.searchParams.get('token')! } });
		expect(linked.status).toBe(303);
		expect(linked.headers.get('location')).toBe('/boards?linked=1');
		const me = await api(server, 'GET', '/api/me', { cookie: sessionCookie(linked.headers)! });
		expect(me.body.user.id).toBe(target.id);
		expect(me.body.emailVerified).toBe(true);

		// The link works once; from now on the provider signs in straight to the account.
		const again = await phone.fetch(link.pathname + link.search, { form: { token: link.searchParams.get('token')! } });
		expect(again.status).toBe(410);
		const later = await signInWithProvider(new CookieBrowser(server), sub);
		expect(later.headers.get('location')).toBe('/boards');
		expect((await api(server, 'GET', '/api/me', { cookie: sessionCookie(later.headers)! })).body.user.id).toBe(target.id);
	});

	test('the mailed link of the link step is rate-limited per account, and an unknown one links nothing', async () => {
		const target = await owner('Flooded');
		const sub = `flooded-${target.id}`;
		idp.addUser({ sub, email: target.email, email_verified: true, name: 'Flooded' });
		const browser = new CookieBrowser(server);
		await signInWithProvider(browser, sub);
		const statuses: number[] = [];
		for (let ask = 0; ask < 4; ask++) statuses.push((await browser.fetch('/sso/link', { form: { intent: 'mail' } })).status);
		expect(statuses).toEqual([200, 200, 200, 429]);
		const forged = await browser.fetch('/sso/link/confirm', { form: { token: 'not-a-token-the-server-made' } });
		expect(forged.status).toBe(410);
		expect(sessionCookie(forged.headers)).toBeNull();
	});
});
