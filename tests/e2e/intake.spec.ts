import { expect, test, type Locator, type Page } from '@playwright/test';
import { accessibilityViolations } from './axe';
import { closeAll, createBoardViaApi, openBoard, screenshotPage, selectCard, shareViaApi, signUpViaApi, type Person } from './people';

// Feedback intake: the owner makes an intake token on the members page, copies it once with an
// example request, sees when it was last used and revokes it; the inspector lists customers'
// comments and an editor turns one into a quote. In English and Chinese, at two window sizes.

const SIZES = [
	{ width: 1280, height: 720 },
	{ width: 1440, height: 900 }
];

let people: Person[] = [];
test.afterEach(() => closeAll(people));

/** Screenshots at each size, with `shown` scrolled into view after each resize. */
async function screenshots(page: Page, name: string, shown: Locator): Promise<void> {
	for (const size of SIZES) {
		await page.setViewportSize(size);
		await shown.scrollIntoViewIfNeeded();
		await screenshotPage(page, `${name}-${size.width}x${size.height}`);
	}
}

async function sendResponses(page: Page, token: string, responses: unknown[]): Promise<number> {
	const response = await page.request.post('/api/intake', { data: { responses }, headers: { authorization: `Bearer ${token}` } });
	return response.status();
}

test('an owner creates, copies and revokes an intake token; comments become quotes', async ({ browser }) => {
	// Two people, two languages, two window sizes and two accessibility scans: longer than the default.
	test.setTimeout(240_000);
	const owner = await signUpViaApi(browser, 'owner', 'Olga Owner', { locale: 'en-US' });
	const li = await signUpViaApi(browser, 'li', '李雷', { locale: 'zh-CN' });
	people = [owner, li];
	const boardId = await createBoardViaApi(owner, 'Branch visit', 'bank-branch');
	await shareViaApi(owner, boardId, li, 'owner');

	const { page } = owner;
	await page.goto(`/boards/${boardId}/members`);
	const section = page.getByTestId('intake-tokens');
	await expect(section.getByRole('heading', { name: 'Feedback intake' })).toBeVisible();
	await expect(section.getByText('No intake tokens yet.')).toBeVisible();
	await section.getByTestId('intake-token-name').fill('Post-visit survey');
	await section.getByTestId('intake-token-create').click();
	const tokenField = section.getByTestId('intake-token-value');
	await expect(tokenField).toHaveValue(/^jit_/);
	const token = await tokenField.inputValue();
	// The example request carries the new token and a real touchpoint of the board.
	await expect(section.getByTestId('intake-example')).toContainText(`Bearer ${token}`);
	await expect(section.getByTestId('intake-example')).toContainText('"touchpointId": "t1"');
	await expect(section.getByTestId('intake-token-row')).toHaveCount(1);
	await expect(section.getByTestId('intake-token-row')).toContainText('Never used');
	expect(await accessibilityViolations(page)).toEqual([]);
	await screenshots(page, 'intake-01-token-created-en', section.getByTestId('intake-example'));

	expect(
		await sendResponses(page, token, [
			{ id: 'r1', touchpointId: 't1', metric: 'nps', score: 10, comment: 'Right next to my office' },
			{ id: 'r2', touchpointId: 't1', metric: 'nps', score: 4, comment: 'Hard to find parking' },
			{ id: 'r3', touchpointId: 't1', metric: 'csat', score: 4 }
		])
	).toBe(200);
	await page.reload();
	await expect(section.getByTestId('intake-token-row')).toContainText('Last used');
	// Shown once: after a reload only the name remains.
	await expect(section.getByTestId('intake-token-value')).toHaveCount(0);

	// 李雷, a co-owner, sees the same section in Chinese.
	await li.page.goto(`/boards/${boardId}/members`);
	const zhSection = li.page.getByTestId('intake-tokens');
	await expect(zhSection.getByRole('heading', { name: '反馈接入' })).toBeVisible();
	await expect(zhSection.getByTestId('intake-token-row')).toContainText('最近使用');
	expect(await accessibilityViolations(li.page)).toEqual([]);
	await screenshots(li.page, 'intake-02-tokens-zh', zhSection.getByTestId('intake-token-row'));

	// The inspector shows the live metric and the comments; one becomes a quote.
	await page.setViewportSize(SIZES[1]);
	await openBoard(owner, boardId);
	await selectCard(page, 'Location');
	const inspector = page.getByTestId('inspector');
	await expect(inspector.getByTestId('evidence-item').filter({ hasText: 'NPS' })).toContainText('n = 2 customers');
	const comments = inspector.getByTestId('intake-comment');
	await expect(comments).toHaveCount(2);
	await comments.filter({ hasText: 'Hard to find parking' }).getByTestId('intake-use-quote').click();
	await expect(inspector.getByTestId('evidence-item').filter({ hasText: 'Hard to find parking' })).toHaveAttribute('data-type', 'quote');
	await expect(comments.filter({ hasText: 'Hard to find parking' })).toContainText('Added as a quote');
	await screenshots(page, 'intake-03-inspector-comments-en', inspector.getByTestId('intake-comments'));

	await openBoard(li, boardId);
	await li.page.setViewportSize(SIZES[1]);
	await selectCard(li.page, 'Location');
	await expect(li.page.getByTestId('inspector').getByRole('heading', { name: '客户评论' })).toBeVisible();
	await screenshots(li.page, 'intake-04-inspector-comments-zh', li.page.getByTestId('inspector').getByTestId('intake-comments'));

	// Revoking stops the token at once.
	await page.goto(`/boards/${boardId}/members`);
	await section.getByRole('button', { name: 'Revoke the token “Post-visit survey”' }).click();
	await expect(section.getByTestId('intake-token-row')).toHaveCount(0);
	expect(await sendResponses(page, token, [{ touchpointId: 't1', metric: 'nps', score: 9 }])).toBe(401);
});
