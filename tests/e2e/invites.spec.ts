/**
 * Adding people by email in the browser: the members page hands over a personal invite link
 * (no mail here), listed as pending, that only its address can use, once; revoking stops it. Then,
 * against a second server with a real SMTP server on loopback: "Invitation sent to …", a newcomer
 * creating their account from the mailed link, and /account showing the confirmation state and
 * the digest switch. Screenshots in English and Chinese at 1280×720 and 1440×900; axe on each.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { accessibilityViolations } from './axe';
import { closeAll, createBoardViaApi, screenshotPage, signUpViaApi, type Person } from './people';

const VIEWPORTS = [
	{ width: 1280, height: 720 },
	{ width: 1440, height: 900 }
];
const PASSWORD = 'correct horse battery';

let people: Person[] = [];
test.afterEach(async () => closeAll(people));

async function expectAccessible(page: Page, where: string): Promise<void> {
	expect.soft(await accessibilityViolations(page), `axe findings on ${where}`).toEqual([]);
}

/** Screenshots of the page at both sizes, in English and then in Chinese (by the language cookie). */
async function screenshotsInBothLanguages(page: Page, name: string, ready: (page: Page, locale: string) => Promise<void>): Promise<void> {
	for (const locale of ['en', 'zh-CN']) {
		await page.context().addCookies([{ name: 'locale', value: locale, url: page.url() }]);
		await page.reload();
		await ready(page, locale);
		for (const viewport of VIEWPORTS) {
			await page.setViewportSize(viewport);
			await screenshotPage(page, `${name}-${locale}-${viewport.width}`, true);
		}
	}
	await page.context().addCookies([{ name: 'locale', value: 'en', url: page.url() }]);
	await page.reload();
}

test('the members page: a personal invite link, pending until its address accepts it, refused to others, revocable', async ({
	browser
}) => {
	const owner = await signUpViaApi(browser, 'owner', 'Olga Owner');
	const member = await signUpViaApi(browser, 'member', 'Mia Member');
	test.setTimeout(240_000);
	const other = await signUpViaApi(browser, 'other', 'Otto Other');
	people = [owner, member, other];
	const boardId = await createBoardViaApi(owner, 'Branch visit', 'blank');
	const { page } = owner;

	await page.goto(`/boards/${boardId}/members`);
	await page.getByTestId('invite-email').fill(member.email);
	await page.getByTestId('invite-role').selectOption('commenter');
	await page.getByTestId('invite-add').click();
	await expect(page.getByTestId('invited')).toContainText(`Send this personal link to ${member.email}`);
	const url = await page.getByTestId('invited-url').inputValue();
	expect(url).toMatch(/\/join\/[a-z0-9]+$/);
	const pending = page.locator(`[data-testid=pending-row][data-email="${member.email}"]`);
	await expect(pending).toContainText('Invited, not joined yet');
	await expect(pending).toContainText('Commenter');
	await expect(page.locator(`[data-testid=member-row][data-email="${member.email}"]`)).toHaveCount(0);
	await expectAccessible(page, 'the members page with a pending invitation');
	// Each language's screenshot shows a fresh personal link, as the owner sees it right after adding.
	await screenshotsInBothLanguages(page, 'invites-01-members-pending', async (p, locale) => {
		await p.getByTestId('invite-email').fill(`workshop.guest.${locale.toLowerCase()}@example.com`);
		await p.getByTestId('invite-add').click();
		await expect(p.getByTestId('invited-url')).toBeVisible();
	});
	await page.setViewportSize(VIEWPORTS[0]);

	// Someone else, signed in, holding the link: told it is for another address, not let in.
	await other.page.goto(url);
	await expect(other.page.getByTestId('invite-other-account')).toContainText(other.email);
	await expect(other.page.getByTestId('join-as-user')).toHaveCount(0);
	expect((await other.page.request.get(`/api/boards/${boardId}`)).status()).toBe(404);

	await member.page.goto(url);
	await expect(member.page.getByTestId('invite-for')).toHaveText(`This invitation is for ${member.email}, as Commenter.`);
	await expectAccessible(member.page, 'the join page of a personal invite');
	await member.page.getByTestId('join-as-user').click();
	await expect(member.page).toHaveURL(new RegExp(`/boards/${boardId}$`));
	// Used up: the link answers 410 now.
	expect((await member.page.goto(url))?.status()).toBe(410);

	await page.reload();
	await expect(page.locator(`[data-testid=member-row][data-email="${member.email}"]`)).toBeVisible();
	await expect(page.locator(`[data-testid=pending-row][data-email="${member.email}"]`)).toHaveCount(0);

	// A second invitation, revoked before it is used.
	await page.getByTestId('invite-email').fill('later@example.com');
	await page.getByTestId('invite-add').click();
	const revoked = await page.getByTestId('invited-url').inputValue();
	const later = page.locator('[data-testid=pending-row][data-email="later@example.com"]');
	await expect(page.getByTestId('pending-row')).toHaveCount(3);
	await later.getByTestId('pending-revoke').click();
	await expect(later).toHaveCount(0);
	await expect(page.getByTestId('pending-row')).toHaveCount(2);
	expect((await other.page.goto(revoked))?.status()).toBe(410);
});

/** A real SMTP server on loopback keeping what it receives. */
async function startMailServer(): Promise<{ url: string; mails: { to: string; text: string }[]; close(): Promise<void> }> {
	const mails: { to: string; text: string }[] = [];
	const server = new SMTPServer({
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
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.server.address() as AddressInfo;
	return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The built app with mail configured, on its own port and data directory; its public origin. */
async function startServerWithMail(smtpUrl: string): Promise<{ origin: string; stop(): Promise<void> }> {
	const dataDir = mkdtempSync(join(tmpdir(), 'journey-e2e-mail-'));
	const child: ChildProcess = spawn(process.execPath, ['build/app-server.js'], {
		env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SMTP_URL: smtpUrl, ORIGIN: '', SIGNUP_MAX_PER_HOUR: '1000' },
		stdio: ['ignore', 'pipe', 'inherit']
	});
	const port = await new Promise<string>((resolve, reject) => {
		let output = '';
		child.stdout!.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
			if (match) resolve(match[1]);
		});
		child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
	});
	return {
		origin: `http://localhost:${port}`,
		stop: async () => {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

async function personAt(browser: Browser, origin: string, label: string, name: string): Promise<Person> {
	const context = await browser.newContext({ baseURL: origin });
	const page = await context.newPage();
	const email = `${label}-${Date.now().toString(36)}@example.com`;
	const response = await page.request.post('/api/auth/signup', { data: { email, password: PASSWORD, name } });
	expect(response.status()).toBe(201);
	return { label, name, email, context, page };
}

test('with mail: “Invitation sent”, a newcomer joins through the mailed link, /account shows the confirmation and the digest switch', async ({
	browser
}) => {
	test.setTimeout(240_000);
	const mail = await startMailServer();
	const server = await startServerWithMail(mail.url);
	try {
		const owner = await personAt(browser, server.origin, 'owner', 'Olga Owner');
		people = [owner];
		const created = await owner.page.request.post('/api/boards', { data: { title: 'Branch visit', template: 'blank' } });
		const boardId = (await created.json()).id;
		const { page } = owner;

		await page.goto(`/boards/${boardId}/members`);
		const newcomer = `newcomer-${Date.now().toString(36)}@example.com`;
		await page.getByTestId('invite-email').fill(newcomer);
		await page.getByTestId('invite-add').click();
		await expect(page.getByTestId('invited')).toHaveText(`Invitation sent to ${newcomer}. They join once they open the mailed link.`);
		await expect(page.getByTestId('invited-url')).toHaveCount(0);
		await expect(page.getByTestId('pending-row')).toBeVisible();
		for (const viewport of VIEWPORTS) {
			await page.setViewportSize(viewport);
			await screenshotPage(page, `invites-02-members-sent-en-${viewport.width}`, true);
		}

		await expect.poll(() => mail.mails.find((received) => received.to === newcomer)).toBeTruthy();
		const link = /https?:\/\/\S+\/join\/[a-z0-9]+/.exec(mail.mails.find((received) => received.to === newcomer)!.text)![0];
		const stranger = await browser.newContext({ baseURL: server.origin });
		people.push({ label: 'newcomer', name: 'Nia', email: newcomer, context: stranger, page: await stranger.newPage() });
		const newcomerPage = people.at(-1)!.page;
		await newcomerPage.goto(link);
		await expect(newcomerPage.getByTestId('invite-signup-email')).toHaveValue(newcomer);
		await expectAccessible(newcomerPage, 'the join page of a mailed personal invite, signed out');
		await newcomerPage.getByTestId('invite-signup-name').fill('Nia Newcomer');
		await newcomerPage.getByTestId('invite-signup-password').fill(PASSWORD);
		await newcomerPage.getByTestId('invite-signup').click();
		await expect(newcomerPage).toHaveURL(new RegExp(`/boards/${boardId}$`));
		const me = await (await newcomerPage.request.get('/api/me')).json();
		expect(me.emailVerified).toBe(true);

		await page.goto('/account');
		await expect(page.getByTestId('unverified')).toBeVisible();
		await expect(page.getByTestId('digest-enabled')).toBeChecked();
		await expectAccessible(page, 'the account page with mail');
		await screenshotsInBothLanguages(page, 'invites-03-account', async (p) => {
			await expect(p.getByTestId('digest-form')).toBeVisible();
		});
		await page.setViewportSize(VIEWPORTS[0]);
		await page.getByTestId('resend-verification').click();
		await expect(page.getByRole('status')).toHaveText(`A confirmation link is on its way to ${owner.email}.`);
		await page.getByTestId('digest-enabled').uncheck();
		await page.getByTestId('digest-form').getByRole('button').click();
		await expect(page.getByRole('status')).toHaveText('Your mail setting is saved.');
		await page.reload();
		await expect(page.getByTestId('digest-enabled')).not.toBeChecked();
	} finally {
		await server.stop();
		await mail.close();
	}
});
