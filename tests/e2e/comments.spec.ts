import { expect, test, type Page } from '@playwright/test';
import {
	card,
	closeAll,
	createBoardViaApi,
	openBoard,
	postComment,
	screenshotAll,
	screenshotPage,
	selectCard,
	shareViaApi,
	signUpViaApi,
	smallJourney,
	writeComment,
	type Person
} from './people';

// Issue 4: comments on touchpoints, @mentions with unread marks, resolving, and who may write,
// edit and delete what.

let people: Person[] = [];

test.afterEach(async () => {
	await closeAll(people);
	people = [];
});

const QUEUE = 'Queue at the counter';
const journey = smallJourney('Account opening', [
	{ id: 'tp-queue', title: QUEUE, kind: 'negative-peak', emotion: -4 },
	{ id: 'tp-welcome', title: 'Welcome at the door', kind: 'positive-peak', emotion: 3 }
]);

const threads = (page: Page) => page.getByTestId('comments-panel').getByTestId('comment-thread');

test('a commenter’s @mention reaches the editor live, and the editor’s resolve reaches the commenter', async ({ browser }) => {
	const owner = await signUpViaApi(browser, 'owner', 'Olivia Owner');
	const editor = await signUpViaApi(browser, 'editor', 'Eddie Editor');
	const commenter = await signUpViaApi(browser, 'commenter', 'Carla Commenter');
	people = [owner, editor, commenter];
	const boardId = await createBoardViaApi(owner, 'Account opening', { journey });
	await shareViaApi(owner, boardId, editor, 'editor');
	await shareViaApi(owner, boardId, commenter, 'commenter');
	await openBoard(editor, boardId);
	await openBoard(commenter, boardId);
	const pair = [editor, commenter];

	await test.step('the commenter writes on the queue card and mentions the editor', async () => {
		await expect(commenter.page.getByTestId('read-only')).toBeVisible();
		await selectCard(commenter.page, QUEUE);
		await commenter.page.getByTestId('tab-comments').click();
		await expect(commenter.page.getByTestId('comment-input')).toHaveAttribute('placeholder', `Comment on “${QUEUE}”…`);
		await writeComment(commenter.page, 'Forty-minute waits again. @Edd', 'Eddie Editor', 'can we see the queue data before Friday?');
		const thread = threads(commenter.page);
		await expect(thread).toHaveCount(1);
		await expect(thread.getByTestId('comment-body')).toHaveText(
			'Forty-minute waits again. @Eddie Editor can we see the queue data before Friday?'
		);
		await expect(thread.getByTestId('comment-body').locator('mark')).toHaveText('@Eddie Editor');
	});

	await test.step('the editor sees it arrive live: a badge on the card and an unread mention on the tab', async () => {
		await expect(card(editor.page, QUEUE).getByTestId('comment-count')).toHaveText('1');
		await expect(card(editor.page, 'Welcome at the door').getByTestId('comment-count')).toHaveCount(0);
		await expect(editor.page.getByTestId('unread-mentions')).toHaveText('@1');
		await screenshotAll('comments-01-mention-arrives', pair);
	});

	await test.step('the editor’s board list marks the board with the unread mention', async () => {
		await editor.page.goto('/boards');
		const entry = editor.page
			.getByTestId('board-list')
			.getByRole('listitem')
			.filter({ has: editor.page.locator(`a[href="/boards/${boardId}"]`) });
		await expect(entry.getByTestId('board-mentions')).toContainText('@1');
		await screenshotPage(editor.page, 'comments-02-board-list-mention');
		await entry.locator(`a[href="/boards/${boardId}"]`).click();
		await expect(editor.page.getByTestId('unread-mentions')).toHaveText('@1');
	});

	await test.step('opening the comments reads the mention; the mark goes from the board and the list', async () => {
		await editor.page.getByTestId('tab-comments').click();
		const thread = threads(editor.page);
		await expect(thread).toHaveCount(1);
		await expect(thread).toContainText('Carla Commenter');
		await expect(thread).toContainText(QUEUE);
		await expect(thread.getByTestId('comment')).toHaveClass(/mentions-me/);
		await expect(editor.page.getByTestId('unread-mentions')).toHaveCount(0);
		await screenshotPage(editor.page, 'comments-03-editor-reads');
		await editor.page.goto('/boards');
		await expect(editor.page.getByTestId('board-list')).toBeVisible();
		await expect(editor.page.getByTestId('board-mentions')).toHaveCount(0);
		await openBoard(editor, boardId);
		await expect(editor.page.getByTestId('unread-mentions')).toHaveCount(0);
	});

	await test.step('the editor resolves the thread and the commenter sees it resolved, live', async () => {
		await editor.page.getByTestId('tab-comments').click();
		await threads(editor.page).getByTestId('comment-resolve').click();
		// Resolved threads fold away for everyone; the badge on the card goes too.
		for (const person of pair) {
			await expect(threads(person.page)).toHaveCount(0);
			await expect(person.page.getByTestId('show-resolved')).toBeVisible();
			await expect(card(person.page, QUEUE).getByTestId('comment-count')).toHaveCount(0);
		}
		await commenter.page.getByTestId('show-resolved').check();
		await expect(threads(commenter.page)).toHaveAttribute('data-resolved', 'true');
		await expect(threads(commenter.page).getByTestId('comment-reopen')).toBeVisible();
		await screenshotAll('comments-04-resolved', pair);
	});

	await test.step('reopening brings it back for both', async () => {
		await threads(commenter.page).getByTestId('comment-reopen').click();
		await expect(threads(editor.page)).toHaveAttribute('data-resolved', 'false');
		await expect(card(editor.page, QUEUE).getByTestId('comment-count')).toHaveText('1');
	});
});

test('viewers only read comments; people edit and delete only their own', async ({ browser }) => {
	const owner = await signUpViaApi(browser, 'owner', 'Olivia Owner');
	const editor = await signUpViaApi(browser, 'editor', 'Eddie Editor');
	const commenter = await signUpViaApi(browser, 'commenter', 'Carla Commenter');
	const viewer = await signUpViaApi(browser, 'viewer', 'Vera Viewer');
	people = [owner, editor, commenter, viewer];
	const boardId = await createBoardViaApi(owner, 'Account opening', { journey });
	await shareViaApi(owner, boardId, editor, 'editor');
	await shareViaApi(owner, boardId, commenter, 'commenter');
	await shareViaApi(owner, boardId, viewer, 'viewer');

	// A thread on the queue card: the commenter starts it, the editor replies; and an editor's
	// note on the whole board.
	const root = await postComment(commenter, boardId, { body: 'Is 22 minutes the median or the mean?', touchpointId: 'tp-queue' });
	const reply = await postComment(editor, boardId, { body: 'The median, from the queue system.', parentId: root });
	const note = await postComment(editor, boardId, { body: 'Workshop notes are in the shared drive.' });

	await test.step('the viewer reads every comment but has nothing to write with', async () => {
		await openBoard(viewer, boardId);
		await viewer.page.getByTestId('tab-comments').click();
		const panel = viewer.page.getByTestId('comments-panel');
		await expect(panel.getByTestId('comment')).toHaveCount(3);
		await expect(panel).toContainText('Is 22 minutes the median or the mean?');
		await expect(panel).toContainText('The median, from the queue system.');
		await expect(panel).toContainText('Workshop notes are in the shared drive.');
		await expect(panel).toContainText('Viewers can read comments');
		await expect(viewer.page.getByTestId('comment-input')).toHaveCount(0);
		await expect(viewer.page.getByTestId('comment-send')).toHaveCount(0);
		await expect(panel.getByTestId('comment-resolve')).toHaveCount(0);
		await expect(panel.getByTestId('comment-delete')).toHaveCount(0);
		await expect(panel.getByRole('button', { name: 'Reply' })).toHaveCount(0);
		await expect(panel.getByRole('button', { name: 'Edit' })).toHaveCount(0);
		await screenshotPage(viewer.page, 'comments-05-viewer');
		// And the server refuses a viewer's comment.
		const refused = await viewer.page.request.post(`/api/boards/${boardId}/comments`, { data: { body: 'Sneaky', mentions: [] } });
		expect(refused.status()).toBe(403);
	});

	await test.step('the commenter may edit and delete their own comment, not the editor’s', async () => {
		await openBoard(commenter, boardId);
		await commenter.page.getByTestId('tab-comments').click();
		const panel = commenter.page.getByTestId('comments-panel');
		const own = panel.getByTestId('comment').filter({ hasText: 'Is 22 minutes the median or the mean?' });
		const editorsReply = panel.getByTestId('comment').filter({ hasText: 'The median, from the queue system.' });
		const editorsNote = panel.getByTestId('comment').filter({ hasText: 'Workshop notes are in the shared drive.' });
		await expect(own.getByTestId('comment-delete')).toBeVisible();
		await expect(own.getByRole('button', { name: 'Edit' })).toBeVisible();
		for (const others of [editorsReply, editorsNote]) {
			await expect(others).toBeVisible();
			await expect(others.getByTestId('comment-delete')).toHaveCount(0);
			await expect(others.getByRole('button', { name: 'Edit' })).toHaveCount(0);
		}
		await screenshotPage(commenter.page, 'comments-06-commenter-own-only');
		// The server agrees: someone else's comment can be neither edited nor deleted.
		expect((await commenter.page.request.patch(`/api/boards/${boardId}/comments/${reply}`, { data: { body: 'Rewritten' } })).status()).toBe(
			403
		);
		expect((await commenter.page.request.delete(`/api/boards/${boardId}/comments/${note}`)).status()).toBe(403);

		await own.getByRole('button', { name: 'Edit' }).click();
		// While it is being edited the text sits in the box, so the comment is found by its box.
		const editing = panel.getByTestId('comment').filter({ has: commenter.page.getByTestId('comment-input') });
		await expect(editing.getByTestId('comment-input')).toHaveValue('Is 22 minutes the median or the mean?');
		await editing.getByTestId('comment-input').fill('Is 22 minutes the median or the mean, and for which customers?');
		await editing.getByTestId('comment-send').click();
		await expect(panel.getByTestId('comment').filter({ hasText: 'and for which customers?' })).toContainText('edited');
	});

	await test.step('the editor sees the edit live; the commenter deletes the comment and it goes for everyone', async () => {
		await openBoard(editor, boardId);
		await editor.page.getByTestId('tab-comments').click();
		const editorsPanel = editor.page.getByTestId('comments-panel');
		await expect(editorsPanel).toContainText('and for which customers?');
		// The editor, too, gets delete only on their own two comments.
		await expect(editorsPanel.getByTestId('comment-delete')).toHaveCount(2);
		await expect(
			editorsPanel.getByTestId('comment').filter({ hasText: 'and for which customers?' }).getByTestId('comment-delete')
		).toHaveCount(0);

		commenter.page.once('dialog', (dialog) => void dialog.accept());
		await commenter.page
			.getByTestId('comments-panel')
			.getByTestId('comment')
			.filter({ hasText: 'and for which customers?' })
			.getByTestId('comment-delete')
			.click();
		// Deleting a thread's first comment deletes the thread with its replies.
		for (const person of [commenter, editor, viewer]) {
			await expect(person.page.getByTestId('comments-panel').getByTestId('comment')).toHaveCount(1);
			await expect(person.page.getByTestId('comments-panel')).toContainText('Workshop notes are in the shared drive.');
		}
		await expect(card(editor.page, QUEUE).getByTestId('comment-count')).toHaveCount(0);
	});
});

test('a link to a comment (as a mention digest sends it) opens the board on that thread, resolved or not', async ({ browser }) => {
	const owner = await signUpViaApi(browser, 'owner', 'Olivia Owner');
	people = [owner];
	const boardId = await createBoardViaApi(owner, 'Account opening', { journey });
	// Enough threads before it that the linked one starts out of view.
	for (let i = 0; i < 12; i++) await postComment(owner, boardId, { body: `Note ${i} on the board`, touchpointId: 'tp-welcome' });
	const linked = await postComment(owner, boardId, { body: 'The one the digest points at', touchpointId: 'tp-queue' });
	const reply = await postComment(owner, boardId, { body: 'A reply in that thread', parentId: linked });
	const resolved = await owner.page.request.patch(`/api/boards/${boardId}/comments/${linked}`, { data: { resolved: true } });
	expect(resolved.status()).toBe(200);

	await owner.page.goto(`/boards/${boardId}?comment=${reply}`);
	await expect(owner.page.getByTestId('tab-comments')).toHaveAttribute('aria-selected', 'true');
	const thread = owner.page.locator(`#thread-${linked}`);
	await expect(thread).toBeFocused();
	await expect(thread).toBeInViewport();
	await expect(thread.getByTestId('comment-body').first()).toHaveText('The one the digest points at');
});
