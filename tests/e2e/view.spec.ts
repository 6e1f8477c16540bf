import { expect, test, type Locator, type Page } from '@playwright/test';
import {
	card,
	closeAll,
	createBoardViaApi,
	fitView,
	openBoard,
	screenshotPage,
	serverJourney,
	shareViaApi,
	signUpViaApi,
	type Person
} from './people';

// Issue 13, "readable at a glance": boards open readable, cards keep a maximum height, over-long
// titles are refused, the side panel collapses, the zoom controls and the minimap never cover the
// curve or the add buttons, presentation mode with "follow me", and a summary curve that reads at
// 200 and 1,000 touchpoints.

const SIZES = [
	{ width: 1280, height: 720 },
	{ width: 1440, height: 900 }
];
/** Smallest text on a card, on screen, in CSS pixels. */
const READABLE_PX = 12;
/** The card's maximum height on the canvas (CARD_MAX_HEIGHT in layout.ts). */
const CARD_MAX_HEIGHT = 184;
const TITLE_LIMIT = 300;

let people: Person[] = [];
test.afterEach(() => closeAll(people));

interface Box {
	x: number;
	y: number;
	width: number;
	height: number;
}

function intersect(a: Box, b: Box): Box | null {
	const x = Math.max(a.x, b.x);
	const y = Math.max(a.y, b.y);
	const right = Math.min(a.x + a.width, b.x + b.width);
	const bottom = Math.min(a.y + a.height, b.y + b.height);
	return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : null;
}

/** The part of an element a person sees: its box cut to the canvas pane (the canvas clips the rest). */
async function visibleOnCanvas(page: Page, target: Locator): Promise<Box | null> {
	const pane = await page.locator('.svelte-flow__pane').boundingBox();
	const box = await target.boundingBox();
	return pane && box ? intersect(pane, box) : null;
}

/** The canvas zoom, from `.svelte-flow__viewport`'s transform. */
async function zoomOf(page: Page): Promise<number> {
	const transform = await page.locator('.svelte-flow__viewport').evaluate((element) => (element as HTMLElement).style.transform);
	return Number(/scale\(([\d.e-]+)\)/.exec(transform)?.[1]);
}

/** The smallest font size of any text in the rendered cards, in canvas units. */
async function smallestCardFont(page: Page): Promise<number> {
	return page.getByTestId('touchpoint').evaluateAll((cards) => {
		let smallest = Infinity;
		for (const element of cards) {
			const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
			for (let node = walker.nextNode(); node; node = walker.nextNode()) {
				if (!node.textContent?.trim() || !node.parentElement) continue;
				smallest = Math.min(smallest, parseFloat(getComputedStyle(node.parentElement).fontSize));
			}
		}
		return smallest;
	});
}

/** Neither the zoom controls nor the minimap covers what is visible of the curve or the add buttons. */
async function expectNothingCovered(page: Page): Promise<number> {
	const overlays = [page.locator('.svelte-flow__controls'), page.getByTestId('svelte-flow__minimap')];
	const targets = [page.getByTestId('emotion-curve'), page.getByTestId('add-stage'), page.getByTestId('add-lane')];
	let seen = 0;
	for (const overlay of overlays) {
		const cover = await overlay.boundingBox();
		expect(cover).not.toBeNull();
		for (const target of targets) {
			const visible = await visibleOnCanvas(page, target);
			if (!visible) continue;
			seen++;
			expect(intersect(cover!, visible), `${await overlay.getAttribute('class')} over a board part`).toBeNull();
		}
	}
	return seen;
}

/** A journey of `stages` stages with `count` touchpoints spread over them, emotions along a wave, for the summary. */
function largeJourney(title: string, stages: number, count: number) {
	const perStage = Math.ceil(count / stages);
	return {
		format: 'journey-map/v1',
		title,
		stages: Array.from({ length: stages }, (_, index) => ({
			id: `st-${index}`,
			name: index % 3 === 0 ? `Stage ${index + 1}: account opening and identity checks` : `Stage ${index + 1}`,
			order: index
		})),
		lanes: Array.from({ length: 4 }, (_, index) => ({ id: `ln-${index}`, name: `Lane ${index + 1}`, order: index, type: 'touchpoints' })),
		touchpoints: Array.from({ length: count }, (_, index) => {
			const stage = Math.floor(index / perStage);
			const within = index % perStage;
			const emotion = Math.max(-5, Math.min(5, Math.round(4 * Math.sin(index / 7) + 2 * Math.sin(index / 2.3))));
			return {
				id: `tp-${index}`,
				title: `Touchpoint ${index + 1} ${index % 5 === 0 ? 'with a longer title about waiting at the counter' : ''}`.trim(),
				description: '',
				kind: emotion >= 4 ? 'positive-peak' : emotion <= -4 ? 'negative-peak' : 'neutral',
				emotion,
				channel: '',
				owner: '',
				stageId: `st-${stage}`,
				laneId: `ln-${within % 4}`,
				x: stage * 640 + 16 + (Math.floor(within / 4) % 4) * 150,
				y: (within % 4) * 200 + 40
			};
		}),
		links: [],
		evidence: []
	};
}

for (const size of SIZES) {
	const name = `${size.width}x${size.height}`;

	test(`a five-stage board at ${name}: readable on open, scrolls to every stage, nothing covered, panel collapses`, async ({ browser }) => {
		const ada = await signUpViaApi(browser, 'ada', 'Ada', { viewport: size });
		people = [ada];
		const { page } = ada;
		const boardId = await createBoardViaApi(ada, 'Bank branch', 'bank-branch');
		await openBoard(ada, boardId);
		await expect(page.getByTestId('touchpoint').first()).toBeVisible();
		const stages = page.getByTestId('stage-header');
		await expect(stages).toHaveCount(5);

		await test.step('opens at the start of the journey with card text at least 12 px on screen', async () => {
			await expect.poll(() => zoomOf(page)).toBeGreaterThan(0);
			const zoom = await zoomOf(page);
			const font = await smallestCardFont(page);
			expect(font * zoom).toBeGreaterThanOrEqual(READABLE_PX - 0.01);
			const pane = (await page.locator('.svelte-flow__pane').boundingBox())!;
			const first = (await stages.first().boundingBox())!;
			expect(first.x).toBeGreaterThanOrEqual(pane.x);
			expect(first.x).toBeLessThan(pane.x + pane.width / 2);
			await screenshotPage(page, `view-board-open-${name}`);
		});

		await test.step('the wheel scrolls along the journey to the last stage at the same zoom', async () => {
			const zoom = await zoomOf(page);
			const pane = (await page.locator('.svelte-flow__pane').boundingBox())!;
			await page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 2);
			const addStage = page.getByTestId('add-stage');
			await expect
				.poll(
					async () => {
						const box = await visibleOnCanvas(page, addStage);
						if (box && box.width === (await addStage.boundingBox())?.width) return true;
						await page.mouse.wheel(400, 0);
						return false;
					},
					{ intervals: [50], timeout: 30_000 }
				)
				.toBe(true);
			expect(await zoomOf(page)).toBeCloseTo(zoom, 5);
			expect(await visibleOnCanvas(page, stages.last())).not.toBeNull();
			expect(await expectNothingCovered(page)).toBeGreaterThan(0);
			await screenshotPage(page, `view-board-scrolled-${name}`);
		});

		await test.step('fitted (F), the zoom controls and the minimap cover neither the curve nor the add buttons', async () => {
			await fitView(page);
			await expect.poll(() => visibleOnCanvas(page, page.getByTestId('add-lane'))).not.toBeNull();
			expect(await expectNothingCovered(page)).toBeGreaterThanOrEqual(4);
		});

		await test.step('the side panel collapses and expands, remembered in this browser', async () => {
			const side = page.getByTestId('side-panel');
			const wide = (await side.boundingBox())!.width;
			const paneBefore = (await page.locator('.svelte-flow__pane').boundingBox())!.width;
			await page.getByTestId('panel-toggle').click();
			await expect(page.getByTestId('tab-analysis')).toBeHidden();
			await expect.poll(async () => (await side.boundingBox())!.width).toBeLessThan(wide / 4);
			await expect.poll(async () => (await page.locator('.svelte-flow__pane').boundingBox())!.width).toBeGreaterThan(paneBefore + 200);
			await screenshotPage(page, `view-board-panel-collapsed-${name}`);
			await page.reload();
			await expect(page.getByTestId('panel-toggle')).toHaveAttribute('aria-expanded', 'false');
			await expect(page.getByTestId('tab-analysis')).toBeHidden();
			await page.getByTestId('panel-toggle').click();
			await expect(page.getByTestId('tab-analysis')).toBeVisible();
			await expect(page.getByTestId('panel-toggle')).toHaveAttribute('aria-expanded', 'true');
		});
	});
}

test('a long title: the card keeps its maximum height until "more" shows it whole, and a title over the limit is refused with a message', async ({
	browser
}) => {
	const ada = await signUpViaApi(browser, 'ada', 'Ada', { viewport: SIZES[1] });
	people = [ada];
	const { page } = ada;
	const boardId = await createBoardViaApi(ada, 'Bank branch', 'bank-branch');
	await openBoard(ada, boardId);
	const first = (await serverJourney(ada, boardId)).touchpoints.find((touchpoint) => touchpoint.title === 'Welcome')!;
	// Its title, not the middle, where the card's own "more" (it has a description) may sit.
	await card(page, first.title).locator('.title').click();
	const title = page.getByTestId('inspector').getByTestId('touchpoint-title');
	const long = 'The customer pastes a very long note from the interview transcript into the title. '.repeat(4).slice(0, TITLE_LIMIT - 10);
	await title.fill(long);
	const tall = page.locator(`[data-testid=touchpoint][data-id="${first.id}"]`);
	await expect(tall).toHaveAttribute('data-title', long);
	await expect(page.getByTestId('title-limit')).toHaveText('10 characters left');

	await test.step('the card stays under its maximum height, the rest behind "more"', async () => {
		const more = tall.getByTestId('card-more');
		await expect(more).toBeVisible();
		const zoom = await zoomOf(page);
		const box = (await tall.boundingBox())!;
		expect(box.height).toBeLessThanOrEqual(CARD_MAX_HEIGHT * zoom + 1);
		await screenshotPage(page, 'view-card-long-title');
		await more.click();
		await expect(more).toHaveAttribute('aria-expanded', 'true');
		// It grows to show the whole title (card-more.spec.ts: the cards under it move down).
		await expect.poll(async () => (await tall.boundingBox())!.height).toBeGreaterThan(box.height);
		await expect(tall.locator('.title')).toHaveCSS('overflow-y', 'visible');
	});

	await test.step('a paste past the limit is refused with a message, the title unchanged', async () => {
		await title.focus();
		await page.keyboard.press('End');
		await page.keyboard.insertText(' and then a good deal more text than fits');
		await expect(page.getByTestId('title-limit')).toHaveText(
			`A title can have at most ${TITLE_LIMIT} characters; the text that would go past it was not added.`
		);
		await expect(title).toHaveAttribute('aria-invalid', 'true');
		await expect(title).toHaveValue(long);
		await expect
			.poll(async () => (await serverJourney(ada, boardId)).touchpoints.find((touchpoint) => touchpoint.id === first.id)?.title)
			.toBe(long);
		// What fits is still taken.
		await page.keyboard.insertText('!');
		await expect(title).toHaveValue(`${long}!`);
		await expect(page.getByTestId('title-limit')).toHaveText('9 characters left');
	});
});

test('presentation mode: arrow keys walk the stages; "follow me" takes a participant along until they leave', async ({ browser }) => {
	const ada = await signUpViaApi(browser, 'ada', 'Ada Facilitator', { viewport: SIZES[1] });
	const ben = await signUpViaApi(browser, 'ben', 'Ben Participant', { viewport: SIZES[0] });
	people = [ada, ben];
	const boardId = await createBoardViaApi(ada, 'Bank branch', 'bank-branch');
	await shareViaApi(ada, boardId, ben, 'editor');
	const journey = await serverJourney(ada, boardId);
	const names = [...journey.stages].sort((a, b) => a.order - b.order).map((stage) => stage.name);
	await openBoard(ada, boardId);
	await openBoard(ben, boardId);
	const present = ada.page.getByTestId('presentation');

	await test.step('the facilitator presents and walks the stages with the arrow keys', async () => {
		await ada.page.getByTestId('present').click();
		await expect(present).toBeVisible();
		await expect(present.getByTestId('present-stage')).toHaveText(names[0]);
		await expect(present.getByTestId('present-count')).toHaveText(`Stage 1 of ${names.length}`);
		await expect(present.getByTestId('summary-curve')).toBeVisible();
		await expect(present.locator('[data-testid=curve-band].highlight')).toHaveCount(1);
		await ada.page.keyboard.press('ArrowRight');
		await expect(present.getByTestId('present-stage')).toHaveText(names[1]);
		await expect(present.getByTestId('present-touchpoint').first()).toBeVisible();
		await ada.page.keyboard.press('ArrowRight');
		await expect(present.getByTestId('present-stage')).toHaveText(names[2]);
		await ada.page.keyboard.press('ArrowLeft');
		await expect(present.getByTestId('present-stage')).toHaveText(names[1]);
		await present.getByTestId('present-next').click();
		await expect(present.getByTestId('present-stage')).toHaveText(names[2]);
		// The board's own shortcuts do not act behind the presentation: nothing was nudged or deselected.
		expect((await serverJourney(ada, boardId)).touchpoints.map((touchpoint) => [touchpoint.x, touchpoint.y])).toEqual(
			journey.touchpoints.map((touchpoint) => [touchpoint.x, touchpoint.y])
		);
		await screenshotPage(ada.page, 'view-presentation-1440x900');
	});

	await test.step('only a facilitator may take everyone along', async () => {
		const refused = await ben.page.request.patch(`/api/boards/${boardId}/facilitation`, { data: { presentStageId: journey.stages[0].id } });
		expect(refused.status()).toBe(403);
		const unknown = await ada.page.request.patch(`/api/boards/${boardId}/facilitation`, { data: { presentStageId: 'no-such-stage' } });
		expect(unknown.status()).toBe(404);
		await expect(ben.page.getByTestId('presentation')).toBeHidden();
	});

	const followed = ben.page.getByTestId('presentation');
	await test.step('"follow me" takes the participant into the presentation, at the facilitator’s stage', async () => {
		await present.getByTestId('present-follow').click();
		await expect(present.getByTestId('present-taking')).toBeVisible();
		await expect(followed).toBeVisible();
		await expect(followed.getByTestId('present-stage')).toHaveText(names[2]);
		await expect(followed.getByTestId('present-following')).toHaveText('Following Ada Facilitator');
		await ada.page.keyboard.press('ArrowRight');
		await expect(followed.getByTestId('present-stage')).toHaveText(names[3]);
		await ada.page.keyboard.press('ArrowLeft');
		await ada.page.keyboard.press('ArrowLeft');
		await expect(present.getByTestId('present-stage')).toHaveText(names[1]);
		await expect(followed.getByTestId('present-stage')).toHaveText(names[1]);
		// A follower's arrows do not move away from the facilitator.
		await ben.page.keyboard.press('ArrowRight');
		await expect(followed.getByTestId('present-stage')).toHaveText(names[1]);
		await screenshotPage(ben.page, 'view-presentation-follower-1280x720');
	});

	await test.step('the participant leaves with Escape and stays out while the facilitator moves on', async () => {
		await ben.page.keyboard.press('Escape');
		await expect(followed).toBeHidden();
		await ada.page.keyboard.press('ArrowRight');
		await expect(present.getByTestId('present-stage')).toHaveText(names[2]);
		await expect
			.poll(async () => (await (await ben.page.request.get(`/api/boards/${boardId}/facilitation`)).json()).state.presentStageId)
			.toBe(journey.stages.find((stage) => stage.name === names[2])!.id);
		await expect(followed).toBeHidden();
	});

	await test.step('when the facilitator leaves, the presentation ends for everyone', async () => {
		await ben.page.getByTestId('toggle-follow').click();
		await expect(followed).toBeVisible();
		await expect(followed.getByTestId('present-stage')).toHaveText(names[2]);
		await ada.page.keyboard.press('Escape');
		await expect(present).toBeHidden();
		await expect(followed).toBeHidden();
	});
});

for (const count of [200, 1000]) {
	test(`the summary's curve stays legible with ${count} touchpoints, and prints without the app around it`, async ({ browser }) => {
		const ada = await signUpViaApi(browser, 'ada', 'Ada', { viewport: SIZES[1] });
		people = [ada];
		const { page } = ada;
		const stages = count === 200 ? 8 : 20;
		const boardId = await createBoardViaApi(ada, `Large journey ${count}`, {
			journey: largeJourney(`Large journey ${count}`, stages, count)
		});
		for (const size of SIZES) {
			await page.setViewportSize(size);
			await page.goto(`/boards/${boardId}/summary`);
			const curve = page.getByTestId('summary-curve');
			await expect(curve).toHaveAttribute('data-mode', 'aggregate');
			await expect(curve.getByTestId('curve-key-label').first()).toBeVisible();
			await expect(curve.getByTestId('curve-band')).toHaveCount(stages);
			const boxes = await curve.locator('text').evaluateAll((texts) =>
				texts.map((text) => {
					const box = text.getBoundingClientRect();
					return { text: text.textContent ?? '', x: box.x, y: box.y, width: box.width, height: box.height };
				})
			);
			expect(boxes.length).toBeGreaterThan(stages / 2 + 3);
			const overlaps: string[] = [];
			for (let i = 0; i < boxes.length; i++) {
				for (let j = i + 1; j < boxes.length; j++) {
					const shrink = (box: Box) => ({ x: box.x + 0.5, y: box.y + 0.5, width: box.width - 1, height: box.height - 1 });
					if (intersect(shrink(boxes[i]), shrink(boxes[j]))) overlaps.push(`"${boxes[i].text}" / "${boxes[j].text}"`);
				}
			}
			expect(overlaps).toEqual([]);
			// Peak and end are among the labels.
			await expect(curve.getByTestId('curve-key-label').filter({ hasText: '★' })).toHaveCount(1);
			await expect(curve.getByTestId('curve-key-label').filter({ hasText: '■' })).toHaveCount(1);
			// Every label readable on screen.
			const smallest = await curve
				.locator('text')
				.evaluateAll((texts) => Math.min(...texts.map((text) => text.getBoundingClientRect().height)));
			expect(smallest).toBeGreaterThanOrEqual(11);
			await screenshotPage(page, `view-summary-${count}-${size.width}x${size.height}`);
		}

		await test.step('print: no app header, nothing wider than the page', async () => {
			await page.emulateMedia({ media: 'print' });
			await expect(page.locator('.app-header')).toBeHidden();
			await expect(page.getByTestId('summary-pdf')).toBeHidden();
			const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
			expect(overflow).toBeLessThanOrEqual(0);
			await screenshotPage(page, `view-summary-${count}-print`);
			await page.emulateMedia({ media: 'screen' });
		});
	});
}
