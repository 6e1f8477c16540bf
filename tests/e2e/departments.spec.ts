import { expect, test } from '@playwright/test';
import {
	card,
	closeAll,
	createBoardViaApi,
	openBoard,
	screenshotPage,
	selectCard,
	serverJourney,
	signUpViaApi,
	type Person
} from './people';

let people: Person[] = [];
test.afterEach(async () => {
	await closeAll(people);
	people = [];
});

/** Scores that give a card a negative weighted gap (experience 3 against 8 expected, importance 5). */
const SHORTFALL = { expectation: 8, experience: 3, importance: 5 };

function departmentJourney() {
	const touchpoint = (id: string, title: string, index: number, fields: Record<string, unknown>) => ({
		id,
		title,
		stageId: index < 2 ? 'stage-a' : 'stage-b',
		laneId: 'lane-t',
		description: '',
		kind: 'neutral',
		channel: '',
		owner: '',
		x: 40 + (index % 2) * 170 + (index < 2 ? 0 : 640),
		y: 40,
		...fields
	});
	return {
		format: 'journey-map/v1',
		title: 'Account opening',
		stages: [
			{ id: 'stage-a', name: 'Arrival', order: 1 },
			{ id: 'stage-b', name: 'Service', order: 2 }
		],
		lanes: [{ id: 'lane-t', name: 'Touchpoints', order: 1, type: 'touchpoints' }],
		touchpoints: [
			touchpoint('tp-1', 'Open the app', 0, { owner: 'Digital', channel: 'App', ...SHORTFALL }),
			touchpoint('tp-2', 'Upload ID', 1, { owner: 'digital ', channel: 'app', kind: 'negative-peak', ...SHORTFALL }),
			touchpoint('tp-3', 'Sign at the counter', 2, { owner: 'Branch', channel: 'Counter', ...SHORTFALL }),
			touchpoint('tp-4', 'Welcome call', 3, {})
		],
		links: [],
		evidence: []
	};
}

test('department and channel fields suggest the board’s names, store them tidied, and the filter bar highlights one department', async ({
	browser
}) => {
	const owner = await signUpViaApi(browser, 'owner', 'Olivia Owner');
	people = [owner];
	const { page } = owner;
	const boardId = await createBoardViaApi(owner, 'Account opening', { journey: departmentJourney() });
	await openBoard(owner, boardId);

	await test.step('the owner field suggests each department once, and takes the board’s spelling', async () => {
		await selectCard(page, 'Welcome call');
		const inspector = page.getByTestId('inspector');
		const suggestions = inspector.getByTestId('department-suggestions').locator('option');
		await expect(suggestions).toHaveCount(2);
		expect(await suggestions.evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value))).toEqual([
			'Branch',
			'Digital'
		]);
		await expect(inspector.getByTestId('channel-suggestions').locator('option')).toHaveCount(2);
		await inspector.getByTestId('field-owner').fill('  DIGITAL  ');
		await inspector.getByTestId('field-owner').press('Tab');
		await expect(inspector.getByTestId('field-owner')).toHaveValue('Digital');
		await inspector.getByTestId('field-channel').fill('phone   call ');
		await inspector.getByTestId('field-channel').press('Tab');
		await expect(inspector.getByTestId('field-channel')).toHaveValue('phone call');
		await expect
			.poll(async () => (await serverJourney(owner, boardId)).touchpoints.find((touchpoint) => touchpoint.id === 'tp-4')?.owner)
			.toBe('Digital');
		await expect(card(page, 'Welcome call').getByTestId('card-department')).toHaveText('Digital');
		// A card that spells it otherwise shows the board's spelling too.
		await expect(card(page, 'Upload ID').getByTestId('card-department')).toHaveText('Digital');
	});

	await test.step('the filter bar dims every card outside the department', async () => {
		const filter = page.getByTestId('card-filter');
		const departments = filter.getByTestId('filter-department').locator('option');
		expect(await departments.allTextContents()).toEqual(['All', 'Branch', 'Digital', 'No department']);
		await filter.getByTestId('filter-department').selectOption({ label: 'Digital' });
		await expect(filter.getByTestId('filter-count')).toHaveText('3 cards match');
		for (const title of ['Open the app', 'Upload ID', 'Welcome call']) await expect(card(page, title)).not.toHaveClass(/dimmed/);
		await expect(card(page, 'Sign at the counter')).toHaveClass(/dimmed/);
		await filter.getByTestId('filter-kind').selectOption('negative-peak');
		await expect(filter.getByTestId('filter-count')).toHaveText('1 card matches');
		await expect(card(page, 'Open the app')).toHaveClass(/dimmed/);
		await filter.getByTestId('filter-kind').selectOption({ label: 'All' });
		await filter.getByTestId('filter-channel').selectOption({ label: 'App' });
		await expect(filter.getByTestId('filter-count')).toHaveText('2 cards match');
		for (const size of [
			{ width: 1280, height: 720 },
			{ width: 1440, height: 900 }
		]) {
			await page.setViewportSize(size);
			await screenshotPage(page, `department-filter-${size.width}`);
		}
		await filter.getByTestId('filter-clear').click();
		await expect(page.locator('[data-testid=touchpoint].dimmed')).toHaveCount(0);
	});

	await test.step('the summary groups the department’s spellings together', async () => {
		await page.goto(`/boards/${boardId}/summary`);
		const departments = page.getByTestId('summary-departments').locator('li');
		await expect(departments).toHaveCount(2);
		await expect(departments.nth(0)).toContainText('Digital');
		await expect(departments.nth(0)).toContainText('−50');
		await expect(departments.nth(1)).toContainText('Branch');
	});
});
