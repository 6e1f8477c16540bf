import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { acceptInvite, api, cleanup, createBoard, getJourney, signUp, type Account, type ApiResponse, type TestServer } from './helpers';
import { setupBoard } from './setup';

function expectError(response: ApiResponse, status: number): void {
	expect(response.status).toBe(status);
	expect(response.headers.get('content-type')).toMatch(/^application\/json/);
	expect(typeof response.body?.error).toBe('string');
	expect(response.body.error.length).toBeGreaterThan(0);
}

describe('HTTP API: boards and members', () => {
	let server: TestServer;
	let owner: Account;
	let editor: Account;
	let outsider: Account;

	beforeAll(async () => {
		({
			server,
			owner,
			members: { editor, outsider }
		} = await setupBoard({ members: { editor: null, outsider: null }, board: false }));
	});
	afterAll(cleanup);

	describe('GET and POST /api/boards', () => {
		test('401 when signed out', async () => {
			expectError(await api(server, 'GET', '/api/boards'), 401);
			expectError(await api(server, 'POST', '/api/boards', { body: { title: 'Nope' } }), 401);
		});

		test('a new account has no boards', async () => {
			const account = await signUp(server, 'Empty');
			const response = await api(server, 'GET', '/api/boards', { cookie: account.cookie });
			expect(response.status).toBe(200);
			expect(response.body).toEqual({ boards: [] });
		});

		test('blank, lifecycle and bank-branch templates', async () => {
			const blank = await createBoard(server, owner, { title: 'Blank one', template: 'blank' });
			const lifecycle = await createBoard(server, owner, { title: 'Lifecycle one', template: 'lifecycle' });
			const bank = await createBoard(server, owner, { title: 'Bank one', template: 'bank-branch' });
			const noTemplate = await createBoard(server, owner, { title: 'Default one' });

			const blankJourney = await getJourney(server, owner, blank);
			expect(blankJourney).toMatchObject({ format: 'journey-map/v1', title: 'Blank one', touchpoints: [] });
			expect(blankJourney.stages.length).toBeGreaterThan(0);
			const lifecycleJourney = await getJourney(server, owner, lifecycle);
			expect(lifecycleJourney.title).toBe('Lifecycle one');
			expect(lifecycleJourney.stages.map((stage) => stage.name)).toEqual(['Purchase experience', 'Usage experience', 'Service experience']);
			const bankJourney = await getJourney(server, owner, bank);
			expect(bankJourney.title).toBe('Bank one');
			expect(bankJourney.touchpoints.length).toBeGreaterThan(0);
			expect(bankJourney.touchpoints.some((item) => item.kind === 'negative-peak')).toBe(true);
			expect((await getJourney(server, owner, noTemplate)).touchpoints).toEqual([]);

			const list = await api(server, 'GET', '/api/boards', { cookie: owner.cookie });
			expect(list.status).toBe(200);
			const byId = new Map(list.body.boards.map((board: { id: string }) => [board.id, board]));
			for (const [id, title] of [
				[blank, 'Blank one'],
				[lifecycle, 'Lifecycle one'],
				[bank, 'Bank one']
			]) {
				expect(byId.get(id)).toEqual({ id, title, role: 'owner', updatedAt: expect.any(String) });
				expect(Number.isNaN(Date.parse((byId.get(id) as { updatedAt: string }).updatedAt))).toBe(false);
			}
			// Other people do not see them.
			expect((await api(server, 'GET', '/api/boards', { cookie: outsider.cookie })).body.boards).toEqual([]);
		});

		test('400 for a missing title, an unknown template or a body that is not JSON', async () => {
			expectError(await api(server, 'POST', '/api/boards', { cookie: owner.cookie, body: {} }), 400);
			expectError(await api(server, 'POST', '/api/boards', { cookie: owner.cookie, body: { title: '   ' } }), 400);
			expectError(await api(server, 'POST', '/api/boards', { cookie: owner.cookie, body: { title: 'X', template: 'kanban' } }), 400);
			expectError(
				await api(server, 'POST', '/api/boards', {
					cookie: owner.cookie,
					body: 'title=X',
					headers: { 'content-type': 'application/json' }
				}),
				400
			);
		});

		test('a journey export imports as an equal journey', async () => {
			const source = await createBoard(server, owner, { title: 'Source', template: 'bank-branch' });
			const exported = await getJourney(server, owner, source);
			const imported = await createBoard(server, owner, { title: 'Source', journey: exported });
			expect(await getJourney(server, owner, imported)).toEqual(exported);
			// Without a title, the journey's own title is used.
			const untitled = await createBoard(server, owner, { journey: { ...exported, title: 'From the file' } });
			expect((await getJourney(server, owner, untitled)).title).toBe('From the file');
		});

		test.each([
			['a wrong format tag', (journey: any) => ({ ...journey, format: 'journey-map/v0' }), /format/],
			// A touchpoint on a stage that does not exist is taken (it is unplaced, and exports keep it, so
			// export then import stays equal); a kind outside the three is not.
			[
				'a touchpoint of a kind that does not exist',
				(journey: any) => ({ ...journey, touchpoints: [{ ...journey.touchpoints[0], kind: 'delightful' }] }),
				/kind/
			],
			['an emotion out of range', (journey: any) => ({ ...journey, touchpoints: [{ ...journey.touchpoints[0], emotion: 9 }] }), /emotion/],
			['a journey that is not an object', () => 'not a journey', /journey/]
		])('400 with a message for an invalid journey: %s', async (_name, corrupt, mentions) => {
			const source = await createBoard(server, owner, { title: 'Valid', template: 'bank-branch' });
			const journey = corrupt(await getJourney(server, owner, source));
			const before = (await api(server, 'GET', '/api/boards', { cookie: owner.cookie })).body.boards.length;
			const response = await api(server, 'POST', '/api/boards', { cookie: owner.cookie, body: { title: 'Bad', journey } });
			expectError(response, 400);
			expect(response.body.error).toMatch(mentions);
			expect((await api(server, 'GET', '/api/boards', { cookie: owner.cookie })).body.boards.length).toBe(before);
		});
	});

	describe('GET and DELETE /api/boards/:id', () => {
		test('a member gets the board with its members; a non-member and a missing board get 404', async () => {
			const { boardId } = await setupBoard({
				server,
				owner,
				members: { editor: { role: 'editor', account: editor } },
				board: { title: 'Shared' }
			});
			const response = await api(server, 'GET', `/api/boards/${boardId}`, { cookie: editor.cookie });
			expect(response.status).toBe(200);
			expect(response.body.board).toEqual({
				id: boardId,
				title: 'Shared',
				role: 'editor',
				members: [
					{ userId: owner.id, email: owner.email, name: owner.name, role: 'owner' },
					{ userId: editor.id, email: editor.email, name: editor.name, role: 'editor' }
				]
			});
			expectError(await api(server, 'GET', `/api/boards/${boardId}`, { cookie: outsider.cookie }), 404);
			expectError(await api(server, 'GET', `/api/boards/${boardId}/journey`, { cookie: outsider.cookie }), 404);
			expectError(await api(server, 'GET', '/api/boards/does-not-exist', { cookie: owner.cookie }), 404);
			expectError(await api(server, 'GET', `/api/boards/${boardId}`), 401);
		});

		test('only an owner deletes: 403 for an editor, 404 for a non-member, then 204', async () => {
			const { boardId } = await setupBoard({
				server,
				owner,
				members: { editor: { role: 'editor', account: editor } },
				board: { title: 'Doomed' }
			});
			expectError(await api(server, 'DELETE', `/api/boards/${boardId}`, { cookie: editor.cookie }), 403);
			expectError(await api(server, 'DELETE', `/api/boards/${boardId}`, { cookie: outsider.cookie }), 404);
			expect((await api(server, 'GET', `/api/boards/${boardId}`, { cookie: owner.cookie })).status).toBe(200);

			expect((await api(server, 'DELETE', `/api/boards/${boardId}`, { cookie: owner.cookie })).status).toBe(204);
			expectError(await api(server, 'GET', `/api/boards/${boardId}`, { cookie: owner.cookie }), 404);
			expectError(await api(server, 'GET', `/api/boards/${boardId}`, { cookie: editor.cookie }), 404);
			const list = await api(server, 'GET', '/api/boards', { cookie: owner.cookie });
			expect(list.body.boards.map((board: { id: string }) => board.id)).not.toContain(boardId);
		});
	});

	describe('members', () => {
		test('an owner adds, changes and removes a member', async () => {
			const boardId = await createBoard(server, owner, { title: 'Team' });
			const member = await signUp(server, 'Member');
			const path = `/api/boards/${boardId}/members`;

			// Nobody's address is confirmed without mail: the add is a personal invite the member accepts.
			const added = await api(server, 'POST', path, { cookie: owner.cookie, body: { email: member.email, role: 'viewer' } });
			expect(added.status).toBe(202);
			expect((await api(server, 'GET', `/api/boards/${boardId}`, { cookie: member.cookie })).status).toBe(404);
			await acceptInvite(server, member, added.body.invite.url);
			expect((await api(server, 'GET', `/api/boards/${boardId}`, { cookie: member.cookie })).body.board.role).toBe('viewer');
			expect((await api(server, 'GET', '/api/boards', { cookie: member.cookie })).body.boards).toEqual([
				{ id: boardId, title: 'Team', role: 'viewer', updatedAt: expect.any(String) }
			]);

			const changed = await api(server, 'POST', path, {
				cookie: owner.cookie,
				body: { email: member.email.toUpperCase(), role: 'commenter' }
			});
			expect(changed.status).toBe(201);
			expect((await api(server, 'GET', `/api/boards/${boardId}`, { cookie: member.cookie })).body.board.role).toBe('commenter');

			expect((await api(server, 'DELETE', `${path}/${member.id}`, { cookie: owner.cookie })).status).toBe(204);
			expectError(await api(server, 'GET', `/api/boards/${boardId}`, { cookie: member.cookie }), 404);
			expectError(await api(server, 'DELETE', `${path}/${member.id}`, { cookie: owner.cookie }), 404);
		});

		test('non-owners cannot manage members', async () => {
			const { boardId } = await setupBoard({
				server,
				owner,
				members: { editor: { role: 'editor', account: editor } },
				board: { title: 'Guarded' }
			});
			const path = `/api/boards/${boardId}/members`;
			expectError(await api(server, 'POST', path, { cookie: editor.cookie, body: { email: outsider.email, role: 'owner' } }), 403);
			expectError(await api(server, 'DELETE', `${path}/${owner.id}`, { cookie: editor.cookie }), 403);
			expectError(await api(server, 'POST', path, { cookie: outsider.cookie, body: { email: outsider.email, role: 'owner' } }), 404);
			expectError(await api(server, 'GET', `/api/boards/${boardId}`, { cookie: outsider.cookie }), 404);
		});

		test('bad member input is 400; an unknown email gets a personal invite; the last owner stays', async () => {
			const boardId = await createBoard(server, owner, { title: 'Rules' });
			const path = `/api/boards/${boardId}/members`;
			expectError(await api(server, 'POST', path, { cookie: owner.cookie, body: { email: editor.email, role: 'admin' } }), 400);
			expectError(await api(server, 'POST', path, { cookie: owner.cookie, body: { role: 'editor' } }), 400);
			expectError(await api(server, 'POST', path, { cookie: owner.cookie, body: { email: 'not an address', role: 'editor' } }), 400);
			const unknown = await api(server, 'POST', path, { cookie: owner.cookie, body: { email: 'ghost@example.test', role: 'editor' } });
			expect(unknown.status).toBe(202);
			expect(unknown.body.invite.url).toMatch(/\/join\/[a-z0-9]+$/);
			expectError(await api(server, 'DELETE', `${path}/${owner.id}`, { cookie: owner.cookie }), 400);
			expectError(await api(server, 'POST', path, { cookie: owner.cookie, body: { email: owner.email, role: 'editor' } }), 400);
			expect((await api(server, 'GET', `/api/boards/${boardId}`, { cookie: owner.cookie })).body.board.role).toBe('owner');
		});
	});
});
