import { expect, test, type Locator } from '@playwright/test';
import { closeAll, createBoardViaApi, openBoard, screenshotPage, signUpViaApi, smallJourney, type Person } from './people';

let people: Person[] = [];
test.afterEach(async () => {
	await closeAll(people);
	people = [];
});

const LONG_TITLE = 'The customer pastes a very long note from the interview transcript into the title. '.repeat(3).trim();

const DESCRIPTION = 'Heard in three interviews: the note is longer than the card and must be readable in full.';

/** A board whose first cell holds a long-titled card (with a description) above another card, and a Notes lane below. */
function stackedJourney() {
	const journey = smallJourney('Branch visit', [
		{ id: 'tp-long', title: LONG_TITLE },
		{ id: 'tp-side', title: 'Queue ticket' }
	]);
	journey.lanes.push({ id: 'lane-n', name: 'Notes', order: 2, type: 'notes' });
	journey.touchpoints.push({ ...journey.touchpoints[0], id: 'tp-below', title: 'Greeting', y: 300 });
	Object.assign(journey.touchpoints[0], { description: DESCRIPTION });
	return journey;
}

const cardById = (person: Person, id: string) => person.page.locator(`[data-testid=touchpoint][data-id="${id}"]`);
const box = async (target: Locator) => (await target.boundingBox())!;

test('"more" shows a long card whole, moving the card under it and growing the lane; "less" takes it back, by mouse and keyboard', async ({
	browser
}) => {
	const ada = await signUpViaApi(browser, 'ada', 'Ada', { viewport: { width: 1440, height: 900 } });
	people = [ada];
	const boardId = await createBoardViaApi(ada, 'Branch visit', { journey: stackedJourney() });
	await openBoard(ada, boardId);
	const long = cardById(ada, 'tp-long');
	const below = cardById(ada, 'tp-below');
	const more = long.getByTestId('card-more');
	const title = long.locator('.title');
	const notesLane = ada.page.getByTestId('lane-header').nth(1);
	await expect(more).toHaveText('more');
	await expect(long.getByTestId('card-description')).toHaveCount(0);
	const collapsed = await box(long);
	const belowBefore = await box(below);
	const notesBefore = await box(notesLane);

	await test.step('"more" grows the card to its whole title and description; the card under it and the next lane move clear', async () => {
		await more.click();
		await expect(more).toHaveAttribute('aria-expanded', 'true');
		await expect(more).toHaveText('less');
		await expect(long.getByTestId('card-description')).toHaveText(DESCRIPTION);
		await expect.poll(async () => (await box(long)).height).toBeGreaterThan(collapsed.height);
		// The whole title shows: nothing clamped, nothing to scroll.
		expect(await title.evaluate((element) => element.scrollHeight <= element.clientHeight + 1)).toBe(true);
		await expect.poll(async () => (await box(below)).y).toBeGreaterThanOrEqual((await box(long)).y + (await box(long)).height);
		await expect.poll(async () => (await box(notesLane)).y).toBeGreaterThanOrEqual((await box(below)).y + (await box(below)).height);
		expect((await box(notesLane)).y).toBeGreaterThan(notesBefore.y);
		await screenshotPage(ada.page, 'card-more-expanded');
		await ada.page.setViewportSize({ width: 1280, height: 720 });
		await screenshotPage(ada.page, 'card-more-expanded-1280x720');
		await ada.page.setViewportSize({ width: 1440, height: 900 });
	});

	await test.step('"less" returns the card, the card under it and the lane to where they were', async () => {
		await more.click();
		await expect(more).toHaveAttribute('aria-expanded', 'false');
		await expect(more).toHaveText('more');
		await expect(long.getByTestId('card-description')).toHaveCount(0);
		await expect.poll(async () => (await box(long)).height).toBe(collapsed.height);
		await expect.poll(async () => (await box(below)).y).toBe(belowBefore.y);
		await expect.poll(async () => (await box(notesLane)).y).toBe(notesBefore.y);
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
