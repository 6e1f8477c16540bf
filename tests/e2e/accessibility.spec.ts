import { expect, test, type Browser, type Page } from '@playwright/test';
import { accessibilityViolations } from './axe';
import {
	card,
	closeAll,
	createBoardViaApi,
	expectSynced,
	fitView,
	openBoard,
	postComment,
	shareViaApi,
	signUpViaApi,
	smallJourney,
	type Person
} from './people';

// Issue 13: axe-core (WCAG 2.1 A and AA) finds no serious or critical violation on any page, with
// a workshop running (timer, rating round, dot voting), in each side-panel tab; the rules the
// issue named (contrast, scrollable regions, heading order, unique landmarks, empty table
// headers) find nothing at any impact.

/** Rules the issue reported; they must find nothing at all, whatever their impact. */
const NAMED_RULES = ['color-contrast', 'scrollable-region-focusable', 'heading-order', 'landmark-unique', 'empty-table-header'];

const JOURNEY = smallJourney('Accessible workshop', [
	{ id: 'tp-queue', title: 'Queueing', emotion: -4, expectation: 8, experience: 3, importance: 6 } as never,
	{ id: 'tp-coffee', title: 'Coffee', kind: 'positive-peak', emotion: 4 },
	{ id: 'tp-forms', title: 'Forms', emotion: -1 }
]);

let owner: Person;
let member: Person;
let guest: Person | null = null;
let boardId: string;
let inviteUrl: string;

/** Every serious or critical WCAG finding, and any finding of the named rules, on the page as it is now. */
async function expectAccessible(page: Page, where: string): Promise<void> {
	expect.soft(await accessibilityViolations(page, { alsoRules: NAMED_RULES }), `axe findings on ${where}`).toEqual([]);
}

async function joinAsGuest(browser: Browser, name: string): Promise<Person> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto(inviteUrl);
	await expect(page.getByTestId('join')).toBeVisible();
	await expectAccessible(page, 'the join page (stranger)');
	await page.getByTestId('guest-name').fill(name);
	await page.getByTestId('join-as-guest').click();
	await expect(page).toHaveURL(new RegExp(`/boards/${boardId}$`));
	await expectSynced(page);
	return { label: 'guest', name, email: '', context, page };
}

test.beforeAll(async ({ browser }) => {
	owner = await signUpViaApi(browser, 'owner', 'Olga Owner');
	member = await signUpViaApi(browser, 'member', 'Mia Member');
	boardId = await createBoardViaApi(owner, 'Accessible workshop', { journey: JOURNEY });
	await shareViaApi(owner, boardId, member, 'editor');
	const invite = await owner.page.request.post(`/api/boards/${boardId}/invites`, { data: { role: 'editor', expiresInHours: 24 } });
	expect(invite.status(), await invite.text()).toBe(201);
	inviteUrl = (await invite.json()).invite.url;
	await postComment(owner, boardId, { body: 'Why so long at the counter?', touchpointId: 'tp-queue' });
	// A workshop in full swing: a countdown, a rating round with a rating in, dot voting with a dot placed.
	await setWorkshop({ timerSeconds: 30 * 60, ratingTouchpointId: 'tp-queue', votingOpen: true, votingBudget: 3 });
	const rating = await member.page.request.post(`/api/boards/${boardId}/ratings`, { data: { touchpointId: 'tp-queue', emotion: -3 } });
	expect(rating.status(), await rating.text()).toBe(200);
	const vote = await member.page.request.post(`/api/boards/${boardId}/votes`, { data: { touchpointId: 'tp-queue', delta: 1 } });
	expect(vote.status(), await vote.text()).toBe(200);
});

/** Changes the workshop controls as the facilitator (the API the facilitator bar calls). */
async function setWorkshop(change: Record<string, unknown>): Promise<void> {
	const response = await owner.page.request.patch(`/api/boards/${boardId}/facilitation`, { data: change });
	expect(response.status(), await response.text()).toBe(200);
}

test.afterAll(async () => {
	await closeAll([owner, member, ...(guest ? [guest] : [])]);
});

test('login, sign-up and the error page', async ({ browser }) => {
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto('/login');
	await expectAccessible(page, 'the login page');
	await page.goto('/signup');
	await expectAccessible(page, 'the sign-up page');
	await page.goto('/boards/no-such-board');
	await expectAccessible(page, 'the error page (signed out)');
	await context.close();
	await owner.page.goto('/boards/no-such-board');
	await expect(owner.page.locator('h1')).toBeVisible();
	await expectAccessible(owner.page, 'the error page (signed in)');
});

test('the board list, the members page, the versions page with a comparison', async () => {
	const { page } = owner;
	await page.goto('/boards');
	await expect(page.getByTestId('board-list')).toBeVisible();
	await expectAccessible(page, 'the board list');
	await page.goto(`/boards/${boardId}/members`);
	await expect(page.getByTestId('member-row').first()).toBeVisible();
	await page.getByTestId('invite-email').fill('pending.person@example.com');
	await page.getByTestId('invite-add').click();
	await expect(page.getByTestId('invited-url')).toBeVisible();
	await expect(page.getByTestId('pending-row')).toBeVisible();
	await expectAccessible(page, 'the members page, with a personal invite pending');
	await page.goto(`/boards/${boardId}/versions`);
	await page.getByTestId('version-name').fill('Before the workshop');
	await page.getByTestId('version-save').click();
	await expect(page.getByTestId('version-row')).toHaveCount(1);
	await page.getByTestId('compare-from').selectOption({ label: 'Before the workshop' });
	await page.getByTestId('compare-run').click();
	await expect(page.getByTestId('comparison')).toBeVisible();
	await expectAccessible(page, 'the versions page with a comparison');
	await page.getByTestId('version-open').first().click();
	await expect(page.getByTestId('version-view')).toBeVisible();
	await expectAccessible(page, 'a stored version');
});

test('the board with a workshop running, as the facilitator, in every side-panel tab', async () => {
	// Three full audits of a live board on a shared machine.
	test.setTimeout(180_000);
	const { page } = owner;
	await openBoard(owner, boardId);
	await expect(page.getByTestId('timer')).toBeVisible();
	await expect(page.getByTestId('rating-panel')).toBeVisible();
	await expect(page.getByTestId('voting-notice')).toBeVisible();
	for (const tab of ['tab-touchpoint', 'tab-analysis', 'tab-comments'] as const) {
		await fitView(page);
		if (tab === 'tab-touchpoint') await card(page, 'Queueing').click();
		await page.getByTestId(tab).click();
		await expectAccessible(page, `the facilitator’s board (${tab})`);
	}
});

test('the board as a guest who joined through the invite link, before and after the ratings are revealed', async ({ browser }) => {
	test.setTimeout(180_000);
	guest = await joinAsGuest(browser, 'Gus Guest');
	const { page } = guest;
	await expect(page.getByTestId('rating-panel')).toBeVisible();
	await page.getByTestId('rate-3').click();
	await page.getByTestId('tab-analysis').click();
	await expectAccessible(page, 'the guest’s board (analysis, rating open)');
	await setWorkshop({ ratingRevealed: true });
	await expect(page.getByTestId('rating-results')).toBeVisible();
	await page.getByTestId('tab-comments').click();
	await expectAccessible(page, 'the guest’s board (comments, ratings revealed)');
});

test('the Actions tab with an action open and the matrix, and My work', async () => {
	test.setTimeout(180_000);
	const { page } = owner;
	await openBoard(owner, boardId);
	await page.getByTestId('tab-analysis').click();
	await page.getByTestId('plan-action').first().click();
	await expect(page.getByTestId('action-editor')).toBeVisible();
	await expect(page.getByTestId('action-matrix')).toBeVisible();
	await expectAccessible(page, 'the Actions tab');
	await page.goto('/me/work');
	await expect(page.locator('h1')).toBeVisible();
	await expectAccessible(page, 'My work');
});

test('the share dialog giving a personal invite link for an unknown address', async () => {
	test.setTimeout(120_000);
	const { page } = owner;
	await openBoard(owner, boardId);
	await page.getByTestId('share').click();
	const dialog = page.getByTestId('share-dialog');
	await dialog.getByTestId('share-email').fill('nobody.yet@example.com');
	await dialog.getByRole('button', { name: 'Add' }).click();
	await expect(dialog.getByTestId('invite-offer-link')).toHaveValue(/\/join\//);
	await expectAccessible(page, 'the share dialog');
});

test('the summary', async () => {
	await owner.page.goto(`/boards/${boardId}/summary`);
	await expect(owner.page.locator('h1')).toBeVisible();
	await expectAccessible(owner.page, 'the summary');
});
