import { expect, test, type Page } from '@playwright/test';
import {
	card,
	closeAll,
	createBoardViaApi,
	openBoard,
	renameStage,
	screenshotPage,
	selectCard,
	serverJourney,
	shareViaApi,
	signUpViaApi,
	smallJourney,
	type Person
} from './people';

let people: Person[] = [];
test.afterEach(async () => {
	await closeAll(people);
	people = [];
});

/** Milliseconds between two keys of one person, as someone types. */
const KEY_DELAY_MS = 40;
/** The most characters a title takes (`LIMITS.title`). */
const TITLE_LIMIT = 300;
const ALICE_WORDS = ' Alice types here';
const BOB_WORDS = ' Bob adds this';

const titleField = (page: Page) => page.getByTestId('inspector').getByTestId('touchpoint-title');

test('two people typing into one title at once each keep their words together, and see each other at the field and on the card', async ({
	browser
}) => {
	// Two people type key by key on one machine that also runs the server.
	test.setTimeout(120_000);
	const alice = await signUpViaApi(browser, 'alice', 'Alice Adams');
	const bob = await signUpViaApi(browser, 'bob', 'Bob Brown');
	people = [alice, bob];
	const boardId = await createBoardViaApi(alice, 'Branch visit', {
		journey: smallJourney('Branch visit', [{ id: 'tp-1', title: 'Greeting' }])
	});
	await shareViaApi(alice, boardId, bob, 'editor');
	for (const person of people) {
		await openBoard(person, boardId);
		await selectCard(person.page, 'Greeting');
	}

	await test.step('each sees the other at the field and on the card', async () => {
		await titleField(alice.page).click();
		await titleField(alice.page).press('End');
		await expect(bob.page.getByTestId('inspector').getByTestId('field-editor')).toHaveAttribute('data-name', 'Alice Adams');
		await expect(card(bob.page, 'Greeting').getByTestId('card-editors')).toContainText('Alice Adams');
		await titleField(bob.page).click();
		await titleField(bob.page).press('End');
		await expect(alice.page.getByTestId('inspector').getByTestId('field-editor')).toHaveAttribute('data-name', 'Bob Brown');
		await expect(card(alice.page, 'Greeting').getByTestId('card-editors')).toContainText('Bob Brown');
	});

	const merged = await test.step('both type at the same moment', async () => {
		await Promise.all([
			alice.page.keyboard.type(ALICE_WORDS, { delay: KEY_DELAY_MS }),
			bob.page.keyboard.type(BOB_WORDS, { delay: KEY_DELAY_MS })
		]);
		const expected = ['Greeting' + ALICE_WORDS + BOB_WORDS, 'Greeting' + BOB_WORDS + ALICE_WORDS];
		await expect.poll(() => titleField(alice.page).inputValue()).toHaveLength(expected[0].length);
		const value = await titleField(alice.page).inputValue();
		expect(expected).toContain(value);
		await expect(titleField(bob.page)).toHaveValue(value);
		return value;
	});

	await test.step('the card, the other screen and the journey read the merged title', async () => {
		await expect(card(alice.page, merged)).toHaveCount(1);
		await expect(card(bob.page, merged)).toHaveCount(1);
		await expect.poll(async () => (await serverJourney(alice, boardId)).touchpoints[0].title).toBe(merged);
		for (const size of [
			{ width: 1280, height: 720 },
			{ width: 1440, height: 900 }
		]) {
			for (const person of people) {
				await person.page.setViewportSize(size);
				await screenshotPage(person.page, `editing-together-${size.width}-${person.label}`);
			}
		}
	});

	await test.step('undo takes back only one person’s words', async () => {
		// Typing is grouped into undo steps by pauses, so a slow machine may need more than one.
		const withoutAlice = merged.replace(ALICE_WORDS, '');
		await expect(async () => {
			if ((await titleField(alice.page).inputValue()) !== withoutAlice) await alice.page.keyboard.press('ControlOrMeta+z');
			expect(await titleField(alice.page).inputValue()).toBe(withoutAlice);
		}).toPass({ intervals: [100] });
		await expect(titleField(bob.page)).toHaveValue(withoutAlice);
	});
});

test('each person sees the other’s caret and selection in the field, in their colour with their name', async ({ browser }) => {
	test.setTimeout(90_000);
	const alice = await signUpViaApi(browser, 'alice', 'Alice Adams');
	const bob = await signUpViaApi(browser, 'bob', 'Bob Brown');
	people = [alice, bob];
	const boardId = await createBoardViaApi(alice, 'Branch visit', {
		journey: smallJourney('Branch visit', [{ id: 'tp-1', title: 'Greeting' }])
	});
	await shareViaApi(alice, boardId, bob, 'editor');
	for (const person of people) {
		await openBoard(person, boardId);
		await selectCard(person.page, 'Greeting');
	}
	const aliceCaret = bob.page.getByTestId('inspector').getByTestId('remote-caret');
	const caretLeft = async () => (await aliceCaret.boundingBox())?.x ?? Number.NaN;

	await titleField(alice.page).click();
	await titleField(alice.page).press('End');
	await alice.page.keyboard.type(' desk', { delay: KEY_DELAY_MS });
	await expect(titleField(bob.page)).toHaveValue('Greeting desk');
	await expect(aliceCaret).toHaveAttribute('data-name', 'Alice Adams');
	await expect(aliceCaret).toContainText('Alice Adams');
	const atEnd = await caretLeft();

	await titleField(alice.page).press('Home');
	await expect.poll(caretLeft).toBeLessThan(atEnd);
	const atStart = await caretLeft();
	const fieldBox = await titleField(bob.page).boundingBox();
	expect(atStart).toBeGreaterThanOrEqual(fieldBox!.x);

	// Bob types in front of Alice's caret: it stays after "desk", moved right by his words.
	await titleField(alice.page).press('End');
	await expect.poll(caretLeft).toBe(atEnd);
	await titleField(bob.page).click();
	await titleField(bob.page).press('Home');
	await bob.page.keyboard.type('Warm ', { delay: KEY_DELAY_MS });
	await expect(titleField(alice.page)).toHaveValue('Warm Greeting desk');
	await expect.poll(caretLeft).toBeGreaterThan(atEnd);
	await expect(alice.page.getByTestId('inspector').getByTestId('remote-caret')).toHaveAttribute('data-name', 'Bob Brown');

	await titleField(alice.page).press('Shift+Home');
	await expect(bob.page.getByTestId('inspector').getByTestId('remote-selection')).toHaveAttribute('data-name', 'Alice Adams');
	for (const size of [
		{ width: 1280, height: 720 },
		{ width: 1440, height: 900 }
	]) {
		await bob.page.setViewportSize(size);
		await screenshotPage(bob.page, `remote-caret-${size.width}`);
	}

	await titleField(alice.page).blur();
	await expect(aliceCaret).toHaveCount(0);
});

test('the characters-left count follows the title as either person types near its limit', async ({ browser }) => {
	test.setTimeout(90_000);
	const alice = await signUpViaApi(browser, 'alice', 'Alice Adams');
	const bob = await signUpViaApi(browser, 'bob', 'Bob Brown');
	people = [alice, bob];
	const long = 'A note from the interview pasted as the title. '.repeat(7).slice(0, TITLE_LIMIT - 45);
	const boardId = await createBoardViaApi(alice, 'Branch visit', { journey: smallJourney('Branch visit', [{ id: 'tp-1', title: long }]) });
	await shareViaApi(alice, boardId, bob, 'editor');
	for (const person of people) {
		await openBoard(person, boardId);
		await person.page.locator('[data-testid=touchpoint][data-id="tp-1"]').click();
	}
	const count = (person: Person) => person.page.getByTestId('inspector').getByTestId('title-limit');
	await expect(count(alice)).toBeHidden();

	await titleField(alice.page).click();
	await titleField(alice.page).press('End');
	await alice.page.keyboard.type('12345', { delay: KEY_DELAY_MS });
	await expect(count(alice)).toHaveText('40 characters left');
	await expect(count(bob)).toHaveText('40 characters left');

	await titleField(bob.page).click();
	await titleField(bob.page).press('Home');
	await bob.page.keyboard.type('Bob: ', { delay: KEY_DELAY_MS });
	await expect(count(bob)).toHaveText('35 characters left');
	await expect(count(alice)).toHaveText('35 characters left');
	await expect(titleField(alice.page)).toBeFocused();

	await bob.page.keyboard.press('Backspace');
	await expect(count(alice)).toHaveText('36 characters left');
});

test('while one person renames a stage or lane, the others see who and wait, so no two renames mix', async ({ browser }) => {
	test.setTimeout(90_000);
	const alice = await signUpViaApi(browser, 'alice', 'Alice Adams');
	const bob = await signUpViaApi(browser, 'bob', 'Bob Brown');
	people = [alice, bob];
	const boardId = await createBoardViaApi(alice, 'Branch visit', {
		journey: smallJourney('Branch visit', [{ id: 'tp-1', title: 'Greeting' }])
	});
	await shareViaApi(alice, boardId, bob, 'editor');
	for (const person of people) await openBoard(person, boardId);
	const stageHeader = (person: Person, name: string) => person.page.locator(`[data-testid=stage-header][data-stage="${name}"]`);
	const laneHeader = (person: Person, name: string) => person.page.locator(`[data-testid=lane-header][data-lane="${name}"]`);

	await stageHeader(alice, 'Arrival').locator('.name').dblclick();
	await expect(stageHeader(alice, 'Arrival').locator('input')).toBeFocused();
	await expect(stageHeader(bob, 'Arrival').getByTestId('renamer')).toHaveText('✎ Alice Adams is renaming');
	// Marked disabled for assistive technology; a double-click is still tried, as a person would.
	await stageHeader(bob, 'Arrival').locator('.name').dblclick({ force: true });
	await expect(stageHeader(bob, 'Arrival').locator('input')).toHaveCount(0);
	await expect(stageHeader(bob, 'Arrival').locator('.name')).toHaveAttribute(
		'title',
		'Alice Adams is renaming this; wait until they are done'
	);
	for (const size of [
		{ width: 1280, height: 720 },
		{ width: 1440, height: 900 }
	]) {
		await bob.page.setViewportSize(size);
		await screenshotPage(bob.page, `renaming-stage-${size.width}`);
	}

	await stageHeader(alice, 'Arrival').locator('input').fill('Welcome');
	await stageHeader(alice, 'Arrival').locator('input').press('Enter');
	await expect(stageHeader(bob, 'Welcome').getByTestId('renamer')).toHaveCount(0);
	await expect.poll(async () => (await serverJourney(alice, boardId)).stages.map((stage) => stage.name)).toContain('Welcome');
	await renameStage(bob.page, 'Welcome', 'Welcome desk');
	await expect(stageHeader(alice, 'Welcome desk')).toHaveCount(1);

	await laneHeader(bob, 'Touchpoints').locator('.name').dblclick();
	await expect(laneHeader(alice, 'Touchpoints').getByTestId('renamer')).toHaveText('✎ Bob Brown is renaming');
	await laneHeader(bob, 'Touchpoints').locator('input').press('Escape');
	await expect(laneHeader(alice, 'Touchpoints').getByTestId('renamer')).toHaveCount(0);
});
