import { expect, test, type Browser, type Page } from '@playwright/test';
import {
	card,
	closeAll,
	createBoardViaApi,
	expectSynced,
	fitView,
	keepForOffline,
	openBoard,
	postComment,
	screenshotElement,
	screenshotPage,
	shareViaApi,
	signUpViaApi,
	smallJourney,
	SyncLine,
	type Person
} from './people';

// Issue 13, the minor items of the workshop run: offline status after a reload, guests told
// apart, plural counts, an invite link for an unknown address, a spotlight that looks like
// itself and gives each participant their view back when it ends.

let people: Person[] = [];

test.afterEach(async () => {
	await closeAll(people);
	people = [];
});

const JOURNEY = smallJourney('Branch visit', [
	{ id: 'tp-queue', title: 'Queueing', kind: 'negative-peak', emotion: -4 },
	{ id: 'tp-coffee', title: 'Coffee', kind: 'positive-peak', emotion: 3 },
	{ id: 'tp-forms', title: 'Forms' }
]);

/** The canvas viewport as Svelte Flow draws it. */
async function viewportOf(page: Page): Promise<{ x: number; y: number; zoom: number }> {
	const transform = await page.locator('.svelte-flow__viewport').evaluate((element) => (element as HTMLElement).style.transform);
	const match = /translate\((-?[\d.e-]+)px,\s*(-?[\d.e-]+)px\)\s*scale\((-?[\d.e-]+)\)/.exec(transform);
	if (!match) throw new Error(`unexpected viewport transform: ${transform}`);
	return { x: Number(match[1]), y: Number(match[2]), zoom: Number(match[3]) };
}

function sameView(a: { x: number; y: number; zoom: number }, b: { x: number; y: number; zoom: number }): boolean {
	return Math.abs(a.x - b.x) <= 1.5 && Math.abs(a.y - b.y) <= 1.5 && Math.abs(a.zoom - b.zoom) < 0.001;
}

async function joinAsGuest(browser: Browser, url: string, name: string): Promise<Person> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto(url);
	await page.getByTestId('guest-name').fill(name);
	await page.getByTestId('join-as-guest').click();
	await expect(page).toHaveURL(/\/boards\/[^/]+$/);
	await expectSynced(page);
	return { label: name.split(' ')[0].toLowerCase(), name, email: '', context, page };
}

test('a reload while offline says “Offline — edits kept”, not “Connecting…”', async ({ browser }) => {
	const owner = await signUpViaApi(browser, 'owner', 'Olga Owner');
	people = [owner];
	const boardId = await createBoardViaApi(owner, 'Branch visit', { journey: JOURNEY });
	const line = await SyncLine.attach(owner);
	await openBoard(owner, boardId);
	await keepForOffline(owner.page);
	await line.cut({ network: true });
	const status = owner.page.getByTestId('connection-status');
	await expect(status).toHaveAttribute('data-status', 'offline');
	await owner.page.reload();
	await expect(card(owner.page, 'Queueing')).toHaveCount(1);
	await expect(status).toHaveAttribute('data-status', 'offline');
	await expect(status).toHaveText('Offline — edits kept');
	await line.restore();
	await expectSynced(owner.page);
});

test('two guests are told apart, counts read right, and an unknown address gets an invite link', async ({ browser }) => {
	// Four people in their own browsers, three steps.
	test.setTimeout(150_000);
	const owner = await signUpViaApi(browser, 'owner', 'Olga Owner');
	const member = await signUpViaApi(browser, 'member', 'Mia Member');
	people = [owner, member];
	const boardId = await createBoardViaApi(owner, 'Branch visit', { journey: JOURNEY });
	await shareViaApi(owner, boardId, member, 'editor');
	const invite = await owner.page.request.post(`/api/boards/${boardId}/invites`, { data: { role: 'editor', expiresInHours: 24 } });
	expect(invite.status()).toBe(201);
	const url = (await invite.json()).invite.url;
	people.push(await joinAsGuest(browser, url, 'Gina Guest'));
	people.push(await joinAsGuest(browser, url, 'Greg Guest'));
	await openBoard(owner, boardId);

	await test.step('two guests with the same initials get different ones', async () => {
		// The two guests beside the owner's own avatar.
		await expect(owner.page.getByTestId('avatar')).toHaveCount(2);
		const gina = owner.page.locator('[data-testid=avatar][data-name="Gina Guest"]');
		const greg = owner.page.locator('[data-testid=avatar][data-name="Greg Guest"]');
		await expect(gina).toBeVisible();
		await expect(greg).toBeVisible();
		expect(await gina.getAttribute('data-initials')).not.toEqual(await greg.getAttribute('data-initials'));
		expect(await gina.innerText()).not.toEqual(await greg.innerText());
		for (const viewport of [
			{ width: 1280, height: 720 },
			{ width: 1440, height: 900 }
		]) {
			await owner.page.setViewportSize(viewport);
			await screenshotElement(owner.page.getByTestId('presence'), `minor-01-avatars-${viewport.width}`);
			await screenshotPage(owner.page, `minor-01-board-${viewport.width}`);
		}
	});

	await test.step('one unread mention is “1 unread mention”', async () => {
		const memberId = (
			(await (await owner.page.request.get(`/api/boards/${boardId}`)).json()).board.members as { userId: string; name: string }[]
		).find((candidate) => candidate.name === 'Mia Member')!.userId;
		await postComment(owner, boardId, { body: '@Mia Member can you check the queue?', mentions: [memberId] });
		await member.page.goto('/boards');
		const mentions = member.page.getByTestId('board-mentions');
		await expect(mentions).toContainText('1 unread mention');
		await expect(mentions).not.toContainText('mentions');
		await openBoard(member, boardId);
		await expect(member.page.getByTestId('unread-mentions')).toHaveAttribute('title', '1 unread mention');
	});

	await test.step('sharing with an address nobody has an account for gives a personal invite link', async () => {
		const { page } = owner;
		await page.getByTestId('share').click();
		const dialog = page.getByTestId('share-dialog');
		await dialog.getByTestId('share-email').fill('new.colleague@example.com');
		await dialog.getByTestId('share-role').selectOption('commenter');
		await dialog.getByRole('button', { name: 'Add' }).click();
		const offer = dialog.getByTestId('invite-offer');
		await expect(offer).toContainText('Send this personal link to new.colleague@example.com');
		await expect(dialog.getByRole('alert')).toHaveCount(0);
		const link = offer.getByTestId('invite-offer-link');
		await expect(link).toHaveValue(/\/join\/[a-z0-9]+$/);
		for (const viewport of [
			{ width: 1280, height: 720 },
			{ width: 1440, height: 900 }
		]) {
			await page.setViewportSize(viewport);
			await screenshotPage(page, `minor-02-share-invite-${viewport.width}`);
		}
		// The link works: a stranger sees the board's join page with the commenter role.
		const stranger = await browser.newContext();
		people.push({ label: 'stranger', name: '', email: '', context: stranger, page: await stranger.newPage() });
		const strangerPage = people.at(-1)!.page;
		await strangerPage.goto(await link.inputValue());
		await expect(strangerPage.getByTestId('join')).toContainText('Branch visit');
		await expect(strangerPage.getByTestId('invite-for')).toHaveText('This invitation is for new.colleague@example.com, as Commenter.');
	});
});

test('the spotlight has its own labelled look, and ending it gives each participant their view back', async ({ browser }) => {
	const owner = await signUpViaApi(browser, 'owner', 'Olga Owner');
	const member = await signUpViaApi(browser, 'member', 'Mia Member');
	people = [owner, member];
	const boardId = await createBoardViaApi(owner, 'Branch visit', { journey: JOURNEY });
	await shareViaApi(owner, boardId, member, 'editor');
	await openBoard(owner, boardId);
	await openBoard(member, boardId);
	await fitView(member.page);
	await member.page.locator('.svelte-flow__controls-zoomout').click();
	let before = await viewportOf(member.page);
	await expect.poll(async () => sameView((before = await viewportOf(member.page)), await viewportOf(member.page))).toBe(true);

	await fitView(owner.page);
	await card(owner.page, 'Queueing').click();
	await owner.page.getByTestId('spotlight').click();
	const label = card(member.page, 'Queueing').getByTestId('spotlight-label');
	await expect(label).toHaveText('✦ Spotlight');
	await expect.poll(async () => sameView(await viewportOf(member.page), before)).toBe(false);
	// Not the look of a selection: a dashed frame, not the solid ring of someone's selection.
	await expect(card(member.page, 'Queueing')).toHaveCSS('outline-style', 'dashed');
	await expect(card(member.page, 'Queueing')).not.toHaveClass(/selected/);
	for (const viewport of [
		{ width: 1280, height: 720 },
		{ width: 1440, height: 900 }
	]) {
		await member.page.setViewportSize(viewport);
		await screenshotPage(member.page, `minor-03-spotlight-${viewport.width}`);
	}
	await member.page.setViewportSize({ width: 1280, height: 800 });

	await owner.page.getByTestId('spotlight-clear').click();
	await expect(label).toHaveCount(0);
	await expect
		.poll(async () => sameView(await viewportOf(member.page), before), { message: 'the member’s view before the spotlight' })
		.toBe(true);
});
