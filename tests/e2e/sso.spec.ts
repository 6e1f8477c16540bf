/**
 * Single sign-on in a real browser: the sign-in page's button goes to a real OpenID Connect
 * provider on loopback (`oidc-provider`), the person signs in on its page and lands back signed in;
 * an existing account is linked on the "Link your account" page with its password. The sign-in
 * page with the button is looked at in English and Chinese at two sizes and checked with axe.
 * This spec starts its own app server, configured for the provider, beside Playwright's.
 */
import { expect, test, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, startProvider, type TestProvider } from '../support/oidc-provider';
import { accessibilityViolations } from './axe';
import { SCREENSHOT_DIR } from './people';

const PROVIDER_NAME = 'Acme SSO';
const PASSWORD = 'correct horse battery';
const LISTENING = /listening on http:\/\/127\.0\.0\.1:(\d+) \(origin (\S+),/;
const SIZES = [
	{ width: 1280, height: 720 },
	{ width: 1440, height: 900 }
];

// Each test signs in through two servers and runs axe: slow on a loaded machine.
test.describe.configure({ timeout: 180_000 });

let idp: TestProvider;
let app: ChildProcess;
let origin = '';
let dataDir = '';

/** Starts the built app with single sign-on set up for the provider; resolves with its origin. */
function startApp(provider: TestProvider): Promise<string> {
	dataDir = mkdtempSync(join(tmpdir(), 'journey-e2e-sso-'));
	app = spawn(process.execPath, [resolve('build/app-server.js')], {
		env: {
			...process.env,
			PORT: '0',
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			ORIGIN: '',
			OIDC_ISSUER: provider.issuer,
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
			const match = LISTENING.exec(output);
			if (match) resolveStart(match[2]);
		});
		app.once('exit', (code) => rejectStart(new Error(`the app exited (${code}) before listening:\n${output}`)));
	});
}

test.beforeAll(async () => {
	idp = await startProvider();
	origin = await startApp(idp);
	idp.register(`${origin}/api/auth/oidc/callback`);
});

test.afterAll(async () => {
	app?.kill('SIGTERM');
	await new Promise((resolveExit) => (app?.exitCode !== null ? resolveExit(null) : app.once('exit', resolveExit)));
	await idp?.close();
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A screenshot once the shipped Chinese faces (regular and bold) have arrived: on a loaded machine they take a while. */
async function screenshot(page: Page, name: string): Promise<void> {
	await page.evaluate(async () => {
		await Promise.all(['400', '700'].map((weight) => document.fonts.load(`${weight} 16px "Journey Noto Sans SC"`, '登录')));
		await document.fonts.ready;
		// Text laid out while the faces were still on their way can keep its fallback boxes in
		// headless Chromium on a loaded machine: lay the page out again with the faces in place.
		document.body.style.display = 'none';
		void document.body.offsetHeight;
		document.body.style.display = '';
	});
	await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

/** Signs in at the provider's own page as `sub`, from the app's button. */
async function signInAtProvider(page: Page, sub: string): Promise<void> {
	await page.getByRole('link', { name: `Sign in with ${PROVIDER_NAME}` }).click();
	await expect(page.getByRole('heading', { name: 'Test provider' })).toBeVisible();
	await page.getByLabel('Provider user').fill(sub);
	await page.getByRole('button', { name: 'Continue at the provider' }).click();
}

test('the button signs a person in through the provider and back, creating a verified account', async ({ browser }) => {
	idp.addUser({ sub: 'ada', email: 'ada@corp.example', email_verified: true, name: 'Ada Lovelace' });
	const context = await browser.newContext({ baseURL: origin });
	const page = await context.newPage();
	await page.goto('/login');
	await signInAtProvider(page, 'ada');
	await expect(page).toHaveURL(`${origin}/boards`);
	await expect(page.getByText('Ada Lovelace')).toBeVisible();
	await page.goto('/account');
	await expect(page.getByTestId('linked-provider')).toContainText(`You sign in with ${PROVIDER_NAME}`);
	await page.setViewportSize(SIZES[0]);
	await screenshot(page, 'sso-account-1280x720-en');
	await context.close();
});

test('an existing account is linked on the "Link your account" page with its password', async ({ browser }) => {
	const context = await browser.newContext({ baseURL: origin, viewport: SIZES[0] });
	const page = await context.newPage();
	const signup = await page.request.post('/api/auth/signup', {
		data: { email: 'grace@corp.example', password: PASSWORD, name: 'Grace Hopper' },
		headers: { origin }
	});
	expect(signup.status()).toBe(201);
	await context.clearCookies();
	idp.addUser({ sub: 'grace', email: 'grace@corp.example', email_verified: true, name: 'Grace at Acme' });
	await page.goto('/login');
	await signInAtProvider(page, 'grace');
	await expect(page.getByRole('heading', { name: 'Link your account' })).toBeVisible();
	await expect(page.getByText('An account with grace@corp.example already exists.')).toBeVisible();
	await page.getByLabel('Password').fill('not the password');
	await page.getByRole('button', { name: 'Link and sign in' }).click();
	await expect(page.getByRole('alert')).toHaveText('The password is wrong');
	await screenshot(page, 'sso-link-1280x720-en');
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Link and sign in' }).click();
	await expect(page).toHaveURL(`${origin}/boards`);
	await expect(page.getByText('Grace Hopper')).toBeVisible();
	await context.close();
});

for (const locale of ['en-US', 'zh-CN']) {
	const language = locale === 'en-US' ? 'en' : 'zh';
	const button = locale === 'en-US' ? `Sign in with ${PROVIDER_NAME}` : `使用 ${PROVIDER_NAME} 登录`;

	test(`a refused sign-in explains itself (${language})`, async ({ browser }) => {
		idp.addUser({ sub: 'eve', email: 'eve@corp.example', email_verified: false, name: 'Eve' });
		const context = await browser.newContext({ baseURL: origin, viewport: SIZES[0], locale });
		const page = await context.newPage();
		await page.goto('/login');
		await page.getByRole('link', { name: button }).click();
		await page.getByLabel('Provider user').fill('eve');
		await page.getByRole('button', { name: 'Continue at the provider' }).click();
		await expect(page).toHaveURL(/\/sso\/error\?reason=unverified-email$/);
		await expect(page.getByRole('alert')).toContainText(locale === 'en-US' ? 'no account was created' : '因此没有创建账号');
		expect(await accessibilityViolations(page)).toEqual([]);
		await screenshot(page, `sso-error-1280x720-${language}`);
		await context.close();
	});

	for (const size of SIZES) {
		test(`the sign-in page with the button at ${size.width}×${size.height} (${language}) has no accessibility violations`, async ({
			browser
		}) => {
			const context = await browser.newContext({ baseURL: origin, viewport: size, locale });
			const page = await context.newPage();
			await page.goto('/login');
			await expect(page.getByRole('link', { name: button })).toBeVisible();
			await expect(page.getByLabel(locale === 'en-US' ? 'Password' : '密码')).toBeVisible();
			expect(await accessibilityViolations(page)).toEqual([]);
			await screenshot(page, `sso-login-${size.width}x${size.height}-${language}`);
			await context.close();
		});
	}
}
