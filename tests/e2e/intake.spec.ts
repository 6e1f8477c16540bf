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
		// The shipped Chinese bold face is large: a screenshot taken while it loads shows boxes.
		await page.evaluate(() => document.fonts.ready.then(() => undefined));
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

/** A CSV file for the file input. */
const csvFile = (text: string, name = 'responses.csv') => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

test('an editor uploads a CSV of responses from the Analysis panel and reads which rows need fixing; viewers and commenters see no upload', async ({
	browser
}) => {
	// Five people, two languages, two window sizes and accessibility scans: longer than the default.
	test.setTimeout(300_000);
	const owner = await signUpViaApi(browser, 'owner', 'Olga Owner', { locale: 'en-US' });
	const editor = await signUpViaApi(browser, 'editor', 'Eddie Editor', { locale: 'en-US' });
	const li = await signUpViaApi(browser, 'li', '李雷', { locale: 'zh-CN' });
	const viewer = await signUpViaApi(browser, 'viewer', 'Vera Viewer', { locale: 'en-US' });
	const commenter = await signUpViaApi(browser, 'commenter', 'Cai Commenter', { locale: 'en-US' });
	people = [owner, editor, li, viewer, commenter];
	const boardId = await createBoardViaApi(owner, 'Branch visit', 'bank-branch');
	await shareViaApi(owner, boardId, editor, 'editor');
	await shareViaApi(owner, boardId, li, 'editor');
	await shareViaApi(owner, boardId, viewer, 'viewer');
	await shareViaApi(owner, boardId, commenter, 'commenter');

	const { page } = editor;
	await page.setViewportSize(SIZES[0]);
	await openBoard(editor, boardId);
	await page.getByTestId('tab-analysis').click();
	const upload = page.getByTestId('intake-csv');
	await expect(upload.getByRole('heading', { name: 'Upload survey responses (CSV)' })).toBeVisible();
	await expect(upload.getByTestId('intake-csv-upload')).toBeDisabled();

	// A file with two bad rows adds nothing and names them by the rows the spreadsheet shows.
	await upload
		.getByLabel('CSV file')
		.setInputFiles(csvFile('touchpoint,metric,score,id\nLocation,nps,9,a1\nNo such card,nps,4,a2\n\nLocation,ces,9,a3\n'));
	await upload.getByTestId('intake-csv-upload').click();
	const errors = upload.getByTestId('intake-csv-errors');
	await expect(errors).toContainText('Nothing was added: 2 rows need fixing.');
	await expect(upload.getByTestId('intake-csv-error')).toHaveText([
		'Row 3: touchpointId: the board has no touchpoint "No such card"',
		'Row 5: score: ces takes whole numbers from 1 to 7'
	]);
	expect(await accessibilityViolations(page)).toEqual([]);
	await screenshots(page, 'intake-05-csv-rows-to-fix-en', errors);

	const good = 'touchpoint;metric;score;comment;id\r\nLocation;nps;9;"Close to work; easy";b1\r\nLocation;nps;3;;b2\r\nt2;csat;4;;b3\r\n';
	await upload.getByLabel('CSV file').setInputFiles(csvFile(good));
	await upload.getByTestId('intake-csv-upload').click();
	await expect(upload.getByTestId('intake-csv-result')).toHaveText('3 responses added, 0 already there');
	await screenshots(page, 'intake-06-csv-added-en', upload.getByTestId('intake-csv-result'));
	// Sent again, every row is recognised by its id.
	await upload.getByLabel('CSV file').setInputFiles(csvFile(good, 'again.csv'));
	await upload.getByTestId('intake-csv-upload').click();
	await expect(upload.getByTestId('intake-csv-result')).toHaveText('0 responses added, 3 already there');
	// The live metric reaches the card.
	await selectCard(page, 'Location');
	await expect(page.getByTestId('inspector').getByTestId('evidence-item').filter({ hasText: 'NPS' })).toContainText('n = 2 customers');

	// 李雷 reads the same in Chinese.
	await li.page.setViewportSize(SIZES[0]);
	await openBoard(li, boardId);
	await li.page.getByTestId('tab-analysis').click();
	const zhUpload = li.page.getByTestId('intake-csv');
	await expect(zhUpload.getByRole('heading', { name: '上传调研回答（CSV）' })).toBeVisible();
	await zhUpload.getByLabel('CSV 文件').setInputFiles(csvFile('touchpoint,metric,score\nLocation,emotion,9\nLocation,emotion,-2\n'));
	await zhUpload.getByTestId('intake-csv-upload').click();
	await expect(zhUpload.getByTestId('intake-csv-errors')).toContainText('未添加任何回答：有 1 行需要修改。');
	await expect(zhUpload.getByTestId('intake-csv-error')).toHaveText([/^第 2 行：/]);
	expect(await accessibilityViolations(li.page)).toEqual([]);
	await screenshots(li.page, 'intake-07-csv-rows-to-fix-zh', zhUpload.getByTestId('intake-csv-errors'));
	await zhUpload.getByLabel('CSV 文件').setInputFiles(csvFile('touchpoint,metric,score\nLocation,emotion,-2\n'));
	await zhUpload.getByTestId('intake-csv-upload').click();
	await expect(zhUpload.getByTestId('intake-csv-result')).toHaveText('已添加 1 条回答，0 条此前已有');
	await screenshots(li.page, 'intake-08-csv-added-zh', zhUpload.getByTestId('intake-csv-result'));

	// The owner finds it beside the intake tokens too.
	await owner.page.goto(`/boards/${boardId}/members`);
	await expect(owner.page.getByTestId('intake-csv').getByRole('heading', { name: 'Upload survey responses (CSV)' })).toBeVisible();
	expect(await accessibilityViolations(owner.page)).toEqual([]);
	await screenshots(owner.page, 'intake-09-csv-members-en', owner.page.getByTestId('intake-csv'));

	// Viewers and commenters read the analysis without an upload.
	for (const reader of [viewer, commenter]) {
		await openBoard(reader, boardId);
		await reader.page.getByTestId('tab-analysis').click();
		await expect(reader.page.getByTestId('evidence-coverage')).toBeVisible();
		await expect(reader.page.getByTestId('intake-csv')).toHaveCount(0);
	}
});
