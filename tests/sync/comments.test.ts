import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
	addMember,
	api,
	cleanup,
	PASSWORD,
	sessionCookie,
	signUp,
	touchpoint,
	waitFor,
	type Account,
	type ApiResponse,
	type TestServer
} from './helpers';
import { templateJourney } from '../../src/lib/journey/templates';
import { setupBoard } from './setup';
import { closeAllEvents, openEvents, streamReady, type EventStream } from './http-helpers';

function expectError(response: ApiResponse, status: number): void {
	expect(response.status).toBe(status);
	expect(response.body).toEqual({ error: expect.any(String) });
}

// Comments live in SQL behind the API: commenters and up write, every member reads, mentions
// name members, and every change is pushed live to the board's members over Server-Sent Events.
describe('comments', () => {
	let server: TestServer;
	let owner: Account;
	let editor: Account;
	let commenter: Account;
	let commenter2: Account;
	let viewer: Account;
	let outsider: Account;

	beforeAll(async () => {
		({
			server,
			owner,
			members: { editor, commenter, commenter2, viewer, outsider }
		} = await setupBoard({
			members: { editor: null, commenter: null, commenter2: { role: null, name: 'Second Commenter' }, viewer: null, outsider: null },
			board: false
		}));
	});
	afterEach(closeAllEvents);
	afterAll(cleanup);

	/** The touchpoints every board here holds: comments may be pinned only to the board's touchpoints. */
	const TOUCHPOINTS = ['tp-1', 'tp-2', 'tp-9', 'tp-queue'];

	/** A fresh board with every role on it, so tests never share comments or unread counts. */
	async function newBoard(title = 'Comments'): Promise<string> {
		const { boardId } = await setupBoard({
			server,
			owner,
			members: {
				editor: { role: 'editor', account: editor },
				commenter: { role: 'commenter', account: commenter },
				commenter2: { role: 'commenter', account: commenter2 },
				viewer: { role: 'viewer', account: viewer }
			},
			board: { title, journey: { ...templateJourney('blank', title), touchpoints: TOUCHPOINTS.map((id) => touchpoint(id)) } }
		});
		return boardId;
	}

	const post = (boardId: string, account: Account | null, body: unknown) =>
		api(server, 'POST', `/api/boards/${boardId}/comments`, { cookie: account?.cookie, body });
	const patch = (boardId: string, account: Account, commentId: string, body: unknown) =>
		api(server, 'PATCH', `/api/boards/${boardId}/comments/${commentId}`, { cookie: account.cookie, body });
	const remove = (boardId: string, account: Account, commentId: string) =>
		api(server, 'DELETE', `/api/boards/${boardId}/comments/${commentId}`, { cookie: account.cookie });
	const list = (boardId: string, account: Account | null) =>
		api(server, 'GET', `/api/boards/${boardId}/comments`, { cookie: account?.cookie });

	async function unread(boardId: string, account: Account): Promise<number> {
		const response = await list(boardId, account);
		expect(response.status).toBe(200);
		return response.body.unreadMentions;
	}

	async function comment(boardId: string, account: Account, body: Record<string, unknown>): Promise<any> {
		const response = await post(boardId, account, body);
		expect(response.status, JSON.stringify(response.body)).toBe(201);
		return response.body.comment;
	}

	describe('who may comment', () => {
		test('a commenter comments (201); every member reads it', async () => {
			const boardId = await newBoard();
			const response = await post(boardId, commenter, { body: 'The queue at the branch is too long', touchpointId: 'tp-queue' });
			expect(response.status).toBe(201);
			const created = response.body.comment;
			expect(created).toMatchObject({
				id: expect.any(String),
				body: 'The queue at the branch is too long',
				touchpointId: 'tp-queue',
				parentId: null,
				author: { id: commenter.id, name: 'Commenter' },
				mentions: [],
				resolved: false
			});
			for (const member of [viewer, commenter, editor, owner]) {
				const listed = await list(boardId, member);
				expect(listed.status).toBe(200);
				expect(listed.body.comments.map((c: { id: string }) => c.id)).toEqual([created.id]);
			}
		});

		test('an editor and the owner comment too; a board-level comment has no touchpoint', async () => {
			const boardId = await newBoard();
			expect((await comment(boardId, editor, { body: 'From the editor' })).touchpointId).toBeNull();
			expect((await comment(boardId, owner, { body: 'From the owner' })).author.id).toBe(owner.id);
		});

		test('a viewer’s comment → 403, a non-member’s → 404, signed out → 401; nothing is stored', async () => {
			const boardId = await newBoard();
			expectError(await post(boardId, viewer, { body: 'I only read' }), 403);
			expectError(await post(boardId, outsider, { body: 'Let me in' }), 404);
			expectError(await post(boardId, null, { body: 'Anonymous' }), 401);
			expect((await list(boardId, owner)).body.comments).toEqual([]);
		});

		test('a non-member cannot read, edit, resolve, delete or mark read (404), signed out 401', async () => {
			const boardId = await newBoard();
			const created = await comment(boardId, commenter, { body: 'Private' });
			expectError(await list(boardId, outsider), 404);
			expectError(await list(boardId, null), 401);
			expectError(await patch(boardId, outsider, created.id, { body: 'Mine now' }), 404);
			expectError(await patch(boardId, outsider, created.id, { resolved: true }), 404);
			expectError(await remove(boardId, outsider, created.id), 404);
			expectError(await api(server, 'POST', `/api/boards/${boardId}/comments/read`, { cookie: outsider.cookie }), 404);
			expect((await list(boardId, owner)).body.comments).toMatchObject([{ id: created.id, body: 'Private', resolved: false }]);
		});

		test('a comment of another board is not reachable through this one (404)', async () => {
			const boardId = await newBoard('One');
			const otherId = await newBoard('Two');
			const created = await comment(boardId, commenter, { body: 'On board one' });
			expectError(await patch(otherId, commenter, created.id, { body: 'moved?' }), 404);
			expectError(await remove(otherId, commenter, created.id), 404);
			expectError(await post(otherId, commenter, { body: 'reply across boards', parentId: created.id }), 404);
			expect((await list(boardId, owner)).body.comments).toMatchObject([{ id: created.id, body: 'On board one' }]);
		});
	});

	describe('threads', () => {
		test('a reply joins its parent’s thread and its touchpoint, whatever touchpoint it names', async () => {
			const boardId = await newBoard();
			const parent = await comment(boardId, commenter, { body: 'Why is this negative?', touchpointId: 'tp-1' });
			const reply = await comment(boardId, editor, { body: 'Waiting time', parentId: parent.id, touchpointId: 'tp-2' });
			expect(reply).toMatchObject({ parentId: parent.id, touchpointId: 'tp-1' });
			const bare = await comment(boardId, owner, { body: 'Agreed', parentId: parent.id });
			expect(bare).toMatchObject({ parentId: parent.id, touchpointId: 'tp-1' });

			// A reply to a board-level thread stays board-level.
			const boardThread = await comment(boardId, commenter, { body: 'General remark' });
			expect(await comment(boardId, commenter2, { body: 'Yes', parentId: boardThread.id, touchpointId: 'tp-9' })).toMatchObject({
				parentId: boardThread.id,
				touchpointId: null
			});
		});

		test('a reply to a reply → 400; to an unknown comment → 404', async () => {
			const boardId = await newBoard();
			const parent = await comment(boardId, commenter, { body: 'Thread' });
			const reply = await comment(boardId, commenter2, { body: 'Reply', parentId: parent.id });
			expectError(await post(boardId, commenter, { body: 'Nested', parentId: reply.id }), 400);
			expectError(await post(boardId, commenter, { body: 'Orphan', parentId: 'no-such-comment' }), 404);
			expect((await list(boardId, owner)).body.comments).toHaveLength(2);
		});

		test('deleting a thread’s first comment deletes its replies', async () => {
			const boardId = await newBoard();
			const parent = await comment(boardId, commenter, { body: 'Thread' });
			await comment(boardId, commenter2, { body: 'Reply', parentId: parent.id });
			const other = await comment(boardId, commenter2, { body: 'Another thread' });
			expect((await remove(boardId, commenter, parent.id)).status).toBe(204);
			expect((await list(boardId, owner)).body.comments.map((c: { id: string }) => c.id)).toEqual([other.id]);
		});
	});

	describe('mentions', () => {
		test('only members can be mentioned (400 otherwise, and nothing is stored)', async () => {
			const boardId = await newBoard();
			expectError(await post(boardId, commenter, { body: 'Hey outsider', mentions: [outsider.id] }), 400);
			expectError(await post(boardId, commenter, { body: 'Hey nobody', mentions: ['no-such-user'] }), 400);
			expectError(await post(boardId, commenter, { body: 'Mixed', mentions: [viewer.id, outsider.id] }), 400);
			expect((await list(boardId, owner)).body.comments).toEqual([]);
			expect(await unread(boardId, viewer)).toBe(0);

			const ok = await comment(boardId, commenter, { body: '@Viewer @Editor have a look', mentions: [viewer.id, editor.id] });
			expect([...ok.mentions].sort()).toEqual([viewer.id, editor.id].sort());
		});

		test('a removed member can no longer be mentioned', async () => {
			const boardId = await newBoard();
			const former = await signUp(server, 'Former');
			await addMember(server, owner, boardId, former, 'commenter');
			await comment(boardId, commenter, { body: 'Hi', mentions: [former.id] });
			expect((await api(server, 'DELETE', `/api/boards/${boardId}/members/${former.id}`, { cookie: owner.cookie })).status).toBe(204);
			expectError(await post(boardId, commenter, { body: 'Hi again', mentions: [former.id] }), 400);
		});

		test('the mentioned member’s unreadMentions counts up, per board, and POST /comments/read clears it', async () => {
			const boardId = await newBoard();
			const otherBoardId = await newBoard('Other');
			expect(await unread(boardId, viewer)).toBe(0);

			await comment(boardId, commenter, { body: '@Viewer look', mentions: [viewer.id] });
			expect(await unread(boardId, viewer)).toBe(1);
			await comment(boardId, editor, { body: '@Viewer and @Commenter', mentions: [viewer.id, commenter.id, viewer.id] });
			expect(await unread(boardId, viewer)).toBe(2);
			expect(await unread(boardId, commenter)).toBe(1);
			// Nobody else is counted; the other board is not.
			expect(await unread(boardId, owner)).toBe(0);
			expect(await unread(boardId, editor)).toBe(0);
			expect(await unread(otherBoardId, viewer)).toBe(0);

			// A viewer may mark their own mentions read (it changes no comment).
			const read = await api(server, 'POST', `/api/boards/${boardId}/comments/read`, { cookie: viewer.cookie });
			expect(read.status).toBe(204);
			expect(await unread(boardId, viewer)).toBe(0);
			// Only the caller's mentions are cleared.
			expect(await unread(boardId, commenter)).toBe(1);

			await comment(boardId, commenter, { body: '@Viewer once more', mentions: [viewer.id] });
			expect(await unread(boardId, viewer)).toBe(1);
		});

		test('a deleted comment’s mentions, its replies’ included, are no longer unread', async () => {
			const boardId = await newBoard();
			const thread = await comment(boardId, commenter, { body: '@Viewer see this', mentions: [viewer.id] });
			await comment(boardId, editor, { body: '@Viewer and this', parentId: thread.id, mentions: [viewer.id] });
			const kept = await comment(boardId, editor, { body: '@Viewer elsewhere', mentions: [viewer.id] });
			expect(await unread(boardId, viewer)).toBe(3);
			expect((await remove(boardId, commenter, thread.id)).status).toBe(204);
			expect(await unread(boardId, viewer)).toBe(1);
			expect((await remove(boardId, editor, kept.id)).status).toBe(204);
			expect(await unread(boardId, viewer)).toBe(0);
		});

		test('mentioning yourself does not count as unread', async () => {
			const boardId = await newBoard();
			await comment(boardId, commenter, { body: 'Note to self', mentions: [commenter.id] });
			expect(await unread(boardId, commenter)).toBe(0);
		});
	});

	describe('editing, deleting and resolving', () => {
		test('only the author edits (others 403, even the owner); the edit is marked', async () => {
			const boardId = await newBoard();
			const created = await comment(boardId, commenter, { body: 'Frist draft' });
			for (const other of [owner, editor, commenter2]) {
				expectError(await patch(boardId, other, created.id, { body: 'Rewritten by someone else' }), 403);
			}
			expectError(await patch(boardId, viewer, created.id, { body: 'Viewer edit' }), 403);
			// Not even bundled with a resolve.
			expectError(await patch(boardId, owner, created.id, { body: 'Sneaky', resolved: true }), 403);
			expect((await list(boardId, owner)).body.comments[0]).toMatchObject({ body: 'Frist draft', editedAt: null, resolved: false });

			const edited = await patch(boardId, commenter, created.id, { body: 'First draft' });
			expect(edited.status).toBe(200);
			expect(edited.body.comment).toMatchObject({ id: created.id, body: 'First draft', editedAt: expect.any(String) });
			expect((await list(boardId, viewer)).body.comments[0].body).toBe('First draft');
		});

		test('only the author deletes (others 403, even the owner)', async () => {
			const boardId = await newBoard();
			const created = await comment(boardId, commenter, { body: 'Mine' });
			for (const other of [owner, editor, commenter2, viewer]) expectError(await remove(boardId, other, created.id), 403);
			expect((await list(boardId, owner)).body.comments).toHaveLength(1);
			expect((await remove(boardId, commenter, created.id)).status).toBe(204);
			expect((await list(boardId, owner)).body.comments).toEqual([]);
			expectError(await remove(boardId, commenter, created.id), 404);
			expectError(await patch(boardId, commenter, created.id, { body: 'gone' }), 404);
		});

		test('any commenter or above resolves and reopens a thread; a viewer cannot (403)', async () => {
			const boardId = await newBoard();
			const thread = await comment(boardId, commenter, { body: 'Open question' });

			const resolved = await patch(boardId, commenter2, thread.id, { resolved: true });
			expect(resolved.status).toBe(200);
			expect(resolved.body.comment).toMatchObject({ resolved: true, resolvedBy: commenter2.id, body: 'Open question' });

			expectError(await patch(boardId, viewer, thread.id, { resolved: false }), 403);
			expect((await list(boardId, viewer)).body.comments[0].resolved).toBe(true);

			const reopened = await patch(boardId, owner, thread.id, { resolved: false });
			expect(reopened.body.comment).toMatchObject({ resolved: false, resolvedBy: null });
			expect((await patch(boardId, editor, thread.id, { resolved: true })).body.comment).toMatchObject({
				resolved: true,
				resolvedBy: editor.id
			});
			expect((await patch(boardId, commenter, thread.id, { resolved: false })).body.comment.resolved).toBe(false);
		});

		test('resolving a reply → 400 (threads resolve through their first comment)', async () => {
			const boardId = await newBoard();
			const thread = await comment(boardId, commenter, { body: 'Thread' });
			const reply = await comment(boardId, commenter2, { body: 'Reply', parentId: thread.id });
			expectError(await patch(boardId, commenter, reply.id, { resolved: true }), 400);
			expectError(await patch(boardId, commenter2, reply.id, { resolved: true }), 400);
			expect((await list(boardId, owner)).body.comments.every((c: { resolved: boolean }) => !c.resolved)).toBe(true);
			// Its author may still edit it.
			expect((await patch(boardId, commenter2, reply.id, { body: 'Edited reply' })).status).toBe(200);
		});

		test('an unknown comment → 404', async () => {
			const boardId = await newBoard();
			expectError(await patch(boardId, owner, 'no-such-comment', { resolved: true }), 404);
			expectError(await remove(boardId, owner, 'no-such-comment'), 404);
		});
	});

	describe('bad input is 400, never 500, and stores nothing', () => {
		const badPosts: [string, unknown][] = [
			['an empty body', { body: '' }],
			['a body of spaces', { body: '   \n\t ' }],
			['a 6000-character body', { body: 'x'.repeat(6000) }],
			['no body field', { touchpointId: 'tp-1' }],
			['a numeric body', { body: 42 }],
			['a null body', { body: null }],
			['mentions that are not an array', { body: 'hi', mentions: 'everyone' }],
			['mentions that are not strings', { body: 'hi', mentions: [1, 2] }],
			['a non-string touchpointId', { body: 'hi', touchpointId: { $ne: null } }],
			['a JSON array', [{ body: 'hi' }]],
			['a JSON string', 'just text'],
			['JSON null', null]
		];

		test.each(badPosts)('POST with %s → 400', async (_what, body) => {
			const boardId = await newBoard();
			const response = await api(server, 'POST', `/api/boards/${boardId}/comments`, {
				cookie: commenter.cookie,
				body: JSON.stringify(body),
				headers: { 'content-type': 'application/json' }
			});
			expectError(response, 400);
			expect((await list(boardId, owner)).body.comments).toEqual([]);
		});

		test('POST with a body that is not JSON → 400', async () => {
			const boardId = await newBoard();
			for (const [text, type] of [
				['{"body": "unterminated', 'application/json'],
				['body=hello', 'application/x-www-form-urlencoded'],
				['hello', 'text/plain'],
				['', 'application/json']
			]) {
				const response = await api(server, 'POST', `/api/boards/${boardId}/comments`, {
					cookie: commenter.cookie,
					body: text,
					headers: { 'content-type': type }
				});
				expectError(response, 400);
			}
			expect((await list(boardId, owner)).body.comments).toEqual([]);
		});

		test('a 5000-character body is the longest accepted', async () => {
			const boardId = await newBoard();
			expect((await comment(boardId, commenter, { body: 'y'.repeat(5000) })).body).toHaveLength(5000);
			expectError(await post(boardId, commenter, { body: 'y'.repeat(5001) }), 400);
		});

		test('PATCH with bad input → 400 and the comment is unchanged', async () => {
			const boardId = await newBoard();
			const created = await comment(boardId, commenter, { body: 'Original' });
			const bad: unknown[] = [
				{},
				{ body: '' },
				{ body: '  ' },
				{ body: 'z'.repeat(6000) },
				{ resolved: 'yes' },
				{ resolved: 1 },
				{ body: 7 },
				null,
				[]
			];
			for (const body of bad) {
				const response = await api(server, 'PATCH', `/api/boards/${boardId}/comments/${created.id}`, {
					cookie: commenter.cookie,
					body: JSON.stringify(body),
					headers: { 'content-type': 'application/json' }
				});
				expect(response.status, JSON.stringify(body)).toBe(400);
				expect(response.body).toEqual({ error: expect.any(String) });
			}
			const notJson = await api(server, 'PATCH', `/api/boards/${boardId}/comments/${created.id}`, {
				cookie: commenter.cookie,
				body: 'resolved=true',
				headers: { 'content-type': 'application/json' }
			});
			expectError(notJson, 400);
			expect((await list(boardId, owner)).body.comments[0]).toMatchObject({ body: 'Original', resolved: false, editedAt: null });
		});

		test('a cross-origin comment → 403', async () => {
			const boardId = await newBoard();
			const response = await api(server, 'POST', `/api/boards/${boardId}/comments`, {
				cookie: commenter.cookie,
				body: { body: 'from elsewhere' },
				headers: { origin: 'http://evil.example' }
			});
			expectError(response, 403);
			expect((await list(boardId, owner)).body.comments).toEqual([]);
		});
	});

	describe('live events (Server-Sent Events)', () => {
		/** Opens a member's stream and waits until it is live. */
		async function live(boardId: string, account: Account): Promise<EventStream> {
			const stream = await openEvents(server, account.cookie, boardId);
			expect(stream.status).toBe(200);
			expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
			await streamReady(stream);
			return stream;
		}

		const waitForComments = (stream: EventStream, atLeast: number, what: string) =>
			waitFor(() => stream.count('comments') >= atLeast, what);

		test('a second member receives `event: comments` when a comment is posted, edited, resolved or deleted', async () => {
			const boardId = await newBoard();
			const stream = await live(boardId, viewer);
			expect(stream.count('comments')).toBe(0);

			const created = await comment(boardId, commenter, { body: 'Live?' });
			await waitForComments(stream, 1, 'the viewer to hear of the new comment');
			expect(await patch(boardId, commenter, created.id, { body: 'Live!' })).toMatchObject({ status: 200 });
			await waitForComments(stream, 2, 'the viewer to hear of the edit');
			expect(await patch(boardId, owner, created.id, { resolved: true })).toMatchObject({ status: 200 });
			await waitForComments(stream, 3, 'the viewer to hear of the resolve');
			expect(await remove(boardId, commenter, created.id)).toMatchObject({ status: 204 });
			await waitForComments(stream, 4, 'the viewer to hear of the deletion');
			expect(stream.ended).toBe(false);

			stream.close();
			await stream.done;
			// The server lets go of the closed stream: the board keeps working for others.
			expect((await post(boardId, commenter, { body: 'After close' })).status).toBe(201);
		});

		test('every open stream of the board hears it; another board’s stream does not', async () => {
			const boardId = await newBoard();
			const otherBoardId = await newBoard('Other');
			const editorStream = await live(boardId, editor);
			const ownerStream = await live(boardId, owner);
			const elsewhere = await live(otherBoardId, viewer);
			await comment(boardId, commenter, { body: 'Hello' });
			await waitForComments(editorStream, 1, 'the editor’s stream');
			await waitForComments(ownerStream, 1, 'the owner’s stream');
			// A causal barrier for the other board's stream: an event on that board, then count.
			await comment(otherBoardId, commenter, { body: 'Barrier' });
			await waitForComments(elsewhere, 1, 'the other board’s own event');
			expect(elsewhere.count('comments')).toBe(1);
		});

		test('a refused comment publishes nothing', async () => {
			const boardId = await newBoard();
			const stream = await live(boardId, editor);
			expectError(await post(boardId, viewer, { body: 'no' }), 403);
			expectError(await post(boardId, commenter, { body: '' }), 400);
			await comment(boardId, commenter, { body: 'Barrier' });
			await waitForComments(stream, 1, 'the barrier comment');
			expect(stream.count('comments')).toBe(1);
		});

		test('a non-member’s stream → 404, signed out → 401', async () => {
			const boardId = await newBoard();
			const stranger = await openEvents(server, outsider.cookie, boardId);
			expect(stranger.status).toBe(404);
			await stranger.done;
			const anonymous = await openEvents(server, undefined, boardId);
			expect(anonymous.status).toBe(401);
			await anonymous.done;
		});

		test('a removed member’s stream is closed; the others stay open', async () => {
			const boardId = await newBoard();
			const removed = await live(boardId, commenter2);
			const staying = await live(boardId, viewer);
			const response = await api(server, 'DELETE', `/api/boards/${boardId}/members/${commenter2.id}`, { cookie: owner.cookie });
			expect(response.status).toBe(204);
			await waitFor(() => removed.ended, 'the removed member’s stream to close');

			const countBefore = staying.count('comments');
			await comment(boardId, commenter, { body: 'Still live' });
			await waitForComments(staying, countBefore + 1, 'the remaining member to hear the comment');
			expect(staying.ended).toBe(false);
			// And the removed member cannot open a new one.
			const again = await openEvents(server, commenter2.cookie, boardId);
			expect(again.status).toBe(404);
			await addMember(server, owner, boardId, commenter2, 'commenter'); // restore for later tests
		});

		test('logging out closes that session’s stream, and only that session’s', async () => {
			const boardId = await newBoard();
			const login = await api(server, 'POST', '/api/auth/login', { body: { email: editor.email, password: PASSWORD } });
			expect(login.status).toBe(200);
			const secondSession = sessionCookie(login.headers)!;
			const first = await live(boardId, editor);
			const second = await openEvents(server, secondSession, boardId);
			await streamReady(second);

			expect((await api(server, 'POST', '/api/auth/logout', { cookie: secondSession })).status).toBe(204);
			await waitFor(() => second.ended, 'the logged-out session’s stream to close');

			await comment(boardId, commenter, { body: 'Only the first session hears this' });
			await waitForComments(first, 1, 'the other session’s stream');
			expect(first.ended).toBe(false);
			// The ended session cannot reopen it.
			const again = await openEvents(server, secondSession, boardId);
			expect(again.status).toBe(401);
		});

		test('deleting the board closes its streams', async () => {
			const boardId = await newBoard('Doomed');
			const stream = await live(boardId, viewer);
			expect((await api(server, 'DELETE', `/api/boards/${boardId}`, { cookie: owner.cookie })).status).toBe(204);
			await waitFor(() => stream.ended, 'the stream of the deleted board to close');
		});
	});
});
