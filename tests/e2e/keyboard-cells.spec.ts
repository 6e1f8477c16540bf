import { expect, test, type Page } from '@playwright/test';
import { closeAll, createBoardViaApi, openBoard, serverJourney, signUpViaApi, smallJourney, type Person } from './people';

let people: Person[] = [];
test.afterEach(async () => {
	await closeAll(people);
	people = [];
});

/** Two stages, two lanes: "Greeting" in the first stage, "Queue ticket" in the second, both in Touchpoints. */
function twoLaneJourney() {
	const journey = smallJourney('Branch visit', [
		{ id: 'tp-1', title: 'Greeting' },
		{ id: 'tp-2', title: 'Queue ticket' }
	]);
	journey.lanes.push({ id: 'lane-b', name: 'Backstage', order: 2, type: 'backstage' });
	return journey;
}

const focusedCard = (page: Page) =>
	page.evaluate(() => document.activeElement?.closest('.svelte-flow__node')?.getAttribute('data-id') ?? null);
const node = (page: Page, id: string) => page.locator(`.svelte-flow__node[data-id="${id}"]`);

test('by keyboard: arrows go from card to card, Enter selects, Alt+arrows move the card to the next stage or lane, announced and undone in one step', async ({
	browser
}) => {
	const ada = await signUpViaApi(browser, 'ada', 'Ada', { viewport: { width: 1440, height: 900 } });
	people = [ada];
	const boardId = await createBoardViaApi(ada, 'Branch visit', { journey: twoLaneJourney() });
	await openBoard(ada, boardId);
	const { page } = ada;
	const announcement = page.getByTestId('canvas-announcement');
	const placeOf = async () => {
		const touchpoint = (await serverJourney(ada, boardId)).touchpoints.find((candidate) => candidate.id === 'tp-1')!;
		return `${touchpoint.stageId} ${touchpoint.laneId}`;
	};

	await test.step('arrows move the focus between cards that are not selected', async () => {
		await node(page, 'tp-1').focus();
		await page.keyboard.press('ArrowRight');
		await expect.poll(() => focusedCard(page)).toBe('tp-2');
		await page.keyboard.press('ArrowLeft');
		await expect.poll(() => focusedCard(page)).toBe('tp-1');
		await expect(node(page, 'tp-1')).not.toHaveClass(/selected/);
	});

	await test.step('Enter selects the focused card', async () => {
		await page.keyboard.press('Enter');
		await expect(node(page, 'tp-1')).toHaveClass(/selected/);
		await expect(page.getByTestId('inspector').getByTestId('touchpoint-title')).toHaveValue('Greeting');
	});

	await test.step('Alt+arrows move it into the next stage, then the next lane, covering no card', async () => {
		await page.keyboard.press('Alt+ArrowRight');
		await expect(announcement).toHaveText('“Greeting” moved to stage Service, lane Touchpoints.');
		await expect.poll(placeOf).toBe('stage-b lane-t');
		const moved = (await node(page, 'tp-1').boundingBox())!;
		const other = (await node(page, 'tp-2').boundingBox())!;
		const apart =
			moved.x + moved.width <= other.x ||
			other.x + other.width <= moved.x ||
			moved.y + moved.height <= other.y ||
			other.y + other.height <= moved.y;
		expect(apart).toBe(true);
		await expect.poll(() => focusedCard(page)).toBe('tp-1');
		await page.keyboard.press('Alt+ArrowDown');
		await expect(announcement).toHaveText('“Greeting” moved to stage Service, lane Backstage.');
		await expect.poll(placeOf).toBe('stage-b lane-b');
		await page.keyboard.press('Alt+ArrowDown');
		await expect(announcement).toHaveText('No stage or lane further that way.');
	});

	await test.step('each move is one undo step', async () => {
		await page.keyboard.press('ControlOrMeta+z');
		await expect.poll(placeOf).toBe('stage-b lane-t');
		await page.keyboard.press('ControlOrMeta+z');
		await expect.poll(placeOf).toBe('stage-a lane-t');
	});
});
