/**
 * Feedback intake through real HTTP: intake tokens, batches of survey responses with a bearer
 * token, CSV files, the metrics they add up to and the live evidence items they keep on the board.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	addMember,
	api,
	cleanup,
	createBoard,
	FOREIGN_ORIGIN,
	getJourney,
	type Account,
	type ApiResponse,
	type TestServer,
	waitFor
} from './helpers';
import { setupBoard } from './setup';
import { collectionMap } from '../../src/lib/journey/document';

/** NPS scores cycled through a batch: 4 promoters (9, 10), 2 passives (7, 8), 4 detractors (0, 3, 5, 6) in every ten. */
const NPS_CYCLE = [9, 10, 9, 10, 7, 8, 0, 3, 5, 6];

function intake(server: TestServer, token: string, responses: unknown[], headers: Record<string, string> = {}): Promise<ApiResponse> {
	return api(server, 'POST', '/api/intake', { body: { responses }, headers: { authorization: `Bearer ${token}`, ...headers } });
}

function npsBatch(prefix: string, size: number, touchpointId = 't1'): unknown[] {
	return Array.from({ length: size }, (_, index) => ({
		id: `${prefix}-${index}`,
		touchpointId,
		metric: 'nps',
		score: NPS_CYCLE[index % NPS_CYCLE.length],
		...(index % 100 === 0 ? { comment: `Comment ${index}`, at: `2026-03-01T10:${String(index % 60).padStart(2, '0')}:00Z` } : {})
	}));
}

async function metricsOf(server: TestServer, account: Account, boardId: string) {
	const response = await api(server, 'GET', `/api/boards/${boardId}/metrics`, { cookie: account.cookie });
	expect(response.status).toBe(200);
	return response.body.touchpoints as { touchpointId: string; metrics: Record<string, any>; bySegment: Record<string, any> }[];
}

function csvForm(text: string): FormData {
	const form = new FormData();
	form.append('file', new Blob([text], { type: 'text/csv' }), 'responses.csv');
	return form;
}

describe('feedback intake', () => {
	let server: TestServer;
	let owner: Account;
	let members: { editor: Account; commenter: Account; viewer: Account };
	let boardId: string;
	let token: string;

	beforeAll(async () => {
		({ server, owner, members, boardId } = await setupBoard({
			members: { editor: 'editor', commenter: 'commenter', viewer: 'viewer' },
			board: { title: 'Branch', template: 'bank-branch' }
		}));
		const created = await api(server, 'POST', `/api/boards/${boardId}/intake-tokens`, {
			cookie: owner.cookie,
			body: { name: 'Survey tool' }
		});
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({ name: 'Survey tool', token: expect.stringMatching(/^jit_[a-z2-7]{32}$/) });
		token = created.body.token;
	});
	afterAll(cleanup);

	test('the owner lists tokens without their secrets; editors, commenters and viewers may not create or list them', async () => {
		const listed = await api(server, 'GET', `/api/boards/${boardId}/intake-tokens`, { cookie: owner.cookie });
		expect(listed.status).toBe(200);
		expect(listed.body.tokens).toEqual([{ id: expect.any(String), name: 'Survey tool', createdAt: expect.any(String), lastUsedAt: null }]);
		expect(JSON.stringify(listed.body)).not.toContain(token);
		for (const member of [members.editor, members.commenter, members.viewer]) {
			const create = await api(server, 'POST', `/api/boards/${boardId}/intake-tokens`, { cookie: member.cookie, body: { name: 'Mine' } });
			expect(create.status).toBe(403);
			expect((await api(server, 'GET', `/api/boards/${boardId}/intake-tokens`, { cookie: member.cookie })).status).toBe(403);
		}
		const blank = await api(server, 'POST', `/api/boards/${boardId}/intake-tokens`, { cookie: owner.cookie, body: { name: ' ' } });
		expect(blank.status).toBe(400);
	});

	test('a batch of 1,000 is taken; sent again it is all duplicates; the metrics count each response once', async () => {
		const batch = npsBatch('first', 1000);
		const first = await intake(server, token, batch);
		expect(first.status).toBe(200);
		expect(first.body).toEqual({ accepted: 1000, duplicates: 0 });
		const retried = await intake(server, token, batch);
		expect(retried.body).toEqual({ accepted: 0, duplicates: 1000 });
		// The same id twice in one batch counts once.
		const twice = await intake(server, token, [
			{ id: 'twin', touchpointId: 't1', metric: 'nps', score: 10 },
			{ id: 'twin', touchpointId: 't1', metric: 'nps', score: 10 }
		]);
		expect(twice.body).toEqual({ accepted: 1, duplicates: 1 });

		const [t1] = await metricsOf(server, owner, boardId);
		// 1,000 responses: 400 promoters, 200 passives, 400 detractors; plus one promoter (twin).
		expect(t1).toMatchObject({ touchpointId: 't1', bySegment: {} });
		expect(t1.metrics.nps).toEqual({ count: 1001, score: (100 * (401 - 400)) / 1001, promoters: 401, passives: 200, detractors: 400 });
		const tokens = await api(server, 'GET', `/api/boards/${boardId}/intake-tokens`, { cookie: owner.cookie });
		expect(tokens.body.tokens[0].lastUsedAt).not.toBeNull();
	});

	test('a batch with one bad response stores nothing and names it by index', async () => {
		const batch = npsBatch('bad', 10, 't2');
		batch[3] = { touchpointId: 't2', metric: 'csat', score: 6 };
		batch[7] = { touchpointId: 'no-such-card', metric: 'ces', score: 2 };
		const response = await intake(server, token, batch);
		expect(response.status).toBe(400);
		expect(response.body.errors).toEqual([
			{ index: 3, error: 'score: csat takes whole numbers from 1 to 5' },
			{ index: 7, error: 'touchpointId: the board has no touchpoint "no-such-card"' }
		]);
		expect((await metricsOf(server, owner, boardId)).map((entry) => entry.touchpointId)).toEqual(['t1']);
		const badSegment = await intake(server, token, [{ touchpointId: 't2', metric: 'emotion', score: 1, segmentId: 'seg-nope' }]);
		expect(badSegment.body.errors).toEqual([{ index: 0, error: 'segmentId: the board has no segment "seg-nope"' }]);
	});

	test('evidence items appear on the board, in GET /journey and in the analysis coverage, and comments are listed', async () => {
		await intake(server, token, [
			{ touchpointId: 't2', metric: 'csat', score: 5, segmentId: 'seg-gold', comment: 'Friendly staff' },
			{ touchpointId: 't2', metric: 'csat', score: 2, segmentId: 'seg-regular' },
			{ touchpointId: 't2', metric: 'ces', score: 6 }
		]);
		// The live evidence follows the stored responses within INTAKE_EVIDENCE_INTERVAL_MS.
		const intakeItems = await waitFor(async () => {
			const items = (await getJourney(server, owner, boardId)).evidence.filter((item) => item.source === 'intake');
			return items.some((item) => item.id === 'intake-t2-ces') ? items : null;
		}, 'the intake evidence of t2');
		expect(intakeItems).toEqual(
			expect.arrayContaining([
				expect.objectContaining({
					id: 'intake-t1-nps',
					touchpointId: 't1',
					type: 'metric',
					value: (100 * 1) / 1001,
					unit: 'NPS',
					count: 1001
				}),
				expect.objectContaining({ id: 'intake-t2-csat', touchpointId: 't2', value: 3.5, unit: 'CSAT', count: 2 }),
				expect.objectContaining({ id: 'intake-t2-ces', value: 6, unit: 'CES', count: 1 })
			])
		);
		expect(intakeItems).toHaveLength(3);
		const analysis = await api(server, 'GET', `/api/boards/${boardId}/analysis`, { cookie: members.viewer.cookie });
		// The template backs t4, t8 and t13 with evidence; intake now backs t1 and t2 too.
		expect(analysis.body.evidence).toMatchObject({ covered: 5, total: 15 });

		const metrics = await metricsOf(server, members.viewer, boardId);
		const t2 = metrics.find((entry) => entry.touchpointId === 't2')!;
		expect(t2.metrics.csat).toEqual({ count: 2, mean: 3.5, satisfied: 0.5 });
		expect(t2.bySegment).toEqual({
			'seg-gold': { csat: { count: 1, mean: 5, satisfied: 1 } },
			'seg-regular': { csat: { count: 1, mean: 2, satisfied: 0 } }
		});

		const comments = await api(server, 'GET', `/api/boards/${boardId}/intake/comments?touchpointId=t1`, { cookie: members.viewer.cookie });
		expect(comments.status).toBe(200);
		expect(comments.body.comments).toHaveLength(10);
		expect(comments.body.comments[0]).toMatchObject({ metric: 'nps', comment: expect.stringMatching(/^Comment \d+$/) });
	});

	test('a CSV with a BOM, semicolons, Chinese titles and segment names is taken from an editor, not from a viewer or commenter', async () => {
		const exported = await getJourney(server, owner, boardId);
		const chinese = {
			...exported,
			evidence: [],
			touchpoints: exported.touchpoints.map((touchpoint) => (touchpoint.id === 't3' ? { ...touchpoint, title: '排队等候' } : touchpoint)),
			segments: exported.segments.map((segment) => (segment.id === 'seg-gold' ? { ...segment, name: '金卡客户' } : segment))
		};
		const zhBoard = await createBoard(server, owner, { title: '网点', journey: chinese });
		await addMember(server, owner, zhBoard, members.editor, 'editor');
		await addMember(server, owner, zhBoard, members.viewer, 'viewer');
		await addMember(server, owner, zhBoard, members.commenter, 'commenter');
		const csv =
			'\uFEFFtouchpoint;metric;score;segment;comment;id\r\n排队等候;nps;3;金卡客户;"等了半小时; 太久"\r\n排队等候;emotion;-4;;;r2\r\nt1;CSAT;4;seg-vip;;\r\n';
		for (const member of [members.viewer, members.commenter]) {
			const refused = await api(server, 'POST', `/api/boards/${zhBoard}/intake/csv`, { cookie: member.cookie, body: csvForm(csv) });
			expect(refused.status).toBe(403);
		}
		const taken = await api(server, 'POST', `/api/boards/${zhBoard}/intake/csv`, { cookie: members.editor.cookie, body: csvForm(csv) });
		expect(taken.status).toBe(200);
		expect(taken.body).toEqual({ accepted: 3, duplicates: 0 });
		const again = await api(server, 'POST', `/api/boards/${zhBoard}/intake/csv`, { cookie: members.editor.cookie, body: csvForm(csv) });
		// Rows without an id cannot be recognised again; the row with one can.
		expect(again.body).toEqual({ accepted: 2, duplicates: 1 });

		const t3 = (await metricsOf(server, owner, zhBoard)).find((entry) => entry.touchpointId === 't3')!;
		expect(t3.metrics.nps).toEqual({ count: 2, score: -100, promoters: 0, passives: 0, detractors: 2 });
		expect(t3.bySegment['seg-gold'].nps.count).toBe(2);
		const comments = await api(server, 'GET', `/api/boards/${zhBoard}/intake/comments?touchpointId=t3`, { cookie: owner.cookie });
		expect(comments.body.comments[0].comment).toBe('等了半小时; 太久');

		const bad = await api(server, 'POST', `/api/boards/${zhBoard}/intake/csv`, {
			cookie: members.editor.cookie,
			body: csvForm('touchpoint,metric,score\nt1,nps,4\n不存在,nps,4\n\nt1,ces,9\n')
		});
		expect(bad.status).toBe(400);
		// `row` as the spreadsheet numbers it: the header is row 1, and the blank row 4 counts.
		expect(bad.body.errors).toEqual([
			{ index: 1, row: 3, error: 'touchpointId: the board has no touchpoint "不存在"' },
			{ index: 2, row: 5, error: 'score: ces takes whole numbers from 1 to 7' }
		]);
		const noHeader = await api(server, 'POST', `/api/boards/${zhBoard}/intake/csv`, {
			cookie: members.editor.cookie,
			body: csvForm('a,b\n1,2\n')
		});
		expect(noHeader.status).toBe(400);
		expect(noHeader.body.error).toMatch(/touchpoint, metric, score/);
	});

	test('413 past 1,000 responses or 1 MB, and nothing is stored', async () => {
		const before = (await metricsOf(server, owner, boardId)).find((entry) => entry.touchpointId === 't4');
		expect(before).toBeUndefined();
		const tooMany = await intake(server, token, npsBatch('many', 1001, 't4'));
		expect(tooMany.status).toBe(413);
		const long = Array.from({ length: 600 }, (_, index) => ({
			touchpointId: 't4',
			metric: 'nps',
			score: 5,
			comment: 'x'.repeat(1990) + index
		}));
		const tooBig = await intake(server, token, long);
		expect(tooBig.status).toBe(413);
		// Sent chunked, without Content-Length, and far past the limit.
		const bytes = new TextEncoder().encode(JSON.stringify({ responses: long.concat(long, long, long) }));
		const chunked = await fetch(`${server.url}/api/intake`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: new ReadableStream({
				start(controller) {
					controller.enqueue(bytes);
					controller.close();
				}
			}),
			duplex: 'half'
		} as RequestInit);
		expect(chunked.status).toBe(413);
		const csv = 'touchpoint,metric,score\n' + 't4,nps,5\n'.repeat(1001);
		const csvTooMany = await api(server, 'POST', `/api/boards/${boardId}/intake/csv`, { cookie: owner.cookie, body: csvForm(csv) });
		expect(csvTooMany.status).toBe(413);
		expect((await metricsOf(server, owner, boardId)).find((entry) => entry.touchpointId === 't4')).toBeUndefined();
	});

	test('bearer intake passes the cross-origin rule; nothing else does', async () => {
		const foreign = await intake(server, token, [{ touchpointId: 't5', metric: 'emotion', score: 2 }], { origin: FOREIGN_ORIGIN });
		expect(foreign.status).toBe(200);
		// A cookie alone does not make an intake request, and a bearer header opens no other route.
		const cookieOnly = await api(server, 'POST', '/api/intake', {
			cookie: owner.cookie,
			body: { responses: [] },
			headers: { origin: FOREIGN_ORIGIN }
		});
		expect(cookieOnly.status).toBe(403);
		const otherRoute = await api(server, 'POST', `/api/boards/${boardId}/intake-tokens`, {
			cookie: owner.cookie,
			body: { name: 'Sneaky' },
			headers: { origin: FOREIGN_ORIGIN, authorization: `Bearer ${token}` }
		});
		expect(otherRoute.status).toBe(403);
	});

	test('401 without a token, with an unknown one, and at once after the owner revokes it', async () => {
		const response = [{ touchpointId: 't1', metric: 'nps', score: 9 }];
		expect((await api(server, 'POST', '/api/intake', { body: { responses: response } })).status).toBe(401);
		expect((await intake(server, 'jit_unknown', response)).status).toBe(401);
		// A session cookie is no intake credential.
		expect((await api(server, 'POST', '/api/intake', { cookie: owner.cookie, body: { responses: response } })).status).toBe(401);
		const listed = await api(server, 'GET', `/api/boards/${boardId}/intake-tokens`, { cookie: owner.cookie });
		const id = listed.body.tokens[0].id;
		expect((await api(server, 'DELETE', `/api/boards/${boardId}/intake-tokens/${id}`, { cookie: members.editor.cookie })).status).toBe(403);
		expect((await api(server, 'DELETE', `/api/boards/${boardId}/intake-tokens/${id}`, { cookie: owner.cookie })).status).toBe(204);
		const refused = await intake(server, token, response);
		expect(refused.status).toBe(401);
		expect((await api(server, 'DELETE', `/api/boards/${boardId}/intake-tokens/${id}`, { cookie: owner.cookie })).status).toBe(404);
	});
});

describe('intake limits', () => {
	test('a burst of batches reaches the people on the board as a few evidence updates, ending with every response counted', async () => {
		const {
			server,
			owner,
			boardId,
			clients: [watcher]
		} = await setupBoard({ board: { title: 'Burst', template: 'bank-branch' }, clients: ['owner'] });
		const created = await api(server, 'POST', `/api/boards/${boardId}/intake-tokens`, { cookie: owner.cookie, body: { name: 'Burst' } });
		const evidence = collectionMap(watcher.doc, 'evidence');
		let updates = 0;
		evidence.observeDeep(() => updates++);
		const BATCHES = 20;
		const answers = await Promise.all(
			Array.from({ length: BATCHES }, (_, batch) =>
				intake(server, created.body.token, [
					{ touchpointId: 't1', metric: 'csat', score: 1 + (batch % 5) },
					{ touchpointId: 't2', metric: 'ces', score: 1 + (batch % 7) }
				])
			)
		);
		expect(answers.map((answer) => answer.status)).toEqual(Array(BATCHES).fill(200));
		await waitFor(
			() => evidence.get('intake-t1-csat')?.get('count') === BATCHES && evidence.get('intake-t2-ces')?.get('count') === BATCHES,
			'every response counted on the board'
		);
		// Coalesced: fewer updates than batches, each one carrying both touchpoints' figures.
		expect(updates).toBeLessThan(BATCHES);
		await cleanup();
	});

	test('each token, and each person uploading CSV files, has its own request budget: 429 with Retry-After past it', async () => {
		const { server, owner, boardId } = await setupBoard({
			env: { INTAKE_MAX_PER_MINUTE: '2' },
			board: { title: 'Small', template: 'bank-branch' }
		});
		const newToken = async (name: string) =>
			(await api(server, 'POST', `/api/boards/${boardId}/intake-tokens`, { cookie: owner.cookie, body: { name } })).body.token as string;
		const [first, second] = [await newToken('A'), await newToken('B')];
		const response = [{ touchpointId: 't1', metric: 'ces', score: 3 }];
		expect((await intake(server, first, response)).status).toBe(200);
		expect((await intake(server, first, response)).status).toBe(200);
		const limited = await intake(server, first, response);
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		expect((await intake(server, second, response)).status).toBe(200);
		// A person's CSV uploads have a budget of the same size.
		const upload = () =>
			api(server, 'POST', `/api/boards/${boardId}/intake/csv`, {
				cookie: owner.cookie,
				body: csvForm('touchpoint,metric,score\nt1,ces,3\n')
			});
		expect((await upload()).status).toBe(200);
		expect((await upload()).status).toBe(200);
		const uploadLimited = await upload();
		expect(uploadLimited.status).toBe(429);
		expect(Number(uploadLimited.headers.get('retry-after'))).toBeGreaterThan(0);
		await cleanup();
	});

	test('a board holds at most 20 tokens', async () => {
		const { server, owner, boardId } = await setupBoard({ board: { title: 'Tokens' } });
		for (let index = 0; index < 20; index++) {
			const created = await api(server, 'POST', `/api/boards/${boardId}/intake-tokens`, {
				cookie: owner.cookie,
				body: { name: `T${index}` }
			});
			expect(created.status).toBe(201);
		}
		const refused = await api(server, 'POST', `/api/boards/${boardId}/intake-tokens`, { cookie: owner.cookie, body: { name: 'One more' } });
		expect(refused.status).toBe(409);
		await cleanup();
	});
});
