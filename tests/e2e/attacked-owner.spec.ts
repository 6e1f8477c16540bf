/**
 * The owner of an account under a guessing attack, in a real browser: guesses from 20 addresses
 * (behind a proxy, `ADDRESS_HEADER=x-forwarded-for`) hold the password back; the owner signs in
 * through the provider's login page, is asked to link, finds the password held back, has a link
 * mailed and opens it on another device, signed in. Then a password reset in the browser signs in
 * and lands on the account page. Screenshots of the changed pages in English and Chinese at
 * 1280×720 and 1440×900; axe on each. Its own app server, SMTP server and OpenID provider.
 */
import { expect, test, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, startProvider, type TestProvider } from '../support/oidc-provider';
import { accessibilityViolations } from './axe';
import { screenshotPage } from './people';

const PROVIDER_NAME = 'Acme SSO';
const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'a brand new passphrase';
const ATTACKER_ADDRESSES = 20;
const VIEWPORTS = [
	{ width: 1280, height: 720 },
	{ width: 1440, height: 900 }
];

test.describe.configure({ timeout: 240_000 });

interface Mail {
	to: string;
	text: string;
}

let idp: TestProvider;
let smtp: SMTPServer;
let smtpUrl = '';
const mails: Mail[] = [];
let app: ChildProcess;
let origin = '';
let dataDir = '';

async function startMail(): Promise<void> {
	smtp = new SMTPServer({
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onData(stream, session, callback) {
			simpleParser(stream)
				.then((parsed) => {
					for (const recipient of session.envelope.rcptTo) mails.push({ to: recipient.address, text: parsed.text ?? '' });
					callback();
				})
				.catch(callback);
		}
	});
	await new Promise<void>((resolveListen) => smtp.listen(0, '127.0.0.1', resolveListen));
	smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
}

function startApp(): Promise<string> {
	dataDir = mkdtempSync(join(tmpdir(), 'journey-e2e-attacked-'));
	app = spawn(process.execPath, [resolve('build/app-server.js')], {
		env: {
			...process.env,
			PORT: '0',
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			ORIGIN: '',
			SMTP_URL: smtpUrl,
			ADDRESS_HEADER: 'x-forwarded-for',
			XFF_DEPTH: '1',
			OIDC_ISSUER: idp.issuer,
			OIDC_CLIENT_ID,
			OIDC_CLIENT_SECRET,
			OIDC_NAME: PROVIDER_NAME
		},
		stdio: ['ignore', 'pipe', 'inherit']
	});
	return new Promise((resolveStart, rejectStart) => {
		let output = '';
		app.stdout!.on('data', (chunk) => {
			output += chunk;
			const match = /listening on http:\/\/127\.0\.0\.1:\d+ \(origin (\S+),/.exec(output);
			if (match) resolveStart(match[1]);
		});
		app.once('exit', (code) => rejectStart(new Error(`the app exited (${code}) before listening:\n${output}`)));
	});
}

test.beforeAll(async () => {
	await startMail();
	idp = await startProvider();
	origin = await startApp();
	idp.register(`${origin}/api/auth/oidc/callback`);
});

test.afterAll(async () => {
	app?.kill('SIGTERM');
	await new Promise((resolveExit) => (app?.exitCode !== null ? resolveExit(null) : app.once('exit', resolveExit)));
	await idp?.close();
	await new Promise<void>((resolveClose) => smtp?.close(() => resolveClose()));
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The link of the newest mail to `to` whose path is `path`. */
async function mailedLink(to: string, path: string, after: number): Promise<string> {
	const pattern = new RegExp(`https?://\\S+${path}\\?token=[a-z0-9]+`);
	let link = '';
	await expect
		.poll(() => {
			const mail = mails.slice(after).findLast((candidate) => candidate.to === to && pattern.test(candidate.text));
			link = mail ? pattern.exec(mail.text)![0] : '';
			return link;
		})
		.not.toBe('');
	return link;
}

/** Signs up the owner by API and has 20 addresses guess at the password until it is held back. */
async function attackedOwner(page: Page, name: string): Promise<string> {
	const email = `${name.toLowerCase()}-${Date.now().toString(36)}@corp.example`;
	const signup = await page.request.post('/api/auth/signup', {
		data: { email, password: PASSWORD, name },
		headers: { origin, 'x-forwarded-for': '192.0.2.10' }
	});
	expect(signup.status()).toBe(201);
	await page.context().clearCookies();
	for (let address = 1; address <= ATTACKER_ADDRESSES; address++) {
		await page.request.post('/api/auth/login', {
			data: { email, password: `guess ${address}` },
			headers: { origin, 'x-forwarded-for': `198.51.100.${address}` }
		});
	}
	const held = await page.request.post('/api/auth/login', {
		data: { email, password: PASSWORD },
		headers: { origin, 'x-forwarded-for': '192.0.2.10' }
	});
	expect(held.status()).toBe(429);
	return email;
}

/** Screenshots at both sizes in English and Chinese (by the language cookie), with axe on each language. */
async function lookAt(page: Page, name: string, ready: (page: Page) => Promise<void>): Promise<void> {
	for (const locale of ['en', 'zh-CN']) {
		await page.context().addCookies([{ name: 'locale', value: locale, url: origin }]);
		await page.reload();
		await ready(page);
		expect.soft(await accessibilityViolations(page), `axe findings on ${name} (${locale})`).toEqual([]);
		// The shipped Chinese faces (regular and bold) arrive late on a loaded machine: wait, then lay out again.
		await page.evaluate(async () => {
			await Promise.all(
				['400', '700'].map((weight) => document.fonts.load(`${weight} 16px "Journey Noto Sans SC"`, document.body.innerText))
			);
			await document.fonts.ready;
			document.body.style.display = 'none';
			void document.body.offsetHeight;
			document.body.style.display = '';
		});
		// Loaded again with the faces in the cache, the page is drawn with them from the start.
		await page.reload();
		await ready(page);
		await page.evaluate(() => document.fonts.ready.then(() => undefined));
		for (const viewport of VIEWPORTS) {
			await page.setViewportSize(viewport);
			await screenshotPage(page, `${name}-${locale}-${viewport.width}`);
		}
	}
	await page.context().addCookies([{ name: 'locale', value: 'en', url: origin }]);
	await page.reload();
	await page.setViewportSize(VIEWPORTS[0]);
}

test('held back from the password, the owner links the provider by a mailed link opened on another device', async ({ browser }) => {
	const context = await browser.newContext({ baseURL: origin, viewport: VIEWPORTS[0] });
	const page = await context.newPage();
	const email = await attackedOwner(page, 'Owner');
	idp.addUser({ sub: 'owner-at-acme', email, email_verified: true, name: 'Owner at Acme' });

	await page.goto('/login');
	await page.getByRole('link', { name: `Sign in with ${PROVIDER_NAME}` }).click();
	await expect(page.getByRole('heading', { name: 'Test provider' })).toBeVisible();
	await page.getByLabel('Provider user').fill('owner-at-acme');
	await page.getByRole('button', { name: 'Continue at the provider' }).click();
	await expect(page.getByRole('heading', { name: 'Link your account' })).toBeVisible();

	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Link and sign in' }).click();
	await expect(page.getByRole('alert')).toHaveText('Too many failed log-ins; try again in a few minutes');
	await expect(page).toHaveURL(`${origin}/sso/link`);

	const before = mails.length;
	await page.getByRole('button', { name: 'Email me a link' }).click();
	await expect(page.getByTestId('link-mailed')).toHaveText(
		`We sent a link to ${email}. Open it within 30 minutes to link ${PROVIDER_NAME} and sign in.`
	);
	const link = await mailedLink(email, '/sso/link/confirm', before);

	// The link page, before sending, in both languages.
	const look = await context.newPage();
	await look.goto('/sso/link');
	await lookAt(look, 'sso-link-by-mail', async (shown) => {
		await expect(shown.getByTestId('link-by-mail')).toBeVisible();
	});
	await look.close();

	const phone = await browser.newContext({ baseURL: origin, viewport: VIEWPORTS[0] });
	const phonePage = await phone.newPage();
	await phonePage.goto(link);
	await lookAt(phonePage, 'sso-link-confirm', async (shown) => {
		await expect(shown.getByRole('button')).toBeVisible();
	});
	await phonePage.getByRole('button', { name: 'Link and sign in' }).click();
	await expect(phonePage).toHaveURL(`${origin}/boards`);
	await phonePage.goto('/account');
	await expect(phonePage.getByTestId('linked-provider')).toContainText(`You sign in with ${PROVIDER_NAME}`);
	await phone.close();
	await context.close();
});

test('held back from the password, the owner resets it in the browser and lands signed in on the account page', async ({ browser }) => {
	const context = await browser.newContext({ baseURL: origin, viewport: VIEWPORTS[0] });
	const page = await context.newPage();
	const email = await attackedOwner(page, 'Resetter');
	const before = mails.length;
	await page.goto('/forgot-password');
	await page.getByLabel('Email').fill(email);
	await page.getByRole('button', { name: 'Send the link' }).click();
	const link = await mailedLink(email, '/reset-password', before);
	await page.goto(link);
	await page.getByLabel('New password').fill(NEW_PASSWORD);
	await page.getByRole('button', { name: 'Set the password' }).click();
	await expect(page).toHaveURL(`${origin}/account?reset=1`);
	await expect(page.getByTestId('reset-done')).toHaveText(
		'Your new password is set and you are signed in. Every other session was signed out.'
	);
	await lookAt(page, 'account-after-reset', async (shown) => {
		await expect(shown.getByTestId('reset-done')).toBeVisible();
	});
	await context.close();
});
