import { expect, test, type ConsoleMessage, type Page } from '@playwright/test';
import {
	closeAll,
	createBoardViaApi,
	openBoard,
	screenshotPage,
	serverJourney,
	shareViaApi,
	signUpViaApi,
	smallJourney,
	type Person
} from './people';

// Issue 13: the whole add, edit, comment, mention and reply flow by keyboard alone, where no stray
// key loses what someone typed; and no Svelte warning in the console while typing.

let people: Person[] = [];

test.afterEach(async () => {
	await closeAll(people);
	people = [];
});

/** The screens the comments panel is looked at on. */
const SCREEN_SIZES = [
	{ width: 1280, height: 720 },
	{ width: 1440, height: 900 }
];

/** Most key presses a keyboard user should need to reach the next control in this flow. */
const MAX_PRESSES = 8;

/** Presses `key` until `target` has the focus (at most MAX_PRESSES times); returns how many presses it took. */
async function pressUntilFocused(page: Page, key: 'Tab' | 'Shift+Tab', testId: string): Promise<number> {
	for (let presses = 1; presses <= MAX_PRESSES; presses++) {
		await page.keyboard.press(key);
		if (await page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testId)) return presses;
	}
	throw new Error(`${testId} not reached with ${MAX_PRESSES} presses of ${key}`);
}

/** Warnings and errors in the browser console from Svelte or its libraries ("[svelte-put/shortcut] …", svelte.dev/e/…). */
function svelteWarnings(messages: ConsoleMessage[]): string[] {
	return messages
		.filter((message) => message.type() === 'warning' || message.type() === 'error')
		.map((message) => message.text())
		.filter((text) => /svelte/i.test(text));
}

test('a card is added, titled, commented with a picked @mention and replied to, by keyboard alone', async ({ browser }) => {
	const owner = await signUpViaApi(browser, 'owner', 'Olga Owner');
	const mia = await signUpViaApi(browser, 'mia', 'Mia Member');
	const max = await signUpViaApi(browser, 'max', 'Max Mover');
	people = [owner, mia, max];
	const boardId = await createBoardViaApi(owner, 'Keyboard board', {
		journey: smallJourney('Keyboard board', [{ id: 'tp-queue', title: 'Queueing', kind: 'negative-peak', emotion: -4 }])
	});
	await shareViaApi(owner, boardId, mia, 'editor');
	await shareViaApi(owner, boardId, max, 'commenter');
	const { page } = owner;
	const messages: ConsoleMessage[] = [];
	page.on('console', (message) => messages.push(message));
	await openBoard(owner, boardId);

	await test.step('"+ Add touchpoint" puts the focus in the new card’s title; typing names the card', async () => {
		await page.getByTestId('add-touchpoint').focus();
		await page.keyboard.press('Enter');
		const title = page.getByTestId('inspector').getByTestId('touchpoint-title');
		await expect(title).toBeFocused();
		await page.keyboard.type('Greeter at the door');
		await expect(title).toHaveValue('Greeter at the door');
		await expect
			.poll(async () => (await serverJourney(owner, boardId)).touchpoints.map((touchpoint) => touchpoint.title).sort())
			.toEqual(['Greeter at the door', 'Queueing']);
		// The cards have names a screen reader reads out.
		await expect(page.getByRole('group', { name: 'Touchpoint: Queueing, Negative peak, stage Arrival, lane Touchpoints' })).toHaveCount(1);
		await expect(page.getByRole('group', { name: /^Touchpoint: Greeter at the door, Neutral, stage \w+, lane Touchpoints$/ })).toHaveCount(
			1
		);
	});

	const input = page.getByTestId('comments-panel').getByTestId('comment-input').first();
	await test.step('the comments tab and its box are a few key presses away', async () => {
		await pressUntilFocused(page, 'Shift+Tab', 'tab-comments');
		await page.keyboard.press('Enter');
		await expect(page.getByTestId('comments-panel')).toBeVisible();
		await pressUntilFocused(page, 'Tab', 'comment-input');
	});

	await test.step('@mention: ArrowDown and Enter pick a suggestion; Escape closes the list and keeps the text', async () => {
		await page.keyboard.type('Who greets people here, @M');
		const options = page.getByTestId('mention-option');
		await expect(options).toHaveCount(2);
		const names = await options.evaluateAll((buttons) =>
			buttons.map((button) => button.textContent!.trim().split(' ').slice(0, 2).join(' '))
		);
		await expect(options.nth(0)).toHaveAttribute('aria-selected', 'true');
		await page.keyboard.press('ArrowDown');
		await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
		await expect(input).toHaveAttribute('aria-activedescendant', (await options.nth(1).getAttribute('id'))!);
		await page.keyboard.press('ArrowUp');
		await page.keyboard.press('ArrowDown');
		await page.keyboard.press('Enter');
		await expect(page.getByTestId('mention-list')).toHaveCount(0);
		await expect(input).toHaveValue(`Who greets people here, ${names[1]} `);
		await expect(input).toBeFocused();

		await page.keyboard.type('and @Mi');
		await expect(page.getByTestId('mention-option')).toHaveCount(1);
		for (const viewport of SCREEN_SIZES) {
			await page.setViewportSize(viewport);
			await screenshotPage(page, `keyboard-01-mention-suggestions-${viewport.width}`);
		}
		await page.keyboard.press('Escape');
		await expect(page.getByTestId('mention-list')).toHaveCount(0);
		await expect(input).toHaveValue(`Who greets people here, ${names[1]} and @Mi`);
		await page.keyboard.type('a?');
		await page.keyboard.press('Control+Enter');
		await expect(input).toHaveValue('');
		const thread = page.getByTestId('comment-thread');
		await expect(thread).toHaveCount(1);
		await expect(thread.getByTestId('comment-body').locator('mark')).toHaveText(names[1]);
	});

	await test.step('Reply puts the focus in its box; a space types a space; a closed box keeps the draft', async () => {
		const thread = page.getByTestId('comment-thread');
		await pressUntilFocused(page, 'Tab', 'comment-reply');
		await page.keyboard.press('Enter');
		const reply = thread.getByTestId('comment-input');
		await expect(reply).toBeFocused();
		await page.keyboard.press(' ');
		await expect(reply).toBeVisible();
		await expect(reply).toHaveValue(' ');
		await page.keyboard.type('Ask the branch manager @Ma');
		await page.keyboard.press('Escape');
		await expect(reply).toHaveValue(' Ask the branch manager @Ma');
		await expect(reply).toBeVisible();
		// Back to "Reply" and Enter: the box closes; the text waits behind the button.
		await pressUntilFocused(page, 'Shift+Tab', 'comment-reply');
		await page.keyboard.press('Enter');
		await expect(reply).toHaveCount(0);
		await expect(thread.getByTestId('reply-draft')).toBeVisible();
		for (const viewport of SCREEN_SIZES) {
			await page.setViewportSize(viewport);
			await screenshotPage(page, `keyboard-02-reply-draft-kept-${viewport.width}`);
		}
		await page.keyboard.press('Enter');
		await expect(reply).toBeFocused();
		await expect(reply).toHaveValue(' Ask the branch manager @Ma');
		await page.keyboard.type('x');
		await page.keyboard.press('Enter');
		await expect(reply).toHaveValue(' Ask the branch manager @Max Mover ');
		await page.keyboard.press('Control+Enter');
		await expect(thread.getByTestId('comment')).toHaveCount(2);
		await expect(thread).toHaveAttribute('data-resolved', 'false');
		await screenshotPage(page, 'keyboard-03-replied');
	});

	expect(svelteWarnings(messages)).toEqual([]);
});
