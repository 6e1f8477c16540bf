import { expect, test } from '@playwright/test';
import {
	card,
	closeShareDialog,
	createBoard,
	dragCard,
	expectSynced,
	flowPosition,
	openFromBoardList,
	screenshotAll,
	serverTouchpoints,
	share,
	signUp,
	type Person
} from './people';

/** Title the board gives a touchpoint made with the add button (English UI). */
const NEW_TOUCHPOINT = 'New touchpoint';

let people: Person[] = [];

test.afterEach(async () => {
	for (const person of people) await person.context.close();
	people = [];
});

test('owner and editor build a journey together, live, and a reload keeps it', async ({ browser }) => {
	const owner = await signUp(browser, 'owner', 'Olivia Owner');
	const editor = await signUp(browser, 'editor', 'Eddie Editor');
	people = [owner, editor];
	await screenshotAll('collab-01-signed-up', people);

	const boardId = await test.step('the owner creates a board from a template', async () => {
		const id = await createBoard(owner, 'Account opening', 'lifecycle');
		await expect(owner.page.getByTestId('board-title')).toHaveText('Account opening');
		await expectSynced(owner.page);
		await expect(owner.page.getByTestId('touchpoint')).toHaveCount(0);
		await screenshotAll('collab-02-board-created', [owner]);
		return id;
	});

	await test.step('the owner shares the board with the editor', async () => {
		await share(owner, editor, 'editor');
		await expect(owner.page.getByTestId('share-dialog').getByRole('listitem').filter({ hasText: editor.email })).toContainText('Editor');
		await screenshotAll('collab-03-share-dialog', [owner]);
		await closeShareDialog(owner);
	});

	await test.step('the editor finds the board in their list and opens it', async () => {
		await openFromBoardList(editor, boardId);
		await expect(editor.page.getByTestId('board-title')).toHaveText('Account opening');
		await expect(editor.page.getByTestId('read-only')).toHaveCount(0);
		await expect(editor.page.getByTestId('add-touchpoint')).toBeVisible();
		await screenshotAll('collab-04-both-open', people);
	});

	await test.step('a touchpoint the owner adds appears for the editor', async () => {
		await owner.page.getByTestId('add-touchpoint').click();
		await expect(card(owner.page, NEW_TOUCHPOINT)).toHaveCount(1);
		await expect(card(editor.page, NEW_TOUCHPOINT)).toHaveCount(1);
		await expect(card(editor.page, NEW_TOUCHPOINT)).toHaveAttribute('data-kind', 'neutral');
		await expect(editor.page.getByTestId('touchpoint')).toHaveCount(1);
		await screenshotAll('collab-05-touchpoint-added', people);
	});

	await test.step('the editor marks it a negative peak and the owner sees it', async () => {
		await card(editor.page, NEW_TOUCHPOINT).click();
		const inspector = editor.page.getByTestId('inspector');
		await expect(inspector.getByTestId('touchpoint-title')).toHaveValue(NEW_TOUCHPOINT);
		await inspector.locator('input[type=radio][value="negative-peak"]').check();
		await expect(card(editor.page, NEW_TOUCHPOINT)).toHaveAttribute('data-kind', 'negative-peak');
		await expect(card(owner.page, NEW_TOUCHPOINT)).toHaveAttribute('data-kind', 'negative-peak');
		// The owner has the same touchpoint open in their side panel, which follows too.
		await card(owner.page, NEW_TOUCHPOINT).click();
		await expect(owner.page.getByTestId('inspector').locator('input[type=radio][value="negative-peak"]')).toBeChecked();
		await screenshotAll('collab-06-kind-changed', people);
	});

	await test.step('renaming shows live for the other person', async () => {
		await editor.page.getByTestId('inspector').getByTestId('touchpoint-title').fill('Queue at the counter');
		await expect(card(owner.page, 'Queue at the counter')).toHaveCount(1);
		await expect(owner.page.getByTestId('inspector').getByTestId('touchpoint-title')).toHaveValue('Queue at the counter');
		// And the other way round, typed key by key.
		const ownerTitle = owner.page.getByTestId('inspector').getByTestId('touchpoint-title');
		await ownerTitle.fill('');
		await ownerTitle.pressSequentially('Long queue at the counter');
		await expect(card(editor.page, 'Long queue at the counter')).toHaveCount(1);
		await expect(editor.page.getByTestId('inspector').getByTestId('touchpoint-title')).toHaveValue('Long queue at the counter');
		await expect(editor.page.getByTestId('touchpoint')).toHaveCount(1);
		await screenshotAll('collab-07-renamed', people);
	});

	const title = 'Long queue at the counter';
	await test.step('the editor drags the card and it moves for the owner', async () => {
		const [before] = await serverTouchpoints(owner, boardId);
		await dragCard(editor.page, card(editor.page, title), 200, 60);
		// Settled once the dragger's canvas, the server and the owner's canvas agree. The dragger's
		// own canvas keeps the pointer's sub-pixel spot; the document stores positions rounded.
		const rounded = (position: { x: number; y: number } | null) => position && { x: Math.round(position.x), y: Math.round(position.y) };
		const views = async () => {
			const [stored] = await serverTouchpoints(owner, boardId);
			return {
				editor: rounded(await flowPosition(card(editor.page, title))),
				server: { x: stored.x, y: stored.y },
				owner: await flowPosition(card(owner.page, title))
			};
		};
		await expect.poll(async () => new Set(Object.values(await views()).map((position) => JSON.stringify(position))).size).toBe(1);
		const { server: after } = await views();
		expect(after).not.toEqual({ x: before.x, y: before.y });
		await screenshotAll('collab-08-dragged', people);
	});

	await test.step('a reload keeps everything, for both', async () => {
		const [saved] = await serverTouchpoints(owner, boardId);
		expect(saved).toMatchObject({ title, kind: 'negative-peak' });
		for (const person of people) {
			await person.page.reload();
			await expectSynced(person.page);
			await expect(person.page.getByTestId('board-title')).toHaveText('Account opening');
			await expect(person.page.getByTestId('touchpoint')).toHaveCount(1);
			await expect(card(person.page, title)).toHaveAttribute('data-kind', 'negative-peak');
			await expect.poll(() => flowPosition(card(person.page, title))).toEqual({ x: saved.x, y: saved.y });
		}
		await screenshotAll('collab-09-reloaded', people);
	});

	await test.step('someone who never had the board open gets it all from the server', async () => {
		// A fresh context has no IndexedDB copy, so this proves the server kept the edits.
		const context = await browser.newContext();
		const page = await context.newPage();
		try {
			await context.addCookies(await owner.context.cookies());
			await page.goto(`/boards/${boardId}`);
			await expectSynced(page);
			await expect(card(page, title)).toHaveAttribute('data-kind', 'negative-peak');
			await expect(page.getByTestId('touchpoint')).toHaveCount(1);
		} finally {
			await context.close();
		}
	});
});

test('a viewer follows the board live but cannot change it', async ({ browser }) => {
	const owner = await signUp(browser, 'owner', 'Olivia Owner');
	const editor = await signUp(browser, 'editor', 'Eddie Editor');
	const viewer = await signUp(browser, 'viewer', 'Vera Viewer');
	people = [owner, editor, viewer];

	const boardId = await test.step('the owner creates a board with one touchpoint and shares it', async () => {
		const id = await createBoard(owner, 'Branch visit', 'blank');
		await expectSynced(owner.page);
		await owner.page.getByTestId('add-touchpoint').click();
		await expect(card(owner.page, NEW_TOUCHPOINT)).toHaveCount(1);
		await share(owner, editor, 'editor');
		await share(owner, viewer, 'viewer');
		await expect(owner.page.getByTestId('share-dialog').getByRole('listitem').filter({ hasText: viewer.email })).toContainText('Viewer');
		await screenshotAll('viewer-01-shared', [owner]);
		await closeShareDialog(owner);
		return id;
	});

	await test.step('the viewer opens it read-only, without editing controls', async () => {
		await openFromBoardList(editor, boardId);
		await openFromBoardList(viewer, boardId);
		await expect(viewer.page.getByTestId('read-only')).toBeVisible();
		await expect(viewer.page.getByTestId('add-touchpoint')).toHaveCount(0);
		await expect(viewer.page.getByTestId('share')).toHaveCount(0);
		await expect(card(viewer.page, NEW_TOUCHPOINT)).toHaveCount(1);
		// The editor, by contrast, is not read-only.
		await expect(editor.page.getByTestId('read-only')).toHaveCount(0);
		await screenshotAll('viewer-02-opened', people);
	});

	await test.step('the viewer sees the editor’s changes live', async () => {
		await card(editor.page, NEW_TOUCHPOINT).click();
		const inspector = editor.page.getByTestId('inspector');
		await inspector.getByTestId('touchpoint-title').fill('Greeted at the door');
		await inspector.locator('input[type=radio][value="positive-peak"]').check();
		await expect(card(viewer.page, 'Greeted at the door')).toHaveAttribute('data-kind', 'positive-peak');
		await editor.page.getByTestId('add-touchpoint').click();
		await expect(viewer.page.getByTestId('touchpoint')).toHaveCount(2);
		await expect(card(viewer.page, NEW_TOUCHPOINT)).toHaveCount(1);
		await screenshotAll('viewer-03-live', people);
	});

	const title = 'Greeted at the door';
	await test.step('the viewer can inspect a touchpoint but not edit it', async () => {
		await card(viewer.page, title).click();
		const inspector = viewer.page.getByTestId('inspector');
		await expect(inspector.getByTestId('touchpoint-title')).toHaveValue(title);
		await expect(inspector.getByTestId('touchpoint-title')).toBeDisabled();
		for (const kind of ['neutral', 'positive-peak', 'negative-peak']) {
			await expect(inspector.locator(`input[type=radio][value="${kind}"]`)).toBeDisabled();
		}
		await expect(inspector.locator('input[type=radio][value="positive-peak"]')).toBeChecked();
		await screenshotAll('viewer-04-inspecting', [viewer]);
	});

	await test.step('the viewer’s drag and delete attempts change nothing for the others', async () => {
		const before = await serverTouchpoints(owner, boardId);
		const greeted = before.find((touchpoint) => touchpoint.title === title)!;
		const start = { x: greeted.x, y: greeted.y };
		await expect.poll(() => flowPosition(card(owner.page, title))).toEqual(start);
		await expect.poll(() => flowPosition(card(viewer.page, title))).toEqual(start);

		await dragCard(viewer.page, card(viewer.page, title), 220, 90);
		await card(viewer.page, title).click();
		await viewer.page.keyboard.press('Delete');
		await viewer.page.keyboard.press('Backspace');
		await screenshotAll('viewer-05-after-drag-attempt', people);

		// Barrier: an edit made after the attempts reaches the viewer, so the viewer's socket has
		// been live (and anything it sent has reached the server) before the board is compared.
		await card(editor.page, NEW_TOUCHPOINT).click();
		await editor.page.getByTestId('inspector').getByTestId('touchpoint-title').fill('Ticket machine');
		await expect(card(viewer.page, 'Ticket machine')).toHaveCount(1);

		expect(await serverTouchpoints(owner, boardId)).toEqual(
			before.map((touchpoint) => (touchpoint.title === NEW_TOUCHPOINT ? { ...touchpoint, title: 'Ticket machine' } : touchpoint))
		);
		for (const person of people) {
			await expect(person.page.getByTestId('touchpoint')).toHaveCount(2);
			await expect.poll(() => flowPosition(card(person.page, title))).toEqual(start);
		}
		await screenshotAll('viewer-06-unchanged', people);
	});

	await test.step('after a reload the viewer still sees the board as the others do', async () => {
		await viewer.page.reload();
		await expectSynced(viewer.page);
		await expect(viewer.page.getByTestId('read-only')).toBeVisible();
		await expect(viewer.page.getByTestId('touchpoint')).toHaveCount(2);
		const saved = (await serverTouchpoints(viewer, boardId)).find((touchpoint) => touchpoint.title === title)!;
		await expect.poll(() => flowPosition(card(viewer.page, title))).toEqual({ x: saved.x, y: saved.y });
		await screenshotAll('viewer-07-reloaded', [viewer]);
	});
});
