import { expect, test } from '@playwright/test';
import { closeAll, createBoardViaApi, screenshotPage, signUpViaApi, type Person } from './people';

// Issue 16: the Segments tab with the overlay, and the executive summary's segment section, as a
// facilitator and a manager see them at 1280×720 and 1440×900, in English and in Chinese.

const SIZES = [
	{ width: 1280, height: 720 },
	{ width: 1440, height: 900 }
] as const;
/** How long a page may take to first sync while other suites load the machine. */
const SYNC_WAIT_MS = 30_000;

let people: Person[] = [];
test.afterEach(async () => {
	await closeAll(people);
	people = [];
});

test('the Segments tab and the summary’s segments read at a glance in both languages and sizes', async ({ browser }) => {
	test.setTimeout(300_000);
	const owner = await signUpViaApi(browser, 'owner', 'Olivia Owner', { viewport: SIZES[0] });
	people = [owner];
	const { page } = owner;
	for (const language of ['en', 'zh-CN'] as const) {
		if (language === 'zh-CN') {
			// The choice is kept in a cookie the next requests carry.
			await page.getByTestId('language').selectOption('zh-CN');
			await expect.poll(async () => (await owner.context.cookies()).some((cookie) => cookie.value === 'zh-CN')).toBe(true);
		}
		// The template in the reader's language, as a Chinese facilitator would start it.
		const boardId = await createBoardViaApi(owner, language === 'en' ? 'Branch visit by segment' : '分客群的网点到访', 'bank-branch');
		await page.goto(`/boards/${boardId}`);
		await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'synced', { timeout: SYNC_WAIT_MS });
		await expect(page.getByTestId('tab-segments')).toContainText(language === 'en' ? 'Segments' : '客群');
		await page.getByTestId('tab-segments').click();
		await expect(page.getByTestId('segment-curve')).toHaveCount(3);
		// The overlay's legend names every segment and the marks.
		const legend = page.getByTestId('segment-overlay').locator('figcaption');
		for (const name of language === 'en'
			? ['VIP customers', 'Gold-card customers', 'Regular customers']
			: ['贵宾客户', '金卡客户', '普通客户']) {
			await expect(legend).toContainText(name);
		}
		for (const size of SIZES) {
			await page.setViewportSize(size);
			await screenshotPage(page, `segments-look-tab-${language}-${size.width}x${size.height}`);
			await page.getByTestId('segment-overlay').scrollIntoViewIfNeeded();
			await page
				.getByTestId('segment-overlay')
				.screenshot({ path: `tests/e2e/screenshots/segments-look-overlay-${language}-${size.width}.png` });
		}
		await page.goto(`/boards/${boardId}/summary`);
		const section = page.getByTestId('summary-segments');
		await expect(section.getByTestId('segment-curve')).toHaveCount(3);
		for (const size of SIZES) {
			await page.setViewportSize(size);
			await section.scrollIntoViewIfNeeded();
			await screenshotPage(page, `segments-look-summary-${language}-${size.width}x${size.height}`);
			await section.screenshot({ path: `tests/e2e/screenshots/segments-look-summary-section-${language}-${size.width}.png` });
		}
		await page.setViewportSize(SIZES[0]);
	}
});
