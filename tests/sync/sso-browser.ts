/**
 * A browser for the single sign-on suite, over `fetch`: it keeps cookies per host (HttpOnly ones
 * too, as a browser does), never follows redirects on its own, and walks the provider's login page
 * the way a person would (the form posts the person's id).
 */
import { expect } from 'vitest';
import type { TestServer } from './helpers';

/** One Set-Cookie as the browser received it. */
export interface ReceivedCookie {
	name: string;
	value: string;
	attributes: string;
}

export class CookieBrowser {
	readonly #jars = new Map<string, Map<string, string>>();
	/** Every Set-Cookie received, in order, for the assertions about cookie attributes. */
	readonly received: ReceivedCookie[] = [];

	constructor(readonly server: TestServer) {}

	/** The app's public origin is `localhost`; requests go to the loopback address it listens on. */
	#resolve(url: string): URL {
		const target = new URL(url, this.server.url);
		if (target.origin === this.server.origin) return new URL(target.pathname + target.search, this.server.url);
		return target;
	}

	/** Cookies the browser holds for a URL's host, as a Cookie header. */
	cookiesFor(url: string): string {
		const jar = this.#jars.get(this.#resolve(url).host);
		return jar ? [...jar].map(([name, value]) => `${name}=${value}`).join('; ') : '';
	}

	/** Sets a cookie by hand (an attacker's copy, or a language choice). */
	setCookie(url: string, name: string, value: string): void {
		const host = this.#resolve(url).host;
		const jar = this.#jars.get(host) ?? new Map<string, string>();
		jar.set(name, value);
		this.#jars.set(host, jar);
	}

	/** A request with this browser's cookies; Set-Cookie answers are kept or delete cookies. */
	async fetch(url: string, init: { method?: string; form?: Record<string, string>; cookie?: string } = {}): Promise<Response> {
		const target = this.#resolve(url);
		const headers: Record<string, string> = {};
		const cookie = init.cookie ?? this.cookiesFor(target.href);
		if (cookie) headers.cookie = cookie;
		let body: string | undefined;
		if (init.form) {
			body = new URLSearchParams(init.form).toString();
			headers['content-type'] = 'application/x-www-form-urlencoded';
			// A form a browser submits without script: the answer is the page, not SvelteKit's JSON.
			headers.accept = 'text/html';
			headers.origin = target.host === new URL(this.server.url).host ? this.server.origin : target.origin;
		}
		const response = await fetch(target, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
		const jar = this.#jars.get(target.host) ?? new Map<string, string>();
		for (const header of response.headers.getSetCookie()) {
			const [pair, ...attributes] = header.split(';');
			const index = pair.indexOf('=');
			const name = pair.slice(0, index).trim();
			const value = pair.slice(index + 1).trim();
			const rest = attributes.join(';');
			this.received.push({ name, value, attributes: rest });
			if (value === '' || /max-age=0\b/i.test(rest) || /expires=thu, 01 jan 1970/i.test(rest)) jar.delete(name);
			else jar.set(name, value);
		}
		this.#jars.set(target.host, jar);
		return response;
	}

	/** The last value of a cookie the browser was given, and its attributes. */
	lastReceived(name: string): ReceivedCookie | undefined {
		return this.received.findLast((cookie) => cookie.name === name);
	}
}

/** The authorization URL the app sends the browser to from its single sign-on button. */
export async function startSignIn(browser: CookieBrowser, redirect = '/boards'): Promise<URL> {
	const response = await browser.fetch(`/api/auth/oidc/start?redirect=${encodeURIComponent(redirect)}`);
	expect(response.status).toBe(303);
	return new URL(response.headers.get('location')!);
}

/**
 * Goes through the provider from an authorization URL, signing in there as `sub`: the provider's
 * redirects and its login form, up to the callback URL back at the app (not opened yet).
 */
export async function throughProvider(browser: CookieBrowser, authorizationUrl: URL, sub: string): Promise<URL> {
	let location = authorizationUrl.href;
	for (let step = 0; step < 10; step++) {
		const here = new URL(location);
		if (here.origin === browser.server.origin) return here;
		const interaction = /^\/interaction\/([^/]+)$/.exec(here.pathname);
		const response = interaction
			? await browser.fetch(`${here.origin}/interaction/${interaction[1]}/login`, { form: { login: sub } })
			: await browser.fetch(here.href);
		expect(response.status, `at ${here.pathname}: ${response.status}`).toBeGreaterThanOrEqual(300);
		expect(response.status).toBeLessThan(400);
		location = new URL(response.headers.get('location')!, here).href;
	}
	throw new Error('the provider did not send the browser back');
}

/** Opens the callback URL at the app: its answer, not followed. */
export function openCallback(browser: CookieBrowser, callback: URL): Promise<Response> {
	return browser.fetch(callback.pathname + callback.search);
}

/** The whole button flow as `sub`: the app's answer to the callback. */
export async function signInWithProvider(browser: CookieBrowser, sub: string, redirect = '/boards'): Promise<Response> {
	return openCallback(browser, await throughProvider(browser, await startSignIn(browser, redirect), sub));
}
