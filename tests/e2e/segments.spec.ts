import { expect, test, type Page } from '@playwright/test';
import {
	card,
	closeAll,
	createBoardViaApi,
	expectSynced,
	fitView,
	screenshotPage,
	selectCard,
	serverJourney,
	shareViaApi,
	signUpViaApi,
	type Person
} from './people';

// Issue 16: customer segments on the bank-branch board — the overlay of every segment's curve, the
// gold-card paradox in words, the switcher, two people editing different segments of one card, and
// the executive summary in English and Chinese.

let people: Person[] = [];

test.afterEach(async () => {
	await closeAll(people);
	people = [];
});

async function openSegments(page: Page, boardId: string): Promise<void> {
	await page.goto(`/boards/${boardId}`);
	await expectSynced(page);
	await page.getByTestId('tab-segments').click();
	await expect(page.getByTestId('segment-panel')).toBeVisible();
}

test('segments on the bank-branch board: overlay, paradox, switcher, concurrent edits, management, summary', async ({ browser }) => {
	test.setTimeout(240_000);
	const owner = await signUpViaApi(browser, 'owner', 'Olivia Owner', { viewport: { width: 1280, height: 720 } });
	const editor = await signUpViaApi(browser, 'editor', 'Eddie Editor', { viewport: { width: 1280, height: 720 } });
	people = [owner, editor];
	const boardId = await createBoardViaApi(owner, 'Branch visit by segment', 'bank-branch');
	await shareViaApi(owner, boardId, editor, 'editor');
	const { page } = owner;

	await test.step('the overlay draws one curve per segment, and the paradox is said in a sentence', async () => {
		await openSegments(page, boardId);
		await expect(page.getByTestId('segment-row')).toHaveCount(3);
		await expect(page.getByTestId('segment-curve')).toHaveCount(3);
		await expect(page.getByTestId('segment-paradox').first()).toHaveText(
			'Gold-card customers are better served at Queueing and waiting than Regular customers (7 vs 4) but less satisfied (−2 vs 0): their expectation is higher.'
		);
		await expect(page.getByTestId('segment-figures').first()).toContainText('VIP customers');
		await screenshotPage(page, 'segments-01-overlay-1280x720');
		await page.setViewportSize({ width: 1440, height: 900 });
		await screenshotPage(page, 'segments-02-overlay-1440x900');
		await page.setViewportSize({ width: 1280, height: 720 });
	});

	await test.step('the cards and the peak follow the chosen segment', async () => {
		await fitView(page);
		await expect(card(page, 'Welcome').getByTestId('peak-flag')).toBeVisible();
		await page.getByTestId('segment-switch').selectOption({ label: 'Gold-card customers' });
		await expect(card(page, 'Queueing and waiting').getByTestId('peak-flag')).toBeVisible();
		await expect(card(page, 'Welcome').getByTestId('peak-flag')).toHaveCount(0);
		await page.getByTestId('tab-analysis').click();
		await expect(page.getByTestId('analysis-segment')).toHaveText('Shown for: Gold-card customers');
		await page.getByTestId('segment-switch').selectOption({ label: 'VIP customers' });
		await expect(card(page, 'Seeing and being seen').getByTestId('peak-flag')).toBeVisible();
		await page.getByTestId('segment-switch').selectOption({ label: 'All customers' });
		await expect(card(page, 'Welcome').getByTestId('peak-flag')).toBeVisible();
	});

	await test.step('two people set different segments’ values of one card at once, and both are kept', async () => {
		await editor.page.goto(`/boards/${boardId}`);
		await expectSynced(editor.page);
		await fitView(editor.page);
		await selectCard(page, 'Queueing and waiting');
		await selectCard(editor.page, 'Queueing and waiting');
		const mine = page.getByTestId('segment-value-seg-vip-importance');
		const theirs = editor.page.getByTestId('segment-value-seg-regular-importance');
		// Inherited: empty, greyed, the touchpoint's value shown.
		await expect(mine).toHaveValue('');
		await expect(mine).toHaveAttribute('placeholder', '9');
		await expect(mine).toHaveAttribute('title', 'inherits 9');
		await mine.fill('10');
		await theirs.fill('6');
		await Promise.all([mine.press('Enter'), theirs.press('Enter')]);
		await expect(editor.page.getByTestId('segment-value-seg-vip-importance')).toHaveValue('10');
		await expect(page.getByTestId('segment-value-seg-regular-importance')).toHaveValue('6');
		await expect
			.poll(async () => (await serverJourney(owner, boardId)).touchpoints.find((touchpoint) => touchpoint.id === 't8'))
			.toMatchObject({ bySegment: { 'seg-vip': { importance: 10 }, 'seg-regular': { importance: 6 } } });
		await screenshotPage(page, 'segments-03-inspector-1280x720');
	});

	await test.step('a segment is added, renamed and deleted (after confirming), taking its values with it', async () => {
		await page.getByTestId('tab-segments').click();
		await page.getByTestId('segment-add').click();
		await expect(page.getByTestId('segment-row')).toHaveCount(4);
		const added = page.getByTestId('segment-row').nth(3);
		await added.getByTestId('segment-name').fill('Small businesses');
		await added.getByTestId('segment-name').press('Enter');
		await expect(editor.page.getByTestId('segment-switch').locator('option', { hasText: 'Small businesses' })).toHaveCount(1);
		page.once('dialog', (dialog) => void dialog.accept());
		await page.getByTestId('segment-row').first().getByTestId('segment-delete').click();
		await expect(page.getByTestId('segment-row')).toHaveCount(3);
		await expect
			.poll(async () => {
				const journey = await serverJourney(owner, boardId);
				return JSON.stringify(journey).includes('seg-vip');
			})
			.toBe(false);
	});

	await test.step('the executive summary shows each segment, in English and Chinese', async () => {
		await page.goto(`/boards/${boardId}/summary`);
		const section = page.getByTestId('summary-segments');
		await expect(section.getByTestId('segment-curve')).toHaveCount(3);
		await expect(section.getByTestId('segment-paradox').first()).toContainText('Gold-card customers are better served at');
		await screenshotPage(page, 'segments-04-summary-en-1280x720', true);
		await page.getByTestId('language').selectOption('zh-CN');
		await expect(section.getByTestId('segment-figures').first()).toContainText('记忆得分');
		await expect(section.getByTestId('segment-paradox').first()).toContainText('满意度却更低（−2 对 0）');
		await page.setViewportSize({ width: 1440, height: 900 });
		await screenshotPage(page, 'segments-05-summary-zh-1440x900', true);
	});
});
