import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { join } from 'node:path';
import {
	card,
	closeAll,
	createBoardViaApi,
	expectSynced,
	fitView,
	flowPosition,
	openBoard,
	SCREENSHOT_DIR,
	screenshotAll,
	serverJourney,
	shareViaApi,
	signUp,
	smallJourney,
	type Person
} from './people';

// Issue 5: a workshop with a facilitator (the owner) and two participants in their own browser
// contexts, one of them a guest who joins through an invite link: lock, timer, follow me,
// private ratings with a reveal, and dot voting.

test.describe.configure({ mode: 'serial' });

/** Touchpoints of the workshop board: "Queue" and "Forms" are key experiences (negative weighted gaps). */
const JOURNEY = smallJourney('Branch workshop', [
	{ id: 'tp-queue', title: 'Queue', emotion: -2, expectation: 8, experience: 3, importance: 6 } as never,
	{ id: 'tp-forms', title: 'Forms', emotion: -1, expectation: 7, experience: 5, importance: 4 } as never,
	{ id: 'tp-coffee', title: 'Coffee', emotion: 3 }
]);

let facilitator: Person;
let member: Person;
let guest: Person;
let everyone: Person[] = [];
let participants: Person[] = [];
let boardId: string;

/** Opens a context without an account, goes to the invite link and joins as a guest. */
async function joinAsGuest(browser: Browser, url: string, name: string): Promise<Person> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto(url);
	await expect(page.getByTestId('join')).toBeVisible();
	await expect(page.getByTestId('join')).toContainText('Branch workshop');
	await page.getByTestId('guest-name').fill(name);
	await page.screenshot({ path: join(SCREENSHOT_DIR, 'workshop-01-join-page-guest.png') });
	await page.getByTestId('join-as-guest').click();
	await expect(page).toHaveURL(new RegExp(`/boards/${boardId}$`));
	await expectSynced(page);
	return { label: 'guest', name, email: '', context, page };
}

/** The canvas viewport as Svelte Flow draws it: `translate(x, y) scale(zoom)` of `.svelte-flow__viewport`. */
async function viewportOf(page: Page): Promise<{ x: number; y: number; zoom: number }> {
	const transform = await page.locator('.svelte-flow__viewport').evaluate((element) => (element as HTMLElement).style.transform);
	const match = /translate\((-?[\d.e-]+)px,\s*(-?[\d.e-]+)px\)\s*scale\((-?[\d.e-]+)\)/.exec(transform);
	if (!match) throw new Error(`unexpected viewport transform: ${transform}`);
	return { x: Number(match[1]), y: Number(match[2]), zoom: Number(match[3]) };
}

/** Whether two views show the same place (shared positions are rounded to whole pixels). */
function sameView(a: { x: number; y: number; zoom: number }, b: { x: number; y: number; zoom: number }): boolean {
	return Math.abs(a.x - b.x) <= 1.5 && Math.abs(a.y - b.y) <= 1.5 && Math.abs(a.zoom - b.zoom) < 0.001;
}

/** Waits until `page` shows the same view as `leader`; returns that view. */
async function expectSameView(page: Page, leader: Page): Promise<{ x: number; y: number; zoom: number }> {
	let view = await viewportOf(leader);
	await expect
		.poll(
			async () => {
				view = await viewportOf(leader);
				return sameView(await viewportOf(page), view);
			},
			{ message: 'the participant’s view to follow the facilitator’s' }
		)
		.toBe(true);
	return view;
}

/** Pans the canvas by dragging an empty part of the pane. */
async function pan(page: Page, dx: number, dy: number): Promise<void> {
	const box = (await page.getByTestId('canvas').boundingBox())!;
	// Bottom-left, clear of the grid's cards, the controls and the minimap.
	const x = box.x + box.width * 0.45;
	const y = box.y + box.height - 40;
	await page.mouse.move(x, y);
	await page.mouse.down();
	await page.mouse.move(x + dx, y + dy, { steps: 8 });
	await page.mouse.up();
}

/** Selects a touchpoint through the analysis panel's key-experience link. */
async function selectKeyExperience(page: Page, title: string): Promise<void> {
	await page.getByTestId('tab-analysis').click();
	await page.getByTestId('key-experience').getByRole('button', { name: title, exact: true }).click();
	await expect(page.getByTestId('inspector').getByTestId('touchpoint-title')).toHaveValue(title);
}

const dots = (page: Page, title: string): Locator => card(page, title).getByTestId('dots');

test.beforeAll(async ({ browser }) => {
	facilitator = await signUp(browser, 'facilitator', 'Fiona Facilitator');
	member = await signUp(browser, 'member', 'Paul Participant');
	boardId = await createBoardViaApi(facilitator, 'Branch workshop', { journey: JOURNEY });
	await shareViaApi(facilitator, boardId, member, 'editor');

	// The facilitator makes an editor link on the members page; the guest follows it.
	const page = facilitator.page;
	await page.goto(`/boards/${boardId}/members`);
	await page.getByTestId('link-role').selectOption('editor');
	await page.getByTestId('link-expiry').selectOption('24');
	// A click before the page has hydrated submits the bare form natively (a reload): click until the link shows.
	await expect(async () => {
		await page.getByTestId('link-create').click();
		await expect(page.getByTestId('link-url')).toHaveValue(/\/join\/[a-z0-9]+$/, { timeout: 2_000 });
	}).toPass();
	const url = await page.getByTestId('link-url').inputValue();
	await screenshotAll('workshop-01-members-page', [facilitator]);

	guest = await joinAsGuest(browser, url, 'Gina Guest');
	// The members page lists the guest by name, marked as a guest, without the placeholder address.
	await page.reload();
	const guestRow = page.getByTestId('member-row').filter({ hasText: 'Gina Guest' });
	await expect(guestRow).toContainText('Guest');
	await expect(guestRow).not.toContainText('@');
	await expect(guestRow.getByTestId('member-role')).toHaveValue('editor');
	await expect(page.getByTestId('invite-row').first()).toContainText('1 joined');
	everyone = [facilitator, member, guest];
	participants = [member, guest];
	await openBoard(facilitator, boardId);
	await openBoard(member, boardId);
	for (const person of everyone) await expect(person.page.getByTestId('touchpoint')).toHaveCount(3);
	// The guest is on the board's member list under their name.
	await expect(guest.page.getByTestId('board-title')).toHaveText('Branch workshop');
	await screenshotAll('workshop-02-joined', everyone);
});

test.afterAll(async () => {
	await closeAll(everyone);
	everyone = [];
});

test('lock: the participants become read-only and an attempted edit never reaches the facilitator', async () => {
	for (const person of everyone) await expect(person.page.getByTestId('add-touchpoint')).toBeVisible();

	await facilitator.page.getByTestId('lock').check();
	for (const person of participants) {
		await expect(person.page.getByTestId('add-touchpoint')).toHaveCount(0);
		await expect(person.page.getByTestId('read-only')).toBeVisible();
		await expect(person.page.getByTestId('locked-notice')).toBeVisible();
	}
	await expect(facilitator.page.getByTestId('locked-notice')).toContainText('only owners can edit');
	await expect(facilitator.page.getByTestId('add-touchpoint')).toBeVisible();
	await expect(facilitator.page.getByTestId('read-only')).toHaveCount(0);

	// The guest tries anyway: select a card, press Delete, drag it, rename through the inspector.
	const page = guest.page;
	const before = await flowPosition(card(page, 'Coffee'));
	expect(before).not.toBeNull();
	await card(page, 'Coffee').click();
	await expect(page.getByTestId('inspector').getByTestId('touchpoint-title')).toBeDisabled();
	await page.keyboard.press('Delete');
	const box = (await card(page, 'Coffee').boundingBox())!;
	await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
	await page.mouse.down();
	await page.mouse.move(box.x + box.width / 2 + 160, box.y + box.height / 2 + 60, { steps: 8 });
	await page.mouse.up();
	await expect(card(page, 'Coffee')).toHaveCount(1);
	// Not draggable: the drag pans the view instead, and the card keeps its place on the board.
	expect(await flowPosition(card(page, 'Coffee'))).toEqual(before);
	await screenshotAll('workshop-03-locked', everyone);

	// The facilitator still edits; the participants see it.
	await facilitator.page.getByTestId('add-touchpoint').click();
	// Each fits the whole board (F), so a card beyond their view is drawn too.
	for (const person of everyone) {
		await fitView(person.page);
		await expect(person.page.getByTestId('touchpoint')).toHaveCount(4);
	}
	const journey = await serverJourney(facilitator, boardId);
	expect(journey.touchpoints.map((touchpoint) => touchpoint.title).sort()).toEqual(['Coffee', 'Forms', 'New touchpoint', 'Queue']);
	expect(journey.touchpoints.find((touchpoint) => touchpoint.title === 'Coffee')).toMatchObject({
		x: JOURNEY.touchpoints[2].x,
		y: JOURNEY.touchpoints[2].y
	});

	// Unlocking gives the participants their tools back, and nothing they tried while locked shows up.
	await facilitator.page.getByTestId('lock').uncheck();
	for (const person of participants) {
		await expect(person.page.getByTestId('add-touchpoint')).toBeVisible();
		await expect(person.page.getByTestId('read-only')).toHaveCount(0);
		await expect(person.page.getByTestId('locked-notice')).toHaveCount(0);
	}
	await guest.page.getByTestId('add-touchpoint').click();
	for (const person of everyone) await expect(person.page.getByTestId('touchpoint')).toHaveCount(5);
	const after = await serverJourney(facilitator, boardId);
	expect(after.touchpoints.find((touchpoint) => touchpoint.title === 'Coffee')).toMatchObject({
		x: JOURNEY.touchpoints[2].x,
		y: JOURNEY.touchpoints[2].y
	});
	await expect(card(facilitator.page, 'Coffee')).toHaveCount(1);
	// Tidy up the two new cards for the steps that follow.
	await facilitator.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
	for (let i = 0; i < 2; i++) {
		await card(facilitator.page, 'New touchpoint').first().click();
		await facilitator.page.keyboard.press('Delete');
	}
	for (const person of everyone) await expect(person.page.getByTestId('touchpoint')).toHaveCount(3);
});

test('timer: the countdown the facilitator starts shows for everyone', async () => {
	for (const person of everyone) await expect(person.page.getByTestId('timer')).toHaveCount(0);
	await facilitator.page.getByTestId('timer-minutes').fill('2');
	await facilitator.page.getByTestId('timer-start').click();
	for (const person of everyone) await expect(person.page.getByTestId('timer')).toHaveText(/^\s*(2:00|1:[0-5]\d)\s*$/);
	await screenshotAll('workshop-04-timer', everyone);
	await facilitator.page.getByTestId('timer-stop').click();
	for (const person of everyone) await expect(person.page.getByTestId('timer')).toHaveCount(0);
});

test('follow me: the participants’ views follow the facilitator’s until they stop following', async () => {
	const lead = facilitator.page;
	// Everyone looks somewhere else before the facilitator starts leading.
	await lead.locator('.svelte-flow__controls-zoomin').click();
	await pan(member.page, -120, 50);
	await expect.poll(async () => sameView(await viewportOf(lead), await viewportOf(guest.page))).toBe(false);
	await expect.poll(async () => sameView(await viewportOf(lead), await viewportOf(member.page))).toBe(false);

	// Leading starts from where the facilitator is: the participants come there without a further move.
	await lead.getByTestId('lead').check();
	for (const person of participants) await expect(person.page.getByTestId('toggle-follow')).toHaveText('Stop following');
	for (const person of participants) await expectSameView(person.page, lead);

	await lead.locator('.svelte-flow__controls-zoomin').click();
	await pan(lead, 180, -90);
	const led = await viewportOf(lead);
	for (const person of participants) await expectSameView(person.page, lead);
	await screenshotAll('workshop-05-following', everyone);

	// The member stops following; the guest still follows the next move, the member stays put.
	await member.page.getByTestId('toggle-follow').click();
	await expect(member.page.getByTestId('toggle-follow')).toHaveText('Follow');
	const memberView = await viewportOf(member.page);
	await lead.locator('.svelte-flow__controls-zoomout').click();
	await pan(lead, -240, 40);
	expect(sameView(await viewportOf(lead), led)).toBe(false);
	await expectSameView(guest.page, lead);
	expect(await viewportOf(member.page)).toEqual(memberView);
	await screenshotAll('workshop-06-one-stopped-following', everyone);

	// Following again brings the member back to the facilitator's view.
	await member.page.getByTestId('toggle-follow').click();
	await expect(member.page.getByTestId('toggle-follow')).toHaveText('Stop following');
	await expectSameView(member.page, lead);

	await lead.getByTestId('lead').uncheck();
	for (const person of participants) await expect(person.page.getByTestId('toggle-follow')).toHaveCount(0);
	for (const person of everyone) await fitView(person.page);
});

test('ratings: private until the reveal, then mean and spread for all; the mean can be adopted', async () => {
	await selectKeyExperience(facilitator.page, 'Queue');
	await facilitator.page.getByTestId('rating-start').click();
	for (const person of everyone) await expect(person.page.getByTestId('rating-panel')).toContainText('How did “Queue” feel?');

	await member.page.getByTestId('rate--2').click();
	await guest.page.getByTestId('rate-4').click();
	for (const person of everyone) await expect(person.page.getByTestId('rating-panel')).toContainText('2 rated so far');
	await expect(member.page.getByTestId('rate--2')).toHaveClass(/chosen/);
	await expect(guest.page.getByTestId('rate-4')).toHaveClass(/chosen/);
	// Before the reveal nobody sees anyone else's value.
	for (const person of everyone) {
		await expect(person.page.getByTestId('rating-results')).toHaveCount(0);
		await expect(person.page.getByTestId('rating-panel')).not.toContainText('Gina Guest');
		await expect(person.page.getByTestId('rating-panel')).not.toContainText('Paul Participant');
	}
	await expect(member.page.getByTestId('rate-4')).not.toHaveClass(/chosen/);
	await expect(guest.page.getByTestId('rate--2')).not.toHaveClass(/chosen/);
	await expect(facilitator.page.locator('[data-testid=rating-panel] .chosen')).toHaveCount(0);
	await screenshotAll('workshop-07-rating-private', everyone);

	await facilitator.page.getByTestId('rating-reveal').click();
	for (const person of everyone) {
		await expect(person.page.getByTestId('rating-mean')).toHaveText('+1');
		await expect(person.page.getByTestId('rating-spread')).toHaveText('3');
		// Anonymous by default: the values, lowest first, and no names.
		await expect(person.page.getByTestId('rating-anonymous').locator('strong')).toHaveText(['−2', '+4']);
		await expect(person.page.getByTestId('rating-panel')).not.toContainText('Gina Guest');
	}
	// The facilitator chooses to show names.
	await facilitator.page.getByTestId('rating-names').check();
	for (const person of everyone) {
		await expect(person.page.getByTestId('rating-panel')).toContainText('Gina Guest: +4');
		await expect(person.page.getByTestId('rating-panel')).toContainText('Paul Participant: −2');
	}
	for (const person of participants) await expect(person.page.getByTestId('rating-adopt')).toHaveCount(0);
	await screenshotAll('workshop-08-rating-revealed', everyone);

	await facilitator.page.getByTestId('rating-adopt').click();
	await expect
		.poll(async () => (await serverJourney(facilitator, boardId)).touchpoints.find((touchpoint) => touchpoint.id === 'tp-queue')?.emotion)
		.toBe(1);
	await facilitator.page.getByTestId('rating-end').click();
	for (const person of everyone) await expect(person.page.getByTestId('rating-panel')).toHaveCount(0);
});

test('dot voting: each participant has the budget, and the dots show on the cards for everyone', async () => {
	await facilitator.page.getByTestId('voting-budget').fill('2');
	await facilitator.page.getByTestId('voting-open').click();
	for (const person of everyone) await expect(person.page.getByTestId('voting-notice')).toContainText('2 of 2 dots left');

	await selectKeyExperience(member.page, 'Queue');
	const memberAdd = member.page.getByTestId('vote-add');
	await memberAdd.click();
	await expect(member.page.getByTestId('voting-panel')).toContainText('1 of 2 dots left');
	await memberAdd.click();
	await expect(member.page.getByTestId('voting-panel')).toContainText('0 of 2 dots left');
	await expect(memberAdd).toBeDisabled();

	await selectKeyExperience(guest.page, 'Queue');
	await guest.page.getByTestId('vote-add').click();
	await expect(guest.page.getByTestId('voting-panel')).toContainText('1 of 2 dots left');
	await selectKeyExperience(guest.page, 'Forms');
	await guest.page.getByTestId('vote-add').click();
	await expect(guest.page.getByTestId('voting-panel')).toContainText('0 of 2 dots left');
	await expect(guest.page.getByTestId('vote-add')).toBeDisabled();
	// Another touchpoint does not reopen a spent budget.
	await selectKeyExperience(guest.page, 'Queue');
	await expect(guest.page.getByTestId('vote-add')).toBeDisabled();

	for (const person of everyone) {
		// The whole grid in view: off-screen cards are not rendered.
		await fitView(person.page);
		await expect(dots(person.page, 'Queue')).toHaveText('● 3');
		await expect(dots(person.page, 'Forms')).toHaveText('● 1');
		await expect(dots(person.page, 'Coffee')).toHaveCount(0);
	}
	await screenshotAll('workshop-09-voting', everyone);

	// The server agrees, and refuses a dot past the budget.
	const response = await guest.page.request.post(`/api/boards/${boardId}/votes`, { data: { touchpointId: 'tp-coffee', delta: 1 } });
	expect(response.status()).toBe(409);

	// The facilitator deletes a card the guest voted on: the dot is back in the guest's budget; undone, it counts again.
	await card(facilitator.page, 'Forms').click();
	await facilitator.page.keyboard.press('Delete');
	await expect(card(guest.page, 'Forms')).toHaveCount(0);
	await expect(guest.page.getByTestId('voting-notice')).toContainText('1 of 2 dots left');
	await expect(member.page.getByTestId('voting-notice')).toContainText('0 of 2 dots left');
	await facilitator.page.getByTestId('undo').click();
	await expect(dots(guest.page, 'Forms')).toHaveText('● 1');
	await expect(guest.page.getByTestId('voting-notice')).toContainText('0 of 2 dots left');

	await facilitator.page.getByTestId('voting-close').click();
	for (const person of everyone) await expect(person.page.getByTestId('voting-notice')).toHaveCount(0);
	for (const person of everyone) await expect(dots(person.page, 'Queue')).toHaveText('● 3');
});
