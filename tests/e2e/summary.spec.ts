import { expect, test } from '@playwright/test';
import { closeAll, createBoardViaApi, expectSynced, postComment, screenshotPage, shareViaApi, signUpViaApi, type Person } from './people';

// Issue 4: an executive (a viewer) reads the summary of an annotated board: the key experience
// to fix first, the remembered score beside the plain average, the curve and the open comments.

let people: Person[] = [];

test.afterEach(async () => {
	await closeAll(people);
	people = [];
});

test('an executive reads the bank-branch summary, in English and Chinese, on a laptop and a tablet', async ({ browser }) => {
	const owner = await signUpViaApi(browser, 'owner', 'Olivia Owner');
	const executive = await signUpViaApi(browser, 'executive', 'Erin Executive');
	people = [owner, executive];
	const boardId = await createBoardViaApi(owner, 'Gold-card branch visit', 'bank-branch');
	await shareViaApi(owner, boardId, executive, 'viewer');
	// Open discussion the summary should carry (t8 is "Queueing and waiting" in the template),
	// and a resolved thread it should leave out.
	await postComment(owner, boardId, { body: 'A second gold-card window would halve the wait. Budget for Q3?', touchpointId: 't8' });
	const settled = await postComment(owner, boardId, { body: 'Check the opening hours survey.', touchpointId: 't2' });
	expect((await owner.page.request.patch(`/api/boards/${boardId}/comments/${settled}`, { data: { resolved: true } })).status()).toBe(200);
	const { page } = executive;

	await test.step('the executive goes from the board to its summary', async () => {
		await page.goto('/boards');
		await page.locator(`[data-testid=board-list] a[href="/boards/${boardId}"]`).click();
		await expectSynced(page);
		await expect(page.getByTestId('read-only')).toContainText('Viewer');
		await page.getByTestId('summary-link').click();
		await expect(page).toHaveURL(new RegExp(`/boards/${boardId}/summary$`));
		await expect(page.getByTestId('summary')).toBeVisible();
	});

	await test.step('the worst key experience comes first, and the remembered score sits beside the average', async () => {
		const rows = page.getByTestId('summary-key-row');
		await expect(rows.first()).toContainText('Queueing and waiting');
		await expect(rows.first().locator('td.worst')).toHaveText('−36');
		await expect(rows.nth(1)).toContainText('Fees');
		await expect(rows.nth(1).locator('td.worst')).toHaveText('−28');

		const remembered = page.getByTestId('summary-remembered');
		const average = page.getByTestId('summary-average');
		await expect(remembered).toContainText('+3.5');
		await expect(average).toContainText('+0.6');
		const [left, right] = [await remembered.boundingBox(), await average.boundingBox()];
		expect(left && right).toBeTruthy();
		// Side by side: the same row, the average just right of the remembered score.
		expect(Math.abs(left!.y - right!.y)).toBeLessThan(4);
		expect(right!.x).toBeGreaterThan(left!.x + left!.width - 1);

		await expect(page.getByTestId('summary-curve')).toBeVisible();
		await expect(page.getByTestId('summary-curve').locator('circle')).toHaveCount(15);
		const comments = page.getByTestId('summary-comments');
		await expect(comments).toContainText('A second gold-card window would halve the wait. Budget for Q3?');
		await expect(comments).toContainText('Queueing and waiting · Olivia Owner');
		await expect(comments).not.toContainText('Check the opening hours survey.');
		await screenshotPage(page, 'summary-01-en-1280', true);
	});

	await test.step('on a tablet (820 wide) nothing spills sideways', async () => {
		await page.setViewportSize({ width: 820, height: 1180 });
		await expect(page.getByTestId('summary-key-row').first()).toContainText('Queueing and waiting');
		// The page itself does not scroll sideways (a wide table may scroll inside its own box).
		expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
		const summary = await page.getByTestId('summary').boundingBox();
		expect(summary!.x + summary!.width).toBeLessThanOrEqual(820);
		// Every column of the key-experience table is in view, the evidence column included
		// (a hidden horizontal scroll is easy to miss on a touch screen).
		const table = page.getByTestId('summary-key-experiences');
		expect(await table.evaluate((element) => element.scrollWidth <= element.parentElement!.clientWidth)).toBe(true);
		await table.scrollIntoViewIfNeeded();
		await expect(table.locator('th').last()).toBeInViewport({ ratio: 0.99 });
		await screenshotPage(page, 'summary-02-en-820', true);
	});

	await test.step('in Chinese', async () => {
		await page.setViewportSize({ width: 1280, height: 800 });
		await page.getByTestId('language').selectOption('zh-CN');
		await expect(page.getByText('管理层摘要')).toBeVisible();
		await expect(page.getByTestId('summary-remembered')).toContainText('记忆得分');
		await expect(page.getByTestId('summary-average')).toContainText('简单平均');
		await expect(page.getByTestId('summary-key-row').first().locator('td.worst')).toHaveText('−36');
		await screenshotPage(page, 'summary-03-zh-1280', true);
		await page.setViewportSize({ width: 820, height: 1180 });
		await screenshotPage(page, 'summary-04-zh-820', true);
	});

	await test.step('the executive cannot comment on the board', async () => {
		await page.setViewportSize({ width: 1280, height: 800 });
		await page.getByTestId('language').selectOption('en');
		await page.goto(`/boards/${boardId}`);
		await expectSynced(page);
		await page.getByTestId('tab-comments').click();
		const panel = page.getByTestId('comments-panel');
		await expect(panel).toContainText('A second gold-card window would halve the wait. Budget for Q3?');
		await expect(panel).toContainText('Viewers can read comments');
		await expect(page.getByTestId('comment-input')).toHaveCount(0);
		await expect(panel.getByTestId('comment-resolve')).toHaveCount(0);
		const refused = await page.request.post(`/api/boards/${boardId}/comments`, { data: { body: 'Approved.', mentions: [] } });
		expect(refused.status()).toBe(403);
	});
});

test('the summary lists actions by department, flags overdue ones and done ones customers were not told of', async ({ browser }) => {
	const owner = await signUpViaApi(browser, 'owner', 'Olivia Owner');
	people = [owner];
	const template = await createBoardViaApi(owner, 'Branch visit', 'bank-branch');
	const journey = await (await owner.page.request.get(`/api/boards/${template}/journey`)).json();
	journey.actions = [
		{
			id: 'a-kiosk',
			title: 'Ticket kiosk with SMS callback',
			touchpointIds: ['t8'],
			owner: 'Branch operations',
			status: 'in-progress',
			impact: 5,
			effort: 3,
			due: '2020-01-31'
		},
		{
			id: 'a-fees',
			title: 'Fee schedule at the door',
			touchpointIds: ['t13'],
			owner: 'Product',
			status: 'done',
			impact: 4,
			effort: 1,
			due: '2020-02-28'
		}
	];
	const boardId = await createBoardViaApi(owner, 'Branch visit with actions', { journey });
	const { page } = owner;
	await page.setViewportSize({ width: 1280, height: 720 });
	await page.goto(`/boards/${boardId}/summary`);
	const actions = page.getByTestId('summary-actions');
	await expect(actions.locator('h3')).toHaveText(['Branch operations', 'Product']);
	const [kiosk, fees] = [actions.getByTestId('summary-action').nth(0), actions.getByTestId('summary-action').nth(1)];
	await expect(kiosk).toContainText('In progress · due 2020-01-31 · Queueing and waiting');
	await expect(kiosk.getByTestId('action-overdue')).toBeVisible();
	await expect(fees.getByTestId('action-overdue')).toHaveCount(0);
	await expect(fees.getByTestId('action-not-told')).toBeVisible();
	await actions.scrollIntoViewIfNeeded();
	await screenshotPage(page, 'summary-05-actions-1280');
});
