import { expect, test, type Page } from '@playwright/test';
import { closeAll, createBoardViaApi, openBoard, screenshotPage, signUpViaApi, type Person } from './people';

let people: Person[] = [];
test.afterEach(async () => {
	await closeAll(people);
	people = [];
});

const SIZES = [
	{ width: 1280, height: 720 },
	{ width: 1440, height: 900 }
];

/** Whether the board toolbar's items all sit on one row (every item overlaps every other vertically). */
async function toolbarFitsOneRow(page: Page): Promise<boolean> {
	return page.locator('.toolbar').evaluate((toolbar) => {
		const boxes = [...toolbar.children].map((child) => child.getBoundingClientRect()).filter((box) => box.width > 0);
		return Math.max(...boxes.map((box) => box.top)) < Math.min(...boxes.map((box) => box.bottom));
	});
}

for (const locale of ['en-GB', 'zh-CN']) {
	test(`the board toolbar of a facilitator fits one row at 1280 px, versions in the board menu, undo and redo named (${locale})`, async ({
		browser
	}) => {
		const owner = await signUpViaApi(browser, 'owner', locale === 'zh-CN' ? '王芳' : 'Wendy Owner', { locale, viewport: SIZES[0] });
		people = [owner];
		const boardId = await createBoardViaApi(owner, 'Bank branch visit — spring workshop with the retail team', 'bank-branch');
		await openBoard(owner, boardId);
		const { page } = owner;
		for (const size of SIZES) {
			await page.setViewportSize(size);
			await expect.poll(() => toolbarFitsOneRow(page)).toBe(true);
			await screenshotPage(page, `toolbar-${locale}-${size.width}`);
		}
		await expect(page.getByRole('button', { name: locale === 'zh-CN' ? '撤销' : 'Undo' })).toBeVisible();

		await page.setViewportSize(SIZES[0]);
		const menu = page.getByTestId('board-menu');
		await menu.locator('summary').focus();
		await page.keyboard.press('Enter');
		await expect(page.getByTestId('versions-link')).toBeVisible();
		await screenshotPage(page, `toolbar-menu-${locale}-1280`);
		await page.keyboard.press('Tab');
		await expect(page.getByTestId('versions-link')).toBeFocused();
		await page.keyboard.press('Enter');
		await expect(page).toHaveURL(new RegExp(`/boards/${boardId}/versions$`));
	});
}
