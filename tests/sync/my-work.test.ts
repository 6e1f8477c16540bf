import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { putAction } from '../../src/lib/journey/action-document';
import type { Action } from '../../src/lib/journey/schema';
import { api, cleanup, connectClient, createBoard, waitFor, type Account, type TestServer } from './helpers';
import { setupBoard } from './setup';

const action = (id: string, fields: Partial<Action> = {}): Action => ({
	id,
	title: `Action ${id}`,
	description: '',
	touchpointIds: [],
	owner: '',
	status: 'open',
	impact: 3,
	effort: 3,
	customersTold: false,
	createdBy: 'someone',
	createdAt: '2026-01-12T09:30:00.000Z',
	...fields
});

describe('PATCH /api/me departments and GET /api/me/actions', () => {
	let server: TestServer;
	let owner: Account;
	let dana: Account;
	let outsider: Account;
	let boardId: string;
	let otherBoardId: string;

	beforeAll(async () => {
		({
			server,
			owner,
			members: { dana, outsider },
			boardId
		} = await setupBoard({
			owner: 'Olga',
			members: { dana: { role: 'commenter', name: 'Dana' }, outsider: null },
			board: { title: 'Branch', template: 'blank' }
		}));
		otherBoardId = await createBoard(server, owner, { title: 'Call centre', template: 'blank' });
		const first = connectClient(server, owner.cookie, boardId);
		const second = connectClient(server, owner.cookie, otherBoardId);
		await Promise.all([first.synced, second.synced]);
		putAction(first.doc, action('a-none', { owner: 'Marketing' }));
		putAction(first.doc, action('a-assigned', { assigneeId: dana.id, due: '2099-06-01' }));
		putAction(first.doc, action('a-overdue', { owner: 'branch  staff', due: '2020-01-01', status: 'in-progress' }));
		putAction(first.doc, action('a-done-late', { owner: 'Branch staff', due: '2020-01-02', status: 'done' }));
		putAction(first.doc, action('a-undated', { owner: 'ＢＲＡＮＣＨ staff' }));
		// A board Dana is not a member of: its actions never show, whatever their owner.
		putAction(second.doc, action('a-hidden', { owner: 'Branch staff', assigneeId: dana.id }));
		await waitFor(async () => {
			const journey = await api(server, 'GET', `/api/boards/${boardId}/journey`, { cookie: owner.cookie });
			const other = await api(server, 'GET', `/api/boards/${otherBoardId}/journey`, { cookie: owner.cookie });
			return journey.body.actions.length === 5 && other.body.actions.length === 1;
		}, 'the server to store the actions');
	});
	afterAll(cleanup);

	test('a person without departments sees only what is assigned to them', async () => {
		const response = await api(server, 'GET', '/api/me/actions', { cookie: dana.cookie });
		expect(response.status).toBe(200);
		expect(response.body.actions).toEqual([
			{
				boardId,
				boardTitle: 'Branch',
				actionId: 'a-assigned',
				title: 'Action a-assigned',
				status: 'open',
				owner: '',
				assigneeId: dana.id,
				due: '2099-06-01'
			}
		]);
	});

	test('PATCH sets departments, tidied and once each; GET /api/me shows them', async () => {
		const response = await api(server, 'PATCH', '/api/me', {
			cookie: dana.cookie,
			body: { departments: [' Branch   staff ', 'branch staff', '', 'Ｒｉｓｋ'] }
		});
		expect(response.status).toBe(200);
		expect(response.body.departments).toEqual(['Branch staff', 'Risk']);
		expect(response.body.user.name).toBe('Dana');
		const me = await api(server, 'GET', '/api/me', { cookie: dana.cookie });
		expect(me.body.departments).toEqual(['Branch staff', 'Risk']);
	});

	test('then the department’s actions wait on them too: overdue first, then by due date, undated last', async () => {
		const response = await api(server, 'GET', '/api/me/actions', { cookie: dana.cookie });
		expect(response.body.actions.map((item: { actionId: string }) => item.actionId)).toEqual([
			'a-overdue',
			// Done: not overdue, though its date has passed.
			'a-done-late',
			'a-assigned',
			'a-undated'
		]);
	});

	test('refuses bad input with a clear message', async () => {
		const bad = async (body: unknown) => api(server, 'PATCH', '/api/me', { cookie: dana.cookie, body });
		expect((await bad({})).status).toBe(400);
		expect((await bad({ departments: 'Risk' })).body.error).toContain('departments');
		expect((await bad({ departments: [42] })).body.error).toContain('Each department must be text');
		expect((await bad({ departments: ['x'.repeat(201)] })).body.error).toContain('at most 200 characters');
		expect((await bad({ departments: Array.from({ length: 21 }, (_, i) => `D${i}`) })).body.error).toContain('At most 20 departments');
		expect((await bad({ name: '' })).status).toBe(400);
		const renamed = await bad({ name: 'Dana K.' });
		expect(renamed.status).toBe(200);
		expect(renamed.body.departments).toEqual(['Branch staff', 'Risk']);
	});

	test('needs a session, and shows a stranger nothing of others’ boards', async () => {
		expect((await api(server, 'GET', '/api/me/actions')).status).toBe(401);
		await api(server, 'PATCH', '/api/me', { cookie: outsider.cookie, body: { departments: ['Branch staff'] } });
		const response = await api(server, 'GET', '/api/me/actions', { cookie: outsider.cookie });
		expect(response.body.actions).toEqual([]);
	});
});
