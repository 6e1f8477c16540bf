import { expect, test, type Locator } from '@playwright/test';
import { closeAll, createBoardViaApi, openBoard, screenshotPage, signUpViaApi, smallJourney, type Person } from './people';

let people: Person[] = [];
test.afterEach(async () => {
	await closeAll(people);
	people = [];
});

const LONG_TITLE = 'The customer pastes a very long note from the interview transcript into the title. '.repeat(3).trim();

/** A board whose first cell holds a long-titled card with another card under it, and a Notes lane below. */
function stackedJourney() {
	const journey = smallJourney('Branch visit', [
		{ id: 'tp-long', title: LONG_TITLE },
		{ id: 'tp-side', title: 'Queue ticket' }
	]);
	journey.lanes.push({ id: 'lane-n', name: 'Notes', order: 2, type: 'notes' });
	journey.touchpoints.push({ ...journey.touchpoints[0], id: 'tp-below', title: 'Greeting', y: 300 });
	return journey;
}

const cardById = (person: Person, id: string) => person.page.locator(`[data-testid=touchpoint][data-id="${id}"]`);
const box = async (target: Locator) => (await target.boundingBox())!;

test('"more" and "less" expand and collapse a long card, which stays clear of the card under it, by mouse and keyboard', async ({
	browser
}) => {
	const ada = await signUpViaApi(browser, 'ada', 'Ada', { viewport: { width: 1440, height: 900 } });
	people = [ada];
	const boardId = await createBoardViaApi(ada, 'Branch visit', { journey: stackedJourney() });
	await openBoard(ada, boardId);
	const long = cardById(ada, 'tp-long');
	const below = cardById(ada, 'tp-below');
	const more = long.getByTestId('card-more');
	const notesLane = ada.page.getByTestId('lane-header').nth(1);
	await expect(more).toHaveText('more');
	const collapsed = await box(long);
	const clearOfOthers = async () => {
		const expanded = await box(long);
		expect(expanded.y + expanded.height).toBeLessThanOrEqual((await box(below)).y);
		expect(expanded.y + expanded.height).toBeLessThanOrEqual((await box(notesLane)).y);
	};

	await test.step('"more" grows the card into the room above the card under it, and "less" takes it back', async () => {
		await more.click();
		await expect(more).toHaveAttribute('aria-expanded', 'true');
		await expect(more).toHaveText('less');
		await expect.poll(async () => (await box(long)).height).toBeGreaterThan(collapsed.height);
		await clearOfOthers();
		await screenshotPage(ada.page, 'card-more-expanded');
		await more.click();
		await expect(more).toHaveAttribute('aria-expanded', 'false');
		await expect(more).toHaveText('more');
		await expect.poll(async () => (await box(long)).height).toBe(collapsed.height);
	});

	await test.step('the card under it moved away, the card expands to its cell’s bottom and still reads all of its title', async () => {
		await below.evaluate((element) => element.scrollIntoView());
		await ada.page.locator('[data-testid=touchpoint][data-id="tp-below"]').click();
		await ada.page.keyboard.press('Delete');
		await expect(below).toHaveCount(0);
		await more.click();
		await expect.poll(async () => (await box(long)).height).toBeGreaterThan(collapsed.height);
		const expanded = await box(long);
		expect(expanded.y + expanded.height).toBeLessThanOrEqual((await box(notesLane)).y);
		const title = long.locator('.title');
		// The rest of a title longer than the room scrolls in the card, by keyboard too.
		expect(await title.evaluate((element) => element.scrollHeight > element.clientHeight)).toBe(true);
		await title.focus();
		await ada.page.keyboard.press('End');
		await expect.poll(() => title.evaluate((element) => element.scrollTop)).toBeGreaterThan(0);
		await more.click();
		await expect(more).toHaveText('more');
	});

	await test.step('by keyboard: Tab from the card reaches "more", Enter expands, Enter on "less" collapses', async () => {
		await ada.page.locator('.svelte-flow__node[data-id="tp-long"]').focus();
		await ada.page.keyboard.press('Tab');
		await expect(more).toBeFocused();
		await ada.page.keyboard.press('Enter');
		await expect(more).toHaveText('less');
		await expect(more).toBeFocused();
		await ada.page.keyboard.press('Enter');
		await expect(more).toHaveText('more');
		await expect.poll(async () => (await box(long)).height).toBe(collapsed.height);
	});
});
