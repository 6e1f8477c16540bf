import { expect, test, type Locator, type Page } from '@playwright/test';
import {
	card,
	closeAll,
	createBoardViaApi,
	expectSynced,
	openBoard,
	screenshotPage,
	selectCard,
	serverJourney,
	shareViaApi,
	signUpViaApi,
	type Person
} from './people';

// Issue 13: cards land where people put them — the Details panel's stage and lane, a drop across
// a column edge, a double-click on a cell — and never stack, also when five people add at once.

let people: Person[] = [];

test.afterEach(async () => {
	await closeAll(people);
	people = [];
});

type Box = { x: number; y: number; width: number; height: number };

/** A board of three stages and two lanes, with the given cards (all in the first lane unless said). */
function threeStages(
	title: string,
	touchpoints: { id: string; title: string; stageId: string; x: number; y: number; emotion?: number; laneId?: string }[]
) {
	return {
		format: 'journey-map/v1',
		title,
		stages: [
			{ id: 'stage-a', name: 'Arrival', order: 1 },
			{ id: 'stage-b', name: 'Waiting', order: 2 },
			{ id: 'stage-c', name: 'Service', order: 3 }
		],
		lanes: [
			{ id: 'lane-t', name: 'Touchpoints', order: 1, type: 'touchpoints' },
			{ id: 'lane-b', name: 'Backstage', order: 2, type: 'backstage' }
		],
		touchpoints: touchpoints.map((touchpoint) => ({
			laneId: 'lane-t',
			description: '',
			kind: 'neutral',
			channel: '',
			owner: '',
			...touchpoint
		})),
		links: [],
		evidence: []
	};
}

async function boxOf(target: Locator): Promise<Box> {
	const box = await target.boundingBox();
	if (!box) throw new Error('not visible');
	return box;
}

/** The stage whose column (its header's left and right edge) holds the centre of the box. */
async function stageUnder(page: Page, box: Box): Promise<string | null> {
	const centre = box.x + box.width / 2;
	for (const header of await page.getByTestId('stage-header').all()) {
		const column = await boxOf(header);
		if (centre >= column.x && centre < column.x + column.width) return header.getAttribute('data-stage');
	}
	return null;
}

/** Every pair of card boxes on the page that cover each other. */
async function overlappingCards(page: Page): Promise<string[]> {
	const boxes = await page.getByTestId('touchpoint').evaluateAll((cards) =>
		cards.map((element) => {
			const box = element.getBoundingClientRect();
			return { id: element.getAttribute('data-id') ?? '', x: box.x, y: box.y, width: box.width, height: box.height };
		})
	);
	const pairs: string[] = [];
	for (const [index, a] of boxes.entries()) {
		for (const b of boxes.slice(index + 1)) {
			if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) pairs.push(`${a.id} × ${b.id}`);
		}
	}
	return pairs;
}

/** Fits the whole board into view, as the F key does, and waits until the view has stopped moving. */
async function fit(page: Page): Promise<void> {
	await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
	await page.keyboard.press('f');
	const transform = () => page.locator('.svelte-flow__viewport').evaluate((element) => (element as HTMLElement).style.transform);
	let last = '';
	await expect
		.poll(async () => {
			const now = await transform();
			const still = now === last;
			last = now;
			return still;
		})
		.toBe(true);
}

test('a card moved to another stage in the Details panel moves into that column, for everyone', async ({ browser }) => {
	const ada = await signUpViaApi(browser, 'ada', 'Ada Owner');
	const ben = await signUpViaApi(browser, 'ben', 'Ben Editor');
	people = [ada, ben];
	const boardId = await createBoardViaApi(ada, 'Panel placement', {
		journey: threeStages('Panel placement', [
			{ id: 't1', title: 'Greeting', stageId: 'stage-a', x: 20, y: 50, emotion: 2 },
			{ id: 't2', title: 'Queue', stageId: 'stage-a', x: 180, y: 50, emotion: -3 },
			{ id: 't3', title: 'Advice', stageId: 'stage-a', x: 340, y: 50, emotion: 4 }
		])
	});
	await shareViaApi(ada, boardId, ben, 'editor');
	await openBoard(ada, boardId);
	await openBoard(ben, boardId);
	await fit(ada.page);
	await fit(ben.page);

	const moves: [string, string][] = [
		['Greeting', 'stage-a'],
		['Queue', 'stage-b'],
		['Advice', 'stage-c']
	];
	// Moved in the panel in an order that would stack them: the last first.
	for (const [title, stageId] of [...moves].reverse()) {
		await selectCard(ada.page, title);
		await ada.page.getByTestId('field-stage').selectOption(stageId);
	}
	const names: Record<string, string> = { 'stage-a': 'Arrival', 'stage-b': 'Waiting', 'stage-c': 'Service' };
	for (const person of people) {
		await fit(person.page);
		for (const [title, stageId] of moves) {
			await expect.poll(async () => stageUnder(person.page, await boxOf(card(person.page, title)))).toBe(names[stageId]);
		}
		expect(await overlappingCards(person.page)).toEqual([]);
		// The emotion curve runs left to right through three columns, not up and down one.
		const xs = await person.page
			.getByTestId('emotion-point')
			.evaluateAll((points) => points.map((point) => Number(point.querySelector('circle')?.getAttribute('cx'))));
		expect(new Set(xs).size).toBe(3);
		expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(600);
	}
	const journey = await serverJourney(ada, boardId);
	expect(Object.fromEntries(journey.touchpoints.map((touchpoint) => [touchpoint.title, touchpoint.stageId]))).toEqual(
		Object.fromEntries(moves)
	);
	await screenshotPage(ada.page, 'placement-panel-1280x800');
});

test('a card dragged a little across a column edge lands in the column under the pointer', async ({ browser }) => {
	const ada = await signUpViaApi(browser, 'ada', 'Ada Owner');
	const ben = await signUpViaApi(browser, 'ben', 'Ben Editor');
	people = [ada, ben];
	const boardId = await createBoardViaApi(ada, 'Drop placement', {
		journey: threeStages('Drop placement', [
			{ id: 't1', title: 'Edge card', stageId: 'stage-a', x: 470, y: 50 },
			{ id: 't2', title: 'Waiting card', stageId: 'stage-b', x: 680, y: 50 }
		])
	});
	await shareViaApi(ada, boardId, ben, 'editor');
	await openBoard(ada, boardId);
	await openBoard(ben, boardId);
	const { page } = ada;
	await fit(page);
	const edge = card(page, 'Edge card');
	const start = await boxOf(edge);
	const firstColumn = await boxOf(page.getByTestId('stage-header').first());
	const columnEdge = firstColumn.x + firstColumn.width;
	// Grab the card near its right side and move the pointer just past the column edge: most of
	// the card is still over the first column, the pointer is over the second.
	const grab = { x: start.x + start.width - 8, y: start.y + start.height / 2 };
	await page.mouse.move(grab.x, grab.y);
	await page.mouse.down();
	await page.mouse.move(columnEdge + 12, grab.y + 4, { steps: 20 });
	await page.mouse.up();

	await expect
		.poll(async () => (await serverJourney(ada, boardId)).touchpoints.find((t) => t.title === 'Edge card')?.stageId)
		.toBe('stage-b');
	for (const person of people) {
		await fit(person.page);
		await expect.poll(async () => stageUnder(person.page, await boxOf(card(person.page, 'Edge card')))).toBe('Waiting');
		await expect.poll(() => overlappingCards(person.page)).toEqual([]);
	}
});

test('five people pressing "Add touchpoint" at once get five cards, none covering another, on every screen', async ({ browser }) => {
	// Five browsers on a shared two-core machine.
	test.setTimeout(180_000);
	const owner = await signUpViaApi(browser, 'owner', 'Fay Facilitator', { viewport: { width: 1440, height: 900 } });
	const others = await Promise.all(
		['gus', 'hal', 'ivy', 'joy'].map((label, index) =>
			signUpViaApi(browser, label, `${label[0].toUpperCase()}${label.slice(1)} ${index + 1}`)
		)
	);
	people = [owner, ...others];
	const boardId = await createBoardViaApi(owner, 'Five at once', 'lifecycle');
	for (const person of others) await shareViaApi(owner, boardId, person, 'editor');
	for (const person of people) await openBoard(person, boardId);
	await Promise.all(people.map((person) => person.page.getByTestId('add-touchpoint').click()));

	await expect.poll(async () => (await serverJourney(owner, boardId)).touchpoints.length).toBe(5);
	for (const person of people) {
		await fit(person.page);
		await expect(person.page.getByTestId('touchpoint')).toHaveCount(5);
		await expect.poll(() => overlappingCards(person.page)).toEqual([]);
	}
	// Every screen shows every card at the same place on the canvas.
	const places = (page: Page) =>
		page
			.locator('.svelte-flow__node')
			.evaluateAll((nodes) => nodes.map((node) => `${node.getAttribute('data-id')} ${(node as HTMLElement).style.transform}`).sort());
	for (const person of others) await expect.poll(() => places(person.page)).toEqual(await places(owner.page));
	const journey = await serverJourney(owner, boardId);
	const cells = new Set(journey.touchpoints.map((t) => `${t.stageId}/${t.laneId}`));
	// All in one cell: the stage at the centre of the view, in its touchpoints lane.
	expect(cells.size).toBe(1);
	expect([...cells][0]).toMatch(/\/lane-touchpoints$/);

	await screenshotPage(owner.page, 'placement-five-added-1440x900');
	await owner.page.setViewportSize({ width: 1280, height: 720 });
	await fit(owner.page);
	await expect.poll(() => overlappingCards(owner.page)).toEqual([]);
	await screenshotPage(owner.page, 'placement-five-added-1280x720');
});

test('a double-click on an empty cell adds a card there with its title ready to type; Tidy lines a cell up in journey order', async ({
	browser
}) => {
	const ada = await signUpViaApi(browser, 'ada', 'Ada Owner');
	people = [ada];
	const boardId = await createBoardViaApi(ada, 'Double-click', {
		journey: threeStages('Double-click', [
			{ id: 't1', title: 'Second', stageId: 'stage-c', x: 1280 + 260, y: 20 },
			{ id: 't2', title: 'First', stageId: 'stage-c', x: 1280 + 30, y: 90 },
			{ id: 't3', title: 'Third', stageId: 'stage-c', x: 1280 + 420, y: 60 }
		])
	});
	await openBoard(ada, boardId);
	const { page } = ada;
	await fit(page);
	const zoom = async () => page.locator('.svelte-flow__viewport').evaluate((element) => getComputedStyle(element).transform);
	const before = await zoom();

	// Double-click the empty middle of the Waiting column, in the Backstage lane.
	const waiting = await boxOf(page.getByTestId('stage-header').nth(1));
	const backstage = await boxOf(page.getByTestId('lane-header').nth(1));
	await page.mouse.dblclick(waiting.x + waiting.width / 2, backstage.y + backstage.height / 2);
	const title = page.getByTestId('inspector').getByTestId('touchpoint-title');
	await expect(title).toBeFocused();
	await page.keyboard.type('Back office check');
	await expect(card(page, 'Back office check')).toBeVisible();
	expect(await zoom()).toBe(before);
	await expect
		.poll(async () => (await serverJourney(ada, boardId)).touchpoints.find((t) => t.title === 'Back office check'))
		.toMatchObject({ stageId: 'stage-b', laneId: 'lane-b' });
	expect(await stageUnder(page, await boxOf(card(page, 'Back office check')))).toBe('Waiting');

	// Tidy the Service cell: the three cards in one row, in journey order (left to right as they were).
	await selectCard(page, 'Second');
	await page.getByTestId('tidy').click();
	await expect
		.poll(async () => {
			const journey = await serverJourney(ada, boardId);
			const cell = journey.touchpoints.filter((t) => t.stageId === 'stage-c').sort((a, b) => a.x - b.x);
			return { titles: cell.map((t) => t.title), rows: new Set(cell.map((t) => t.y)).size };
		})
		.toEqual({ titles: ['First', 'Second', 'Third'], rows: 1 });
	await expect.poll(() => overlappingCards(page)).toEqual([]);
	// One undo step puts them back.
	await page.getByTestId('undo').click();
	await expect
		.poll(async () => new Set((await serverJourney(ada, boardId)).touchpoints.filter((t) => t.stageId === 'stage-c').map((t) => t.y)).size)
		.toBe(3);
	await expectSynced(page);
});
