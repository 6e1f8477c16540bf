import { expect, test, type Page } from '@playwright/test';
import { closeAll, createBoardViaApi, expectSynced, screenshotPage, signUpViaApi, type Person } from './people';

// Chinese text renders as characters, not as empty boxes ("tofu"), on a machine without a Chinese
// font of its own, where only the font the server ships can draw it. Chromium once drew the brand,
// the headings and the board titles as boxes although the shipped faces reported "loaded": text
// laid out while a face named after an installed family was still downloading was never redrawn.
//
// A Chinese character is as wide as the font is large (every Chinese font draws ideographs on a
// square em); an empty box is the missing-glyph of the Latin font before it (0.6 em in DejaVu Sans,
// 0.37 em in Liberation Sans). So each Han character on screen must measure one em, letter spacing
// aside.

let people: Person[] = [];
test.afterEach(async () => {
	await closeAll(people);
	people = [];
});

const SIZES = [
	{ width: 1280, height: 720 },
	{ width: 1440, height: 900 }
];

/**
 * Most font bytes a first visit may download: the slices of everyday characters of both weights
 * (about 0.95 MB each) and a few slices of rarer ones, never the whole font (17 MB).
 */
const FONT_BUDGET_BYTES = 4_000_000;

/** A Han character drawn narrower or wider than this share of its em is taken for a missing glyph. */
const EM_TOLERANCE = 0.08;

interface Tofu {
	text: string;
	char: string;
	em: number;
}

/**
 * Every visible Han character on the page whose drawn width is not one em of its element's font
 * size (scaled like the element, for the zoomed canvas), with its text and width in em.
 */
async function tofuOnPage(page: Page): Promise<Tofu[]> {
	return page.evaluate((tolerance) => {
		const han = /\p{Script=Han}/u;
		const found: Tofu[] = [];
		const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		const range = document.createRange();
		for (let node = walker.nextNode(); node; node = walker.nextNode()) {
			const text = node.textContent ?? '';
			if (!han.test(text)) continue;
			const element = node.parentElement;
			if (!element || !element.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
			const style = getComputedStyle(element);
			// The canvas draws its cards scaled; the element's own box tells by how much. SVG text (a
			// chart, maybe rotated) reports each character's advance in its own units instead.
			const svgText = element instanceof SVGTextContentElement ? element : null;
			const scale = !svgText && element.offsetWidth > 0 ? element.getBoundingClientRect().width / element.offsetWidth : 1;
			const em = parseFloat(style.fontSize) * scale;
			// A spaced-out label adds its letter spacing after each character.
			const spacing = (parseFloat(style.letterSpacing) || 0) * scale;
			let offset = 0;
			for (const char of text) {
				const start = offset;
				offset += char.length;
				if (!han.test(char)) continue;
				range.setStart(node, start);
				range.setEnd(node, offset);
				const rect = range.getClientRects()[0];
				// Off screen (a scrolled list, the canvas outside the view) or clipped away.
				if (!rect || rect.width === 0 || rect.right < 0 || rect.bottom < 0 || rect.left > innerWidth || rect.top > innerHeight) continue;
				const advance = svgText && svgText.firstChild === node ? svgText.getSubStringLength(start, char.length) : rect.width;
				const width = (advance - spacing) / em;
				if (Math.abs(width - 1) > tolerance) found.push({ text: text.trim().slice(0, 40), char, em: Math.round(width * 100) / 100 });
			}
		}
		return found;
	}, EM_TOLERANCE);
}

/** Counts the visible Han characters, so a page that shows none cannot pass by accident. */
async function hanOnPage(page: Page): Promise<number> {
	return page.evaluate(() => {
		const han = /\p{Script=Han}/gu;
		return [...document.body.innerText.matchAll(han)].length;
	});
}

/** Waits for the fonts the page asked for, then expects every Han character on screen to be drawn. */
async function expectNoTofu(page: Page, name: string): Promise<void> {
	for (const size of SIZES) {
		await page.setViewportSize(size);
		await page.evaluate(async () => {
			await document.fonts.ready;
		});
		expect(await hanOnPage(page)).toBeGreaterThan(0);
		await expect.poll(() => tofuOnPage(page)).toEqual([]);
		await screenshotPage(page, `chinese-font-${name}-${size.width}x${size.height}`);
	}
}

test('every Chinese text on the boards list, a board, its summary and its members page is drawn, not boxes', async ({ browser }) => {
	test.setTimeout(180_000);
	const li = await signUpViaApi(browser, 'li', '李雷', { locale: 'zh-CN' });
	people = [li];
	const { page } = li;
	// Every font byte the person's browser downloads on these pages (it keeps what it got).
	let fontBytes = 0;
	page.on('response', async (response) => {
		if (new URL(response.url()).pathname.startsWith('/fonts/') && response.url().endsWith('.otf')) {
			fontBytes += (await response.body().catch(() => Buffer.alloc(0))).byteLength;
		}
	});
	const created = await page.request.post('/api/boards', {
		data: { title: '网点到访', template: 'bank-branch' },
		headers: { 'Accept-Language': 'zh-CN' }
	});
	expect(created.status()).toBe(201);
	const boardId: string = (await created.json()).id;
	// A title with characters outside the everyday set, as a person may type them.
	await createBoardViaApi(li, '龘靐齉 客户之旅', 'blank');

	await test.step('the boards list: brand, navigation, heading, board titles, role badges', async () => {
		await page.goto('/boards');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的看板');
		await expectNoTofu(page, 'boards');
	});

	await test.step('a board: toolbar, stages, lanes, cards, side panel', async () => {
		await page.goto(`/boards/${boardId}`);
		await expectSynced(page);
		await expect(page.getByTestId('touchpoint').first()).toBeVisible();
		await expectNoTofu(page, 'board');
	});

	await test.step('the summary', async () => {
		await page.goto(`/boards/${boardId}/summary`);
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await expectNoTofu(page, 'summary');
	});

	await test.step('the members page', async () => {
		await page.goto(`/boards/${boardId}/members`);
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
		await expectNoTofu(page, 'members');
	});

	await test.step('the font came in slices, not whole', async () => {
		test.info().annotations.push({ type: 'font bytes', description: String(fontBytes) });
		expect(fontBytes).toBeGreaterThan(0);
		expect(fontBytes).toBeLessThan(FONT_BUDGET_BYTES);
	});
});

test('a Chinese board opened directly, its canvas drawn after the page, shows no boxes', async ({ browser }) => {
	const mei = await signUpViaApi(browser, 'mei', '韩梅梅', { locale: 'zh-CN' });
	people = [mei];
	const { page } = mei;
	const created = await page.request.post('/api/boards', {
		data: { title: '生命周期', template: 'lifecycle' },
		headers: { 'Accept-Language': 'zh-CN' }
	});
	expect(created.status()).toBe(201);
	await page.goto(`/boards/${(await created.json()).id}`);
	await expectSynced(page);
	await expect(page.getByTestId('stage-header').first()).toBeVisible();
	await expectNoTofu(page, 'board-direct');
});
