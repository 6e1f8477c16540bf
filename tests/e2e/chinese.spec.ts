import { expect, test, type Page } from '@playwright/test';
import {
	cardTitles,
	closeAll,
	createBoard,
	expectSynced,
	fitView,
	laneNames,
	openBoard,
	screenshotPage,
	selectCard,
	signUp,
	stageNames,
	type Person
} from './people';

// The Chinese interface all the way: boards made from every template, the canvas's own controls,
// and the versions page with its system-made names and compared fields.

let people: Person[] = [];
test.afterEach(async () => {
	await closeAll(people);
	people = [];
});

const HAN = /\p{Script=Han}/u;

/** Screenshots of the page at the two sizes a workshop room and a laptop show. */
async function screenshotBothSizes(page: Page, name: string): Promise<void> {
	for (const size of [
		{ width: 1280, height: 720 },
		{ width: 1440, height: 900 }
	]) {
		await page.setViewportSize(size);
		// The shipped Chinese font may still be on its way on a machine without one of its own.
		await page.evaluate(async () => {
			await document.fonts.ready;
		});
		await screenshotPage(page, `${name}-${size.width}x${size.height}`);
	}
}

test('a board from each template, made in the Chinese interface, is Chinese on the canvas', async ({ browser }) => {
	test.setTimeout(180_000);
	const li = await signUp(browser, 'li', '李雷', { locale: 'zh-CN' });
	people = [li];
	const { page } = li;

	await test.step('blank', async () => {
		await createBoard(li, '空白看板', 'blank');
		await expectSynced(page);
		await expect.poll(() => stageNames(page)).toEqual(['阶段 1']);
		await expect.poll(() => laneNames(page)).toEqual(['接触点']);
	});

	await test.step('lifecycle', async () => {
		await page.goto('/boards');
		await createBoard(li, '生命周期', 'lifecycle');
		await expectSynced(page);
		await expect.poll(() => stageNames(page)).toEqual(['购买体验', '使用体验', '服务体验']);
		await expect.poll(() => laneNames(page)).toEqual(['客户行为', '接触点', '渠道', '后台', '备注']);
	});

	await test.step('bank branch: every stage, lane and card in Chinese', async () => {
		await page.goto('/boards');
		await createBoard(li, '网点到访', 'bank-branch');
		await expectSynced(page);
		await expect.poll(() => stageNames(page)).toEqual(['到访前', '到达', '等候', '办理业务', '离开']);
		await expect.poll(() => laneNames(page)).toEqual(['接触点', '客户行为', '后台']);
		await fitView(page);
		await expect(page.getByTestId('touchpoint')).toHaveCount(15);
		const titles = await cardTitles(page);
		expect(titles).toContain('排队/等候');
		expect(titles.filter((title) => !HAN.test(title))).toEqual([]);
		await expect(page.getByTestId('touchpoint').filter({ hasText: '排队/等候' })).toContainText('网点运营部');
		await screenshotBothSizes(page, 'chinese-01-bank-branch-board');
	});

	await test.step("the canvas's own controls, minimap and links speak Chinese", async () => {
		const controls = page.locator('.svelte-flow__controls');
		await expect(controls).toHaveAttribute('aria-label', '画布控件');
		await expect(page.locator('.svelte-flow__controls-zoomin')).toHaveAttribute('aria-label', '放大');
		await expect(page.locator('.svelte-flow__controls-zoomin')).toHaveAttribute('title', '放大');
		await expect(page.locator('.svelte-flow__controls-zoomout')).toHaveAttribute('aria-label', '缩小');
		await expect(page.locator('.svelte-flow__controls-fitview')).toHaveAttribute('title', '缩放以显示整个旅程');
		await expect(page.getByTestId('svelte-flow__minimap').locator('svg')).toHaveAttribute('aria-label', '看板缩略图');
		await expect(page.locator('.svelte-flow__edge').first()).toHaveAttribute('aria-label', /^从“.+”到“.+”的连线$/);
		await expect(page.locator('.svelte-flow__edge').first()).toHaveAttribute('aria-roledescription', '连线');
		await expect(page.locator('.svelte-flow__node-touchpoint').first()).toHaveAttribute('aria-roledescription', '卡片');
		const roles = await page
			.locator('.svelte-flow [aria-roledescription]')
			.evaluateAll((elements) => elements.map((element) => element.getAttribute('aria-roledescription')));
		expect(roles.filter((role) => !/^[\u4e00-\u9fff]+$/.test(role ?? ''))).toEqual([]);
		const english = await page
			.locator('[aria-label], [title]')
			.evaluateAll((elements) =>
				elements
					.flatMap((element) => [element.getAttribute('aria-label'), element.getAttribute('title')])
					.filter((text) => !!text && /Zoom|Fit View|Mini Map|Interactivity|Edge from|Control Panel/.test(text))
			);
		expect(english).toEqual([]);
	});
});

test('the versions page in Chinese: system-made names and compared fields', async ({ browser }) => {
	test.setTimeout(180_000);
	const li = await signUp(browser, 'li', '李雷', { locale: 'zh-CN' });
	people = [li];
	const { page } = li;
	// The interface sends its language with each request; so does this one.
	const created = await page.request.post('/api/boards', {
		data: { title: '网点到访', template: 'bank-branch' },
		headers: { 'Accept-Language': 'zh-CN' }
	});
	expect(created.status()).toBe(201);
	const boardId: string = (await created.json()).id;
	const saved = await page.request.post(`/api/boards/${boardId}/versions`, { data: { name: '工作坊开始' } });
	expect(saved.status()).toBe(201);

	await test.step('an edit on the board', async () => {
		await openBoard(li, boardId);
		await selectCard(page, '位置');
		await page.getByTestId('inspector').getByTestId('touchpoint-title').fill('网点位置');
		await expect
			.poll(async () => (await page.request.get(`/api/boards/${boardId}/journey`)).json().then((journey) => journey.touchpoints[0].title))
			.toBe('网点位置');
	});

	await test.step('the day’s automatic version and the comparison read in Chinese', async () => {
		await page.goto(`/boards/${boardId}/versions`);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('版本');
		await expect(page.getByTestId('version-row').filter({ hasText: /^\s*自动保存 — \d{4}-\d{2}-\d{2}/ })).toHaveCount(1);
		await expect(page.getByTestId('version-row').filter({ hasText: 'Automatic' })).toHaveCount(0);
		await page.getByTestId('compare-from').selectOption({ label: '工作坊开始' });
		await page.getByTestId('compare-run').click();
		const change = page.getByTestId('comparison-change');
		await expect(change).toHaveCount(1);
		await expect(change).toContainText('网点位置');
		await expect(change.locator('small')).toHaveText('标题');
		await screenshotBothSizes(page, 'chinese-02-compare');
	});

	await test.step('restoring names the saved state in Chinese too', async () => {
		page.once('dialog', (dialog) => void dialog.accept());
		await page.getByTestId('version-row').filter({ hasText: '工作坊开始' }).getByTestId('version-restore').click();
		await expect(page.getByTestId('version-row').filter({ hasText: '恢复“工作坊开始”之前' })).toHaveCount(1);
	});
});
