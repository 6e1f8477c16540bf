import { expect, test, type Page } from '@playwright/test';
import { pdfPages } from '../support/pdf-text';
import {
	closeAll,
	createBoardViaApi,
	openBoard,
	screenshotPage,
	selectCard,
	shareViaApi,
	signUpViaApi,
	smallJourney,
	type Person
} from './people';

// Issue 13, voting and ratings: a facilitator and two participants vote, the facilitator shows the
// ranked results to everyone, starts a new round, and the previous round stays in the workshop
// history, the summary and the PDF.

test.describe.configure({ mode: 'serial' });

const JOURNEY = smallJourney('Branch vote', [
	{ id: 'tp-queue', title: 'Queue', emotion: -2 },
	{ id: 'tp-forms', title: 'Forms', emotion: -1 },
	{ id: 'tp-coffee', title: 'Coffee', emotion: 3 }
]);

let facilitator: Person;
let alice: Person;
let bob: Person;
let everyone: Person[] = [];
let boardId: string;

/** The rows of the ranked results as "rank title dots", e.g. "=2 Forms tie 1 dot". */
async function rankedRows(page: Page): Promise<string[]> {
	const rows = page.getByTestId('vote-results').getByTestId('vote-rank-row');
	return (await rows.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
}

async function giveDot(person: Person, title: string): Promise<void> {
	await selectCard(person.page, title);
	const before = await person.page.getByTestId('voting-panel').locator('h3').innerText();
	await person.page.getByTestId('vote-add').click();
	await expect(person.page.getByTestId('voting-panel').locator('h3')).not.toHaveText(before);
}

/** Screenshots of a page at the two window sizes a workshop room and a laptop use. */
async function screenshotBoth(page: Page, name: string, whole = false): Promise<void> {
	for (const size of [
		{ width: 1280, height: 720 },
		{ width: 1440, height: 900 }
	]) {
		await page.setViewportSize(size);
		await screenshotPage(page, `${name}-${size.width}x${size.height}`, whole);
	}
}

test.beforeAll(async ({ browser }) => {
	facilitator = await signUpViaApi(browser, 'facilitator', 'Fiona Facilitator');
	alice = await signUpViaApi(browser, 'alice', 'Alice Able');
	bob = await signUpViaApi(browser, 'bob', 'Bob Baker');
	everyone = [facilitator, alice, bob];
	boardId = await createBoardViaApi(facilitator, 'Branch vote', { journey: JOURNEY });
	await shareViaApi(facilitator, boardId, alice, 'editor');
	await shareViaApi(facilitator, boardId, bob, 'commenter');
	for (const person of everyone) await openBoard(person, boardId);
});
test.afterAll(() => closeAll(everyone));

test('participants vote; the facilitator shows the ranked results to everyone, ties marked', async () => {
	await facilitator.page.getByTestId('voting-budget').fill('2');
	await facilitator.page.getByTestId('voting-open').click();
	for (const person of [alice, bob]) await expect(person.page.getByTestId('voting-panel')).toContainText('2 of 2 dots left');

	await giveDot(alice, 'Queue');
	await giveDot(alice, 'Queue');
	await giveDot(bob, 'Forms');
	await giveDot(bob, 'Coffee');
	await expect(alice.page.getByTestId('voting-panel')).toContainText('0 of 2 dots left');

	// The facilitator previews the results; participants do not see them yet. Ties keep journey order
	// (Coffee is in the first stage, Forms in the second).
	await expect.poll(() => rankedRows(facilitator.page)).toEqual(['1 Queue 2 dots', '=2 Coffee tie 1 dot', '=2 Forms tie 1 dot']);
	for (const person of [alice, bob]) await expect(person.page.getByTestId('vote-results')).toHaveCount(0);

	await facilitator.page.getByTestId('voting-close').click();
	await facilitator.page.getByTestId('results-show').check();
	for (const person of [alice, bob]) {
		await expect(person.page.getByTestId('vote-results')).toBeVisible();
		await expect.poll(() => rankedRows(person.page)).toEqual(['1 Queue 2 dots', '=2 Coffee tie 1 dot', '=2 Forms tie 1 dot']);
		await expect(person.page.getByTestId('vote-results').getByLabel('tied at rank 2')).toHaveCount(2);
	}
	await screenshotBoth(alice.page, 'voting-results-participant');
	await screenshotBoth(facilitator.page, 'voting-results-facilitator');
});

test('a new round starts hidden and empty; the previous round is in the history', async () => {
	await facilitator.page.getByTestId('voting-open').click();
	for (const person of [alice, bob]) {
		await expect(person.page.getByTestId('vote-results')).toHaveCount(0);
		await expect(person.page.getByTestId('voting-panel')).toContainText('2 of 2 dots left');
	}
	await giveDot(bob, 'Coffee');
	await facilitator.page.getByTestId('voting-close').click();

	for (const person of everyone) {
		const history = person.page.getByTestId('round-history');
		await expect(history).toContainText('Workshop history (2)');
		await history.locator('summary').click();
		const votes = history.getByTestId('history-round');
		await expect(votes).toHaveCount(2);
		await expect(votes.nth(0)).toContainText('1 dot from 1 person');
		await expect(votes.nth(1)).toContainText('4 dots from 2 people');
		await expect(votes.nth(1).getByTestId('vote-rank-row').first()).toContainText('Queue');
	}
	await screenshotBoth(alice.page, 'voting-history');
});

test('the summary and the PDF show the last vote with its date, and the version they were made from', async () => {
	const saved = await facilitator.page.request.post(`/api/boards/${boardId}/versions`, { data: { name: 'After the vote' } });
	expect(saved.status()).toBe(201);

	const page = alice.page;
	await page.goto(`/boards/${boardId}/summary`);
	const voting = page.getByTestId('summary-voting');
	await expect(voting.getByTestId('summary-vote-date')).toContainText('1 dot from 1 person');
	await expect(voting.getByTestId('vote-rank-row')).toHaveCount(1);
	await expect(voting.getByTestId('vote-rank-row')).toContainText('Coffee');
	await expect(page.getByTestId('summary-provenance')).toContainText('latest saved version “After the vote”');
	await expect(page.getByTestId('summary-evidence')).toContainText('0 evidence items');
	await screenshotBoth(page, 'voting-summary', true);

	const pdf = await page.request.get(`/api/boards/${boardId}/export/pdf`);
	expect(pdf.status()).toBe(200);
	const text = (await pdfPages(await pdf.body(), { spaced: true })).join(' ').replace(/\s+/g, ' ');
	expect(text).toContain('from the current state');
	expect(text).toContain('latest saved version “After the vote”');
	expect(text).toMatch(/Dot voting of \w+ \d+, \d{4}/);
	expect(text).toMatch(/1 Coffee .*1 dot/);
});
