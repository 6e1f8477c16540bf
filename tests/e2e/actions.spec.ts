import { expect, test, type Page } from '@playwright/test';
import {
	card,
	closeAll,
	createBoardViaApi,
	expectSynced,
	fitView,
	screenshotPage,
	serverJourney,
	shareViaApi,
	signUpViaApi,
	smallJourney,
	type Person
} from './people';

// Issue 17: closing the loop. An editor plans an action from the warning "No action planned for
// Queueing", sets who does it and by when, places it on the impact × effort matrix by dragging and
// with the keyboard; the card shows its action; the assignee finds it on "My work" and the boards
// list, in English and Chinese.

const JOURNEY = smallJourney('Branch visit', [
	{ id: 'tp-queue', title: 'Queueing', emotion: -4, expectation: 8, experience: 3, importance: 6, owner: 'Branch staff' } as never,
	{ id: 'tp-coffee', title: 'Coffee', kind: 'positive-peak', emotion: 4 },
	{ id: 'tp-forms', title: 'Forms', kind: 'negative-peak', emotion: -2, expectation: 6, experience: 5, importance: 3 } as never
]);

let people: Person[] = [];

test.afterEach(async () => {
	await closeAll(people);
	people = [];
});

/** The action's impact and effort as the server has them. */
async function serverAction(
	person: Person,
	boardId: string
): Promise<{ impact: number; effort: number; assigneeId?: string; due?: string; status: string }> {
	const journey = (await serverJourney(person, boardId)) as unknown as { actions: { impact: number; effort: number; status: string }[] };
	return journey.actions[0];
}

/** Drags a matrix chip to the centre of the cell for `impact` and `effort`. */
async function dragToCell(page: Page, impact: number, effort: number): Promise<void> {
	const chip = page.getByTestId('matrix-action').first();
	await chip.scrollIntoViewIfNeeded();
	const grid = page.locator('[data-testid=action-matrix] .grid');
	const box = (await grid.boundingBox())!;
	const from = (await chip.boundingBox())!;
	await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
	await page.mouse.down();
	const x = box.x + ((effort - 0.5) / 5) * box.width;
	const y = box.y + ((5 - impact + 0.5) / 5) * box.height;
	await page.mouse.move(x, y, { steps: 8 });
	await page.mouse.up();
}

test('plan an action from a warning, set it, place it on the matrix, and find it on My work', async ({ browser }) => {
	test.setTimeout(240_000);
	const owner = await signUpViaApi(browser, 'owner', 'Olga Owner', { viewport: { width: 1280, height: 720 } });
	const dana = await signUpViaApi(browser, 'dana', 'Dana Doer', { viewport: { width: 1280, height: 720 } });
	people = [owner, dana];
	const boardId = await createBoardViaApi(owner, 'Branch visit', { journey: JOURNEY });
	await shareViaApi(owner, boardId, dana, 'editor');
	const { page } = owner;
	await page.goto(`/boards/${boardId}`);
	await expectSynced(page);

	await test.step('the analysis warns that no action is planned for Queueing and Forms', async () => {
		await page.getByTestId('tab-analysis').click();
		await expect(page.getByTestId('unplanned-warning')).toHaveText(['No action planned for “Queueing”', 'No action planned for “Forms”']);
	});

	await test.step('planning one from the warning links the card and opens it in the Actions tab', async () => {
		await page.getByRole('button', { name: 'Plan an action for “Queueing”' }).first().click();
		await expect(page.getByTestId('actions-panel')).toBeVisible();
		const editor = page.getByTestId('action-editor');
		await expect(editor.getByTestId('action-title')).toHaveValue('Improve “Queueing”');
		await expect(editor.getByTestId('action-owner')).toHaveValue('Branch staff');
		await expect(editor.getByTestId('action-touchpoints')).toHaveText(/Queueing/);
		await editor.getByTestId('action-title').fill('Open a second counter at lunchtime');
		await editor.getByTestId('action-title').press('Tab');
		await editor.getByTestId('action-assignee').selectOption({ label: 'Dana Doer' });
		await editor.getByTestId('action-status').selectOption('planned');
		await editor.getByTestId('action-due').fill('2020-03-31');
		await editor.getByTestId('action-due').press('Tab');
		await expect.poll(async () => (await serverAction(owner, boardId))?.due).toBe('2020-03-31');
		const stored = await serverAction(owner, boardId);
		expect(stored).toMatchObject({ status: 'planned', impact: 3, effort: 3 });
		await page.getByTestId('tab-analysis').click();
		await expect(page.getByTestId('unplanned-warning')).toHaveText(['No action planned for “Forms”']);
		await fitView(page);
		await expect(card(page, 'Queueing').getByTestId('action-badge')).toHaveText('0/1');
	});

	await test.step('dragging the action on the matrix sets impact and effort; so do the arrow keys', async () => {
		await page.getByTestId('tab-actions').click();
		await dragToCell(page, 5, 1);
		await expect.poll(async () => serverAction(owner, boardId).then(({ impact, effort }) => [impact, effort])).toEqual([5, 1]);
		await expect(page.getByTestId('matrix-action').first()).toHaveAttribute('data-impact', '5');
		await page.getByTestId('matrix-action').first().focus();
		await page.keyboard.press('ArrowRight');
		await page.keyboard.press('ArrowDown');
		await expect.poll(async () => serverAction(owner, boardId).then(({ impact, effort }) => [impact, effort])).toEqual([4, 2]);
		await expect(page.getByTestId('matrix-action').first()).toHaveAttribute('data-effort', '2');
		await screenshotPage(page, 'actions-01-panel-1280x720');
		await page.setViewportSize({ width: 1440, height: 900 });
		await screenshotPage(page, 'actions-02-panel-1440x900');
	});

	await test.step('a card’s inspector lists its actions and plans another', async () => {
		// With the Actions tab open, selecting a card keeps it open, to link that card; its details are a tab away.
		await card(page, 'Forms').click();
		await expect(page.getByTestId('actions-panel')).toBeVisible();
		await page.getByTestId('tab-touchpoint').click();
		await expect(page.getByTestId('card-actions')).toBeVisible();
		await page.getByTestId('card-plan-action').click();
		await expect(page.getByTestId('action-row')).toHaveCount(2);
		await expect(page.getByTestId('action-editor').getByTestId('action-touchpoints')).toHaveText(/Forms/);
	});

	await test.step('the assignee finds the action on My work, overdue, and on the boards list', async () => {
		await dana.page.goto('/boards');
		await expect(dana.page.getByTestId('board-waiting')).toHaveText('1 action waits on you');
		await dana.page.getByTestId('nav-work').click();
		await expect(dana.page).toHaveURL(/\/me\/work$/);
		await expect(dana.page.getByTestId('work-item')).toHaveCount(1);
		await expect(dana.page.getByTestId('work-item')).toContainText('Open a second counter at lunchtime');
		await expect(dana.page.getByTestId('work-item')).toContainText('overdue');
		await dana.page.getByTestId('work-departments').fill('Branch staff, Risk');
		await dana.page.getByTestId('work-save').click();
		await expect(dana.page.getByRole('status')).toHaveText('Saved.');
		await dana.page.reload();
		await expect(dana.page.getByTestId('work-departments')).toHaveValue('Branch staff, Risk');
		await screenshotPage(dana.page, 'actions-03-my-work-1280x720');
		await dana.page.setViewportSize({ width: 1440, height: 900 });
		await screenshotPage(dana.page, 'actions-04-my-work-1440x900');
	});
});

test('the Actions tab and My work in Chinese', async ({ browser }) => {
	test.setTimeout(180_000);
	const li = await signUpViaApi(browser, 'li', '李雷', { locale: 'zh-CN', viewport: { width: 1280, height: 720 } });
	people = [li];
	const boardId = await createBoardViaApi(li, '网点到访', { journey: JOURNEY });
	const { page } = li;
	await page.goto(`/boards/${boardId}`);
	await expectSynced(page);
	await page.getByTestId('tab-analysis').click();
	await expect(page.getByTestId('unplanned-warning').first()).toHaveText('“Queueing”尚无行动计划');
	await page.getByTestId('plan-action').first().click();
	const editor = page.getByTestId('action-editor');
	await editor.getByTestId('action-title').fill('午间加开一个窗口');
	await editor.getByTestId('action-title').press('Tab');
	const me = await page.request.get('/api/me');
	await editor.getByTestId('action-assignee').selectOption((await me.json()).user.id);
	await editor.getByTestId('action-due').fill('2099-01-31');
	await editor.getByTestId('action-due').press('Tab');
	await expect(page.getByTestId('action-matrix')).toContainText('影响 × 投入');
	await screenshotPage(page, 'actions-05-panel-zh-1280x720');
	await page.setViewportSize({ width: 1440, height: 900 });
	await screenshotPage(page, 'actions-06-panel-zh-1440x900');
	await page.goto('/me/work');
	await expect(page.getByTestId('work-item')).toContainText('午间加开一个窗口');
	await expect(page.locator('h1')).toHaveText('我的工作');
	await screenshotPage(page, 'actions-07-my-work-zh-1440x900');
	await page.setViewportSize({ width: 1280, height: 720 });
	await screenshotPage(page, 'actions-08-my-work-zh-1280x720');
});
