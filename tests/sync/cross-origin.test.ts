import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { api, cleanup, createBoard, FOREIGN_ORIGIN, PASSWORD, sessionCookie, signUp, type Account, type TestServer } from './helpers';
import { setupBoard } from './setup';

/** One body per content type a cross-site form or fetch could send without a preflight, and JSON. */
function bodies(json: object): [string, { body: string | FormData; headers?: Record<string, string> }][] {
	const form = new FormData();
	for (const [key, value] of Object.entries(json)) form.set(key, String(value));
	return [
		['application/json', { body: JSON.stringify(json), headers: { 'content-type': 'application/json' } }],
		['text/plain', { body: JSON.stringify(json), headers: { 'content-type': 'text/plain' } }],
		[
			'application/x-www-form-urlencoded',
			{
				body: new URLSearchParams(Object.entries(json).map(([key, value]) => [key, String(value)])).toString(),
				headers: { 'content-type': 'application/x-www-form-urlencoded' }
			}
		],
		['multipart/form-data', { body: form }]
	];
}

// A state-changing request whose Origin names another origin is refused with 403, whatever its
// content type; requests without Origin pass on their cookie alone (docs/api.md, HTTP conventions: cross-origin rule).
describe('cross-origin requests', () => {
	let server: TestServer;
	let owner: Account;

	beforeAll(async () => {
		({ server, owner } = await setupBoard({ board: false }));
	});
	afterAll(cleanup);

	async function boardCount(): Promise<number> {
		return (await api(server, 'GET', '/api/boards', { cookie: owner.cookie })).body.boards.length;
	}

	test.each(bodies({ title: 'Cross-site board' }))(
		'POST /api/boards as %s from a foreign origin is 403 and creates nothing',
		async (_type, request) => {
			const before = await boardCount();
			const response = await api(server, 'POST', '/api/boards', {
				cookie: owner.cookie,
				...request,
				headers: { ...request.headers, origin: FOREIGN_ORIGIN }
			});
			expect(response.status).toBe(403);
			expect(response.headers.get('content-type')).toMatch(/^application\/json/);
			expect(typeof response.body.error).toBe('string');
			expect(await boardCount()).toBe(before);
		}
	);

	test.each(bodies({ email: 'csrf@example.test', password: PASSWORD, name: 'Csrf' }))(
		'POST /api/auth/signup as %s from a foreign origin is 403 and sets no cookie',
		async (_type, request) => {
			const response = await api(server, 'POST', '/api/auth/signup', {
				...request,
				headers: { ...request.headers, origin: FOREIGN_ORIGIN }
			});
			expect(response.status).toBe(403);
			expect(response.body.error).toEqual(expect.any(String));
			expect(sessionCookie(response.headers)).toBeNull();
		}
	);

	test('login, logout, member changes and board deletion from a foreign origin are refused', async () => {
		const boardId = await createBoard(server, owner, { title: 'Target' });
		const member = await signUp(server, 'Member');
		const foreign = { origin: FOREIGN_ORIGIN };
		const login = await api(server, 'POST', '/api/auth/login', { body: { email: owner.email, password: PASSWORD }, headers: foreign });
		expect(login.status).toBe(403);
		expect(sessionCookie(login.headers)).toBeNull();
		expect((await api(server, 'POST', '/api/auth/logout', { cookie: owner.cookie, headers: foreign })).status).toBe(403);
		expect((await api(server, 'GET', '/api/me', { cookie: owner.cookie })).status).toBe(200);
		const add = await api(server, 'POST', `/api/boards/${boardId}/members`, {
			cookie: owner.cookie,
			body: { email: member.email, role: 'owner' },
			headers: foreign
		});
		expect(add.status).toBe(403);
		expect((await api(server, 'GET', `/api/boards/${boardId}`, { cookie: member.cookie })).status).toBe(404);
		expect((await api(server, 'DELETE', `/api/boards/${boardId}`, { cookie: owner.cookie, headers: foreign })).status).toBe(403);
		expect((await api(server, 'GET', `/api/boards/${boardId}`, { cookie: owner.cookie })).status).toBe(200);
		// An opaque origin (sandboxed frame, file:) is another origin too.
		expect((await api(server, 'DELETE', `/api/boards/${boardId}`, { cookie: owner.cookie, headers: { origin: 'null' } })).status).toBe(403);
	});

	test('the server’s own origin and requests without Origin pass', async () => {
		const sameOrigin = await api(server, 'POST', '/api/boards', {
			cookie: owner.cookie,
			body: { title: 'Same origin' },
			headers: { origin: server.origin }
		});
		expect(sameOrigin.status).toBe(201);
		const noOrigin = await api(server, 'POST', '/api/boards', { cookie: owner.cookie, body: { title: 'No origin' } });
		expect(noOrigin.status).toBe(201);
	});

	test('reads from a foreign origin are not state-changing and are answered', async () => {
		const response = await api(server, 'GET', '/api/me', { cookie: owner.cookie, headers: { origin: FOREIGN_ORIGIN } });
		expect(response.status).toBe(200);
	});
});
