import { expect, test, type Browser } from '@playwright/test';
import { join } from 'node:path';
import {
	closeAll,
	createBoardViaApi,
	SCREENSHOT_DIR,
	selectCard,
	serverJourney,
	shareViaApi,
	signUpViaApi,
	smallJourney,
	type Person
} from './people';

// Issue 16: a rating round run "as a segment" by a facilitator with two participants, one of them
// a guest joined through an invite link. Participants see the segment's name and colour; adopting
// the mean writes that segment's emotion only.

// Three browsers and the server share a machine that other suites may load: generous per-test time.
test.describe.configure({ mode: 'serial', timeout: 180_000 });

const GOLD = '#c2a500';
/** How long a page may take to first sync while other suites load the machine. */
const SYNC_WAIT_MS = 30_000;
/** Three people signing up, a guest joining and three boards opening, on a busy machine. */
const SETUP_TIMEOUT_MS = 180_000;
const JOURNEY = {
	...smallJourney('Segment workshop', [
		{ id: 'tp-queue', title: 'Queue', emotion: -1 },
		{ id: 'tp-counter', title: 'Counter', emotion: 2 }
	]),
	segments: [
		{ id: 'seg-gold', name: 'Gold-card customers', order: 1, color: GOLD },
		{ id: 'seg-regular', name: 'Regular customers', order: 2, color: '#1b7837' }
	]
};

let facilitator: Person;
let member: Person;
let guest: Person;
let everyone: Person[] = [];
let boardId: string;

/** Joins the board as a guest through an invite link made by the facilitator. */
async function joinAsGuest(browser: Browser, name: string): Promise<Person> {
	const invite = await facilitator.page.request.post(`/api/boards/${boardId}/invites`, { data: { role: 'commenter', expiresInHours: 24 } });
	expect(invite.status(), await invite.text()).toBe(201);
	const { url } = (await invite.json()).invite;
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto(url);
	await page.getByTestId('guest-name').fill(name);
	await page.getByTestId('join-as-guest').click();
	await expect(page).toHaveURL(new RegExp(`/boards/${boardId}$`));
	const person = { label: 'guest', name, email: '', context, page };
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'synced', { timeout: SYNC_WAIT_MS });
	return person;
}

/** Opens the board and waits for its first sync; slower than the default wait allows on a busy machine. */
async function openSynced(person: Person): Promise<void> {
	await person.page.goto(`/boards/${boardId}`);
	await expect(person.page.getByTestId('connection-status')).toHaveAttribute('data-status', 'synced', { timeout: SYNC_WAIT_MS });
}

/** Everyone's screen at a size, saved for a person to look at. */
async function screenshots(step: string, width: number, height: number): Promise<void> {
	for (const person of everyone) {
		await person.page.setViewportSize({ width, height });
		await person.page.screenshot({ path: join(SCREENSHOT_DIR, `segment-rating-${step}-${person.label}-${width}.png`) });
	}
}

test.beforeAll(async ({ browser }) => {
	test.setTimeout(SETUP_TIMEOUT_MS);
	facilitator = await signUpViaApi(browser, 'facilitator', 'Fiona Facilitator');
	member = await signUpViaApi(browser, 'member', 'Paul Participant');
	boardId = await createBoardViaApi(facilitator, 'Segment workshop', { journey: JOURNEY });
	await shareViaApi(facilitator, boardId, member, 'commenter');
	guest = await joinAsGuest(browser, 'Gina Guest');
	everyone = [facilitator, member, guest];
	await openSynced(facilitator);
	await openSynced(member);
});
test.afterAll(() => closeAll(everyone));

test('a rating round as the gold-card segment: participants rate how that customer felt, adopting sets that segment’s emotion', async () => {
	const page = facilitator.page;
	await selectCard(page, 'Queue');
	// Participants cannot start a round or pick its segment.
	for (const person of [member, guest]) await expect(person.page.getByTestId('rating-segment')).toHaveCount(0);
	await page.getByTestId('rating-segment').selectOption({ label: 'Gold-card customers' });
	await page.getByTestId('rating-start').click();

	for (const person of everyone) {
		const panel = person.page.getByTestId('rating-panel');
		await expect(panel).toContainText('How did “Queue” feel for Gold-card customers?');
		await expect(person.page.getByTestId('rating-segment-name')).toHaveText('Rating as Gold-card customers');
		// The segment's colour marks the prompt, as the segment's curve is drawn.
		await expect(panel.locator('.swatch')).toHaveCSS('background-color', 'rgb(194, 165, 0)');
	}
	await screenshots('prompt', 1280, 720);
	await screenshots('prompt', 1440, 900);

	await member.page.getByTestId('rate--4').click();
	await guest.page.getByTestId('rate--3').click();
	await expect(member.page.getByTestId('rate--4')).toHaveClass(/chosen/);
	await expect(guest.page.getByTestId('rate--3')).toHaveClass(/chosen/);
	await expect(page.getByTestId('rating-panel')).toContainText('2 rated so far');
	await page.getByTestId('rating-reveal').click();
	for (const person of everyone) await expect(person.page.getByTestId('rating-mean')).toHaveText('−3.5');

	const adopt = page.getByTestId('rating-adopt');
	await expect(adopt).toHaveText('Adopt the mean (−4) as the emotion of Gold-card customers');
	for (const person of [member, guest]) await expect(person.page.getByTestId('rating-adopt')).toHaveCount(0);
	await screenshots('revealed', 1280, 720);
	await adopt.click();

	await expect
		.poll(async () => {
			const queue = (await serverJourney(facilitator, boardId)).touchpoints.find((touchpoint) => touchpoint.id === 'tp-queue');
			return [queue?.emotion, (queue?.bySegment as Record<string, { emotion?: number }> | undefined)?.['seg-gold']?.emotion];
		})
		.toEqual([-1, -4]);

	// The history names the segment and what was adopted, for everyone.
	for (const person of everyone) {
		const history = person.page.getByTestId('round-history');
		await history.locator('summary').click();
		await expect(history.getByTestId('history-round').first()).toContainText('Rating of “Queue” for Gold-card customers');
		await expect(history.getByTestId('history-round').first()).toContainText('adopted −4');
	}
	await screenshots('history', 1280, 720);

	// The gold-card view of the board shows the adopted emotion on the card; all customers keep theirs.
	await member.page.getByTestId('segment-switch').selectOption({ label: 'Gold-card customers' });
	await expect(member.page.getByTestId('touchpoint').filter({ hasText: 'Queue' })).toContainText(/[−-]4/);
	await member.page.getByTestId('segment-switch').selectOption({ label: 'All customers' });
	await expect(member.page.getByTestId('touchpoint').filter({ hasText: 'Queue' })).toContainText(/[−-]1/);

	await page.getByTestId('rating-end').click();
	for (const person of everyone) await expect(person.page.getByTestId('rating-panel')).toHaveCount(0);

	// The summary lists the round under the segment's name.
	await page.goto(`/boards/${boardId}/summary`);
	await expect(page.getByTestId('summary-ratings')).toContainText('Queue');
	await expect(page.getByTestId('summary-rating-segment')).toHaveText('for Gold-card customers');
});
