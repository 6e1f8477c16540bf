/**
 * Single sign-on against a real OpenID Connect provider on loopback (`oidc-provider`): the first
 * sign-in creates a verified account, later ones find it by the provider's subject; an unverified
 * or missing email is refused; an existing account is linked only with its password, under the
 * log-in limits; forged state, a wrong nonce, a code the provider no longer honours, a replayed
 * callback and an ID token from another issuer are refused; OIDC_ONLY turns password sign-in off
 * while guests still join by invite link.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, startProvider, type TestProvider } from '../support/oidc-provider';
import { api, cleanup, createBoard, newServer, PASSWORD, sessionCookie, signUp, type TestServer } from './helpers';
import { CookieBrowser, openCallback, signInWithProvider, startSignIn, throughProvider } from './sso-browser';

const PROVIDER_NAME = 'Acme SSO';
/** Failed log-ins per account and address before 429 (SECURITY.md). */
const LOGIN_MAX_FAILURES = 5;

/** The provider's storage of authorization codes (`oidc-provider`'s adapter interface). */
interface CodeStore {
	find(id: string): Promise<Record<string, unknown> & { iat: number; exp: number }>;
	upsert(id: string, payload: Record<string, unknown>, expiresIn: number): Promise<void>;
}

let seq = 0;
/** A unique address at the provider's company. */
const address = (name: string) => `${name}-${++seq}@corp.example`;

function ssoEnv(provider: TestProvider, extra: Record<string, string> = {}): Record<string, string> {
	return { OIDC_ISSUER: provider.issuer, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_NAME: PROVIDER_NAME, ...extra };
}

/** Starts a provider, then the app given its issuer, then registers the app's callback at the provider. */
async function appWithProvider(env: Record<string, string> = {}, providerOptions = {}): Promise<{ server: TestServer; idp: TestProvider }> {
	const idp = await startProvider(providerOptions);
	const server = await newServer(ssoEnv(idp, env));
	idp.register(`${server.origin}/api/auth/oidc/callback`);
	return { server, idp };
}

async function me(server: TestServer, cookie: string) {
	return (await api(server, 'GET', '/api/me', { cookie })).body;
}

async function html(browser: CookieBrowser, path: string): Promise<string> {
	return (await browser.fetch(path)).text();
}

describe('single sign-on with OpenID Connect', () => {
	let server: TestServer;
	let idp: TestProvider;
	let otherIdp: TestProvider;

	beforeAll(async () => {
		({ server, idp } = await appWithProvider());
		otherIdp = await startProvider({ pkceRequired: false });
		otherIdp.register(`${server.origin}/api/auth/oidc/callback`);
	});
	afterAll(async () => {
		await cleanup();
		await idp.close();
		await otherIdp.close();
	});

	test('a first sign-in creates an account with a verified email and a session; the flow cookie is HttpOnly, SameSite=Lax and used up', async () => {
		const email = address('ada');
		idp.addUser({ sub: 'ada', email: email.toUpperCase(), email_verified: true, name: 'Ada Lovelace' });
		const browser = new CookieBrowser(server);
		const authorization = await startSignIn(browser, '/boards?from=sso');
		expect(authorization.origin).toBe(idp.issuer);
		expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
		expect(authorization.searchParams.get('scope')).toBe('openid email profile');
		expect(authorization.searchParams.get('redirect_uri')).toBe(`${server.origin}/api/auth/oidc/callback`);
		for (const param of ['state', 'nonce', 'code_challenge'])
			expect(authorization.searchParams.get(param)?.length).toBeGreaterThanOrEqual(32);
		const flowCookie = browser.lastReceived('oidc_flow')!;
		expect(flowCookie.attributes).toMatch(/HttpOnly/i);
		expect(flowCookie.attributes).toMatch(/SameSite=Lax/i);
		expect(flowCookie.attributes).toMatch(/Max-Age=600/i);

		const callback = await openCallback(browser, await throughProvider(browser, authorization, 'ada'));
		expect(callback.status).toBe(303);
		expect(callback.headers.get('location')).toBe('/boards?from=sso');
		const cookie = sessionCookie(callback.headers)!;
		expect(cookie).toBeTruthy();
		expect(browser.cookiesFor('/api/auth/oidc/callback')).not.toContain('oidc_flow');
		const account = await me(server, cookie);
		expect(account.user).toMatchObject({ email, name: 'Ada Lovelace' });
		expect(account.emailVerified).toBe(true);
		expect(await html(browser, '/account')).toContain(`You sign in with ${PROVIDER_NAME}`);
	});

	test('a later sign-in finds the account by the provider subject, even after the provider changed the email', async () => {
		idp.addUser({ sub: 'grace', email: address('grace'), email_verified: true, name: 'Grace Hopper' });
		const first = await signInWithProvider(new CookieBrowser(server), 'grace');
		const id = (await me(server, sessionCookie(first.headers)!)).user.id;
		const renamed = address('grace.hopper');
		idp.addUser({ sub: 'grace', email: renamed, email_verified: true, name: 'Rear Admiral Hopper' });
		const second = await signInWithProvider(new CookieBrowser(server), 'grace');
		expect(second.status).toBe(303);
		const again = await me(server, sessionCookie(second.headers)!);
		expect(again.user.id).toBe(id);
		// The account keeps its own email and name: the provider's later claims do not overwrite them.
		expect(again.user.email).not.toBe(renamed);
		expect(again.user.name).toBe('Grace Hopper');
	});

	test('a deleted account lets go of its provider identity: the next sign-in makes a new account', async () => {
		const email = address('dora');
		idp.addUser({ sub: 'dora', email, email_verified: true, name: 'Dora' });
		const first = sessionCookie((await signInWithProvider(new CookieBrowser(server), 'dora')).headers)!;
		const { id } = (await me(server, first)).user;
		expect((await api(server, 'DELETE', '/api/me', { cookie: first, body: { confirm: email } })).status).toBe(204);
		const again = sessionCookie((await signInWithProvider(new CookieBrowser(server), 'dora')).headers)!;
		const account = (await me(server, again)).user;
		expect(account.id).not.toBe(id);
		expect(account.email).toBe(email);
	});

	test('an email the provider does not call verified, or no email at all, is refused with a clear page, and no account is made', async () => {
		const unverified = address('eve');
		idp.addUser({ sub: 'eve', email: unverified, email_verified: false, name: 'Eve' });
		idp.addUser({ sub: 'nobody', email: address('nobody'), name: 'No claim' });
		idp.addUser({ sub: 'noemail', name: 'No email' });
		for (const [sub, reason] of [
			['eve', 'unverified-email'],
			['nobody', 'unverified-email'],
			['noemail', 'no-email']
		]) {
			const browser = new CookieBrowser(server);
			const callback = await signInWithProvider(browser, sub);
			expect(callback.status).toBe(303);
			expect(callback.headers.get('location')).toBe(`/sso/error?reason=${reason}`);
			expect(sessionCookie(callback.headers)).toBeNull();
		}
		const browser = new CookieBrowser(server);
		expect(await html(browser, '/sso/error?reason=unverified-email')).toContain(
			`${PROVIDER_NAME} did not confirm that your email address is verified, so no account was created.`
		);
		browser.setCookie('/', 'locale', 'zh-CN');
		expect(await html(browser, '/sso/error?reason=unverified-email')).toContain(
			`${PROVIDER_NAME} 没有确认你的电子邮箱已验证，因此没有创建账号。`
		);
		// The address is still free: nobody holds it.
		expect((await api(server, 'POST', '/api/auth/signup', { body: { email: unverified, password: PASSWORD, name: 'Eve' } })).status).toBe(
			201
		);
	});

	test('an existing account with the email is linked only with its password: a wrong one is refused and counted, the right one links', async () => {
		const owner = await signUp(server, 'Linda');
		idp.addUser({ sub: 'linda', email: owner.email, email_verified: true, name: 'Linda at Acme' });
		const browser = new CookieBrowser(server);
		const callback = await signInWithProvider(browser, 'linda', '/boards?linked=1');
		expect(callback.headers.get('location')).toBe('/sso/link');
		expect(sessionCookie(callback.headers)).toBeNull();
		expect(browser.lastReceived('oidc_link')!.attributes).toMatch(/HttpOnly.*SameSite=Lax|SameSite=Lax.*HttpOnly/i);
		expect(await html(browser, '/sso/link')).toContain(`An account with ${owner.email} already exists.`);

		const wrong = await browser.fetch('/sso/link', { form: { password: 'not the password' } });
		expect(wrong.status).toBe(403);
		expect(await wrong.text()).toContain('The password is wrong');
		expect(sessionCookie(wrong.headers)).toBeNull();

		const right = await browser.fetch('/sso/link', { form: { password: PASSWORD } });
		expect(right.status).toBe(303);
		expect(right.headers.get('location')).toBe('/boards?linked=1');
		const linked = await me(server, sessionCookie(right.headers)!);
		expect(linked.user.id).toBe(owner.id);
		expect(linked.emailVerified).toBe(true);
		// The link step is used up, and from now on the provider signs in straight to the account.
		expect((await browser.fetch('/sso/link', { form: { password: PASSWORD } })).status).toBe(410);
		const later = await signInWithProvider(new CookieBrowser(server), 'linda');
		expect(later.headers.get('location')).toBe('/boards');
		expect((await me(server, sessionCookie(later.headers)!)).user.id).toBe(owner.id);
		// The password still works too.
		expect((await api(server, 'POST', '/api/auth/login', { body: { email: owner.email, password: PASSWORD } })).status).toBe(200);
	});

	test('the password of the link step is under the log-in limits: past them even the right password waits', async () => {
		const owner = await signUp(server, 'Target');
		idp.addUser({ sub: 'impostor', email: owner.email, email_verified: true, name: 'Impostor' });
		const browser = new CookieBrowser(server);
		expect((await signInWithProvider(browser, 'impostor')).headers.get('location')).toBe('/sso/link');
		for (let attempt = 0; attempt < LOGIN_MAX_FAILURES; attempt++) {
			expect((await browser.fetch('/sso/link', { form: { password: `guess ${attempt}` } })).status).toBe(403);
		}
		const throttled = await browser.fetch('/sso/link', { form: { password: PASSWORD } });
		expect(throttled.status).toBe(429);
		expect(await throttled.text()).toContain('Too many failed log-ins');
		expect(sessionCookie(throttled.headers)).toBeNull();
		// The same limits hold the password log-in of that account from this address.
		expect((await api(server, 'POST', '/api/auth/login', { body: { email: owner.email, password: PASSWORD } })).status).toBe(429);
	});

	test('a forged state is refused, and so is a callback without this browser flow', async () => {
		idp.addUser({ sub: 'sam', email: address('sam'), email_verified: true, name: 'Sam' });
		const browser = new CookieBrowser(server);
		const callback = await throughProvider(browser, await startSignIn(browser), 'sam');
		const forged = new URL(callback);
		forged.searchParams.set('state', 'forged-state-of-an-attacker-000000000');
		const refused = await openCallback(browser, forged);
		expect(refused.headers.get('location')).toBe('/sso/error?reason=invalid');
		expect(sessionCookie(refused.headers)).toBeNull();
		// The real callback, in another browser (login CSRF: an attacker's code sent to a victim), has no flow.
		const elsewhere = await openCallback(new CookieBrowser(server), callback);
		expect(elsewhere.headers.get('location')).toBe('/sso/error?reason=expired');
		expect(sessionCookie(elsewhere.headers)).toBeNull();
	});

	test('a replayed callback is refused, even with a copy of the flow cookie', async () => {
		idp.addUser({ sub: 'rita', email: address('rita'), email_verified: true, name: 'Rita' });
		const browser = new CookieBrowser(server);
		const authorization = await startSignIn(browser);
		const flowCopy = `oidc_flow=${browser.lastReceived('oidc_flow')!.value}`;
		const callback = await throughProvider(browser, authorization, 'rita');
		expect((await openCallback(browser, callback)).status).toBe(303);
		const replay = await browser.fetch(callback.pathname + callback.search, { cookie: flowCopy });
		expect(replay.headers.get('location')).toBe('/sso/error?reason=expired');
		expect(sessionCookie(replay.headers)).toBeNull();
		expect(await html(browser, '/sso/error?reason=expired')).toContain('This sign-in was already used or has expired');
	});

	test('an ID token with another nonce is refused', async () => {
		idp.addUser({ sub: 'nina', email: address('nina'), email_verified: true, name: 'Nina' });
		const browser = new CookieBrowser(server);
		const authorization = await startSignIn(browser);
		authorization.searchParams.set('nonce', 'a-nonce-the-app-never-made-0000000000');
		const callback = await openCallback(browser, await throughProvider(browser, authorization, 'nina'));
		expect(callback.headers.get('location')).toBe('/sso/error?reason=invalid');
		expect(sessionCookie(callback.headers)).toBeNull();
	});

	test('a code the provider no longer honours (expired or used) is refused', async () => {
		idp.addUser({ sub: 'otto', email: address('otto'), email_verified: true, name: 'Otto' });
		const browser = new CookieBrowser(server);
		const callback = await throughProvider(browser, await startSignIn(browser), 'otto');
		const code = await idp.provider.AuthorizationCode.find(callback.searchParams.get('code')!);
		await code!.destroy();
		const refused = await openCallback(browser, callback);
		expect(refused.headers.get('location')).toBe('/sso/error?reason=invalid');
		expect(sessionCookie(refused.headers)).toBeNull();
	});

	test('a code past its lifetime at the provider is refused', async () => {
		idp.addUser({ sub: 'ulla', email: address('ulla'), email_verified: true, name: 'Ulla' });
		const browser = new CookieBrowser(server);
		const callback = await throughProvider(browser, await startSignIn(browser), 'ulla');
		const code = callback.searchParams.get('code')!;
		// The provider's own record of the code, aged past its expiry (the provider's clock, not a wait).
		const { adapter } = idp.provider.AuthorizationCode as unknown as { adapter: CodeStore };
		const stored = (await adapter.find(code))!;
		const now = Math.floor(Date.now() / 1000);
		expect(stored.exp).toBeGreaterThan(now);
		await adapter.upsert(code, { ...stored, iat: now - 120, exp: now - 60 }, 60);
		expect(await idp.provider.AuthorizationCode.find(code)).toBeUndefined();
		const refused = await openCallback(browser, callback);
		expect(refused.headers.get('location')).toBe('/sso/error?reason=invalid');
		expect(sessionCookie(refused.headers)).toBeNull();
	});

	test('an ID token from another issuer, with the right nonce and audience, is refused', async () => {
		idp.addUser({ sub: 'victim', email: address('victim'), email_verified: true, name: 'Victim' });
		otherIdp.addUser({ sub: 'victim', email: address('victim'), email_verified: true, name: 'Forged' });
		const browser = new CookieBrowser(server);
		const authorization = await startSignIn(browser);
		// The other provider signs an ID token for this client with the app's nonce.
		const atOther = new URL(`${otherIdp.issuer}/auth`);
		for (const param of ['client_id', 'redirect_uri', 'scope', 'state', 'nonce', 'response_type']) {
			atOther.searchParams.set(param, authorization.searchParams.get(param)!);
		}
		const otherCallback = await throughProvider(new CookieBrowser(server), atOther, 'victim');
		const token = await fetch(`${otherIdp.issuer}/token`, {
			method: 'POST',
			headers: {
				authorization: `Basic ${Buffer.from(`${encodeURIComponent(OIDC_CLIENT_ID)}:${encodeURIComponent(OIDC_CLIENT_SECRET)}`).toString('base64')}`,
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({
				grant_type: 'authorization_code',
				code: otherCallback.searchParams.get('code')!,
				redirect_uri: authorization.searchParams.get('redirect_uri')!
			})
		});
		expect(token.status).toBe(200);
		const forgedIdToken = (await token.json()).id_token as string;
		const claims = JSON.parse(Buffer.from(forgedIdToken.split('.')[1], 'base64url').toString());
		expect(claims).toMatchObject({ iss: otherIdp.issuer, aud: OIDC_CLIENT_ID, nonce: authorization.searchParams.get('nonce') });

		// The app's provider answers its token request with the other issuer's ID token.
		idp.replaceNextIdToken(forgedIdToken);
		const refused = await openCallback(browser, await throughProvider(browser, authorization, 'victim'));
		expect(refused.headers.get('location')).toBe('/sso/error?reason=invalid');
		expect(sessionCookie(refused.headers)).toBeNull();
		expect(server.stderr).toMatch(/single sign-on: the provider answer was refused/);
	});

	test('a sign-in cancelled or refused at the provider shows why, and an outside redirect is not followed', async () => {
		const browser = new CookieBrowser(server);
		const denied = await signInWithProvider(browser, 'a-person-the-provider-does-not-know');
		expect(denied.headers.get('location')).toBe('/sso/error?reason=denied');
		expect(sessionCookie(denied.headers)).toBeNull();

		idp.addUser({ sub: 'olga', email: address('olga'), email_verified: true, name: 'Olga' });
		for (const outside of ['https://evil.example/boards', '//evil.example', '/\\evil.example']) {
			const callback = await signInWithProvider(new CookieBrowser(server), 'olga', outside);
			expect(callback.headers.get('location')).toBe('/boards');
		}
	});

	test('the sign-in page offers the button in both languages, beside the password form', async () => {
		const browser = new CookieBrowser(server);
		const page = await html(browser, '/login?next=/boards/abc');
		expect(page).toContain(`Sign in with ${PROVIDER_NAME}`);
		expect(page).toContain('href="/api/auth/oidc/start?redirect=%2Fboards%2Fabc"');
		expect(page).toContain('type="password"');
		browser.setCookie('/', 'locale', 'zh-CN');
		expect(await html(browser, '/login')).toContain(`使用 ${PROVIDER_NAME} 登录`);
	});
});

describe('OIDC_ONLY=true: password sign-in off, guests still join by link, claims read from userinfo', () => {
	let server: TestServer;
	let idp: TestProvider;

	beforeAll(async () => {
		// This provider puts email and name only at its userinfo endpoint (OpenID Connect's default).
		({ server, idp } = await appWithProvider({ OIDC_ONLY: 'true' }, { idTokenClaims: false }));
	});
	afterAll(async () => {
		await cleanup();
		await idp.close();
	});

	test('the sign-in page has only the button; password log-in and sign-up are refused with a clear error', async () => {
		const browser = new CookieBrowser(server);
		const page = await html(browser, '/login');
		expect(page).toContain(`Sign in with ${PROVIDER_NAME}`);
		expect(page).toContain(`This workspace signs people in with ${PROVIDER_NAME}.`);
		expect(page).not.toContain('type="password"');
		expect((await browser.fetch('/signup')).headers.get('location')).toBe('/login');

		const login = await api(server, 'POST', '/api/auth/login', { body: { email: 'someone@corp.example', password: PASSWORD } });
		expect(login.status).toBe(403);
		expect(login.body.error).toBe('Password sign-in is turned off on this server; sign in with single sign-on');
		const signup = await api(server, 'POST', '/api/auth/signup', { body: { email: address('new'), password: PASSWORD, name: 'New' } });
		expect(signup.status).toBe(403);
		const form = await browser.fetch('/login', { form: { email: 'someone@corp.example', password: PASSWORD } });
		expect(form.status).toBe(403);
		expect(await form.text()).toContain(`Password sign-in is turned off here; sign in with ${PROVIDER_NAME}.`);
	});

	test('people sign in with the provider (claims from userinfo), and guests join a board by invite link', async () => {
		const email = address('owner');
		idp.addUser({ sub: 'owner', email, email_verified: true, name: 'Board Owner' });
		const callback = await signInWithProvider(new CookieBrowser(server), 'owner');
		expect(callback.headers.get('location')).toBe('/boards');
		const cookie = sessionCookie(callback.headers)!;
		expect((await me(server, cookie)).user).toMatchObject({ email, name: 'Board Owner' });

		const boardId = await createBoard(server, { id: '', email, name: 'Board Owner', cookie });
		const invite = await api(server, 'POST', `/api/boards/${boardId}/invites`, { cookie, body: { role: 'editor', expiresInHours: 1 } });
		expect(invite.status).toBe(201);
		const guest = new CookieBrowser(server);
		const joinPath = new URL(invite.body.invite.url).pathname;
		const joined = await guest.fetch(`${joinPath}?/guest`, { form: { name: 'Workshop guest' } });
		expect(joined.status).toBe(303);
		expect(joined.headers.get('location')).toBe(`/boards/${boardId}`);
		const guestCookie = sessionCookie(joined.headers);
		expect(guestCookie).toBeTruthy();
		// A guest becomes an account through the provider too, never with a password.
		const upgrade = await api(server, 'POST', '/api/auth/upgrade', {
			cookie: guestCookie!,
			body: { email: 'guest-upgrade@example.test', password: 'a long enough password' }
		});
		expect(upgrade.status).toBe(403);
		expect(upgrade.body.error).toMatch(/single sign-on/);
	});
});
