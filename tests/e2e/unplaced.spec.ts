import { expect, test } from '@playwright/test';
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
	smallJourney,
	type Person
} from './people';

// A card whose stage or lane another member deleted stays on the board, in the Unplaced area
// below the grid, and goes back into the grid for everyone when dragged into a cell.

let people: Person[] = [];

test.afterEach(async () => {
	await closeAll(people);
	people = [];
});

test('an unplaced card waits in the Unplaced area and is dragged back into a cell for everyone', async ({ browser }) => {
	const ada = await signUpViaApi(browser, 'ada', 'Ada Owner', { viewport: { width: 1280, height: 720 } });
	const ben = await signUpViaApi(browser, 'ben', 'Ben Editor');
	people = [ada, ben];
	const journey = smallJourney('Unplaced cards', [
		{ id: 't1', title: 'Greeting', emotion: 2 },
		{ id: 't2', title: 'Queue', emotion: -3 },
		{ id: 't3', title: 'Lost card', emotion: 1 }
	]);
	// As export gives it once the stage was deleted while someone added the card to it.
	journey.touchpoints[2].stageId = 'stage-deleted';
	const boardId = await createBoardViaApi(ada, 'Unplaced cards', { journey });
	await shareViaApi(ada, boardId, ben, 'editor');
	await openBoard(ada, boardId);
	await openBoard(ben, boardId);

	const area = ada.page.getByTestId('unplaced-area');
	await fitView(ada.page);
	await expect(area).toBeVisible();
	await expect(area).toContainText('Unplaced cards');
	const lost = card(ada.page, 'Lost card');
	await expect(lost).toBeVisible();
	const areaBox = (await area.boundingBox())!;
	const cardBox = (await lost.boundingBox())!;
	expect(cardBox.y).toBeGreaterThan(areaBox.y);
	expect(cardBox.y + cardBox.height).toBeLessThan(areaBox.y + areaBox.height + 1);
	await ada.page.getByTestId('tab-analysis').click();
	await expect(ada.page.getByTestId('analysis-panel')).toContainText('Its stage or lane is gone');
	await screenshotPage(ada.page, 'unplaced-area');

	// Into the cell of stage "Service" and the only lane, right of the card already there.
	const stage = (await ada.page.locator('[data-testid=stage-header][data-stage="Service"]').boundingBox())!;
	const lane = (await ada.page.getByTestId('lane-header').first().boundingBox())!;
	await ada.page.mouse.move(cardBox.x + cardBox.width / 2, cardBox.y + cardBox.height / 2);
	await ada.page.mouse.down();
	await ada.page.mouse.move(stage.x + stage.width * 0.7, lane.y + lane.height / 2, { steps: 12 });
	await ada.page.mouse.up();

	await expect(area).toHaveCount(0);
	await expect(ben.page.getByTestId('unplaced-area')).toHaveCount(0);
	await expect
		.poll(async () => (await serverJourney(ada, boardId)).touchpoints.find((touchpoint) => touchpoint.id === 't3'))
		.toMatchObject({ stageId: 'stage-b', laneId: 'lane-t' });
	const analysis = await ada.page.request.get(`/api/boards/${boardId}/analysis`);
	expect((await analysis.json()).markings.filter((marking: { issue: string }) => marking.issue === 'unplaced')).toEqual([]);
});
