import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { templateJourney } from '../../src/lib/journey/templates';
import { api, cleanup, touchpoint, type Account, type ApiResponse, type TestServer } from './helpers';
import { setupBoard } from './setup';

// Issue 13, voting and ratings: every round kept with its dates and results across a new round,
// ranked results shown to everyone, ratings revealed anonymously, votes refused outside the round.

let server: TestServer;
let owner: Account;
let alice: Account;
let bob: Account;
let viewer: Account;
let boardId: string;

beforeAll(async () => {
	const journey = {
		...templateJourney('blank', 'Rounds'),
		touchpoints: [
			{ ...touchpoint('tp-a'), title: 'Queue' },
			{ ...touchpoint('tp-b'), title: 'Counter' },
			{ ...touchpoint('tp-c'), title: 'Exit' }
		]
	};
	({
		server,
		owner,
		boardId,
		members: { alice, bob, viewer }
	} = await setupBoard({
		owner: 'Olivia Owner',
		members: { alice: { role: 'commenter', name: 'Alice Able' }, bob: { role: 'editor', name: 'Bob Baker' }, viewer: 'viewer' },
		board: { title: 'Rounds', journey }
	}));
});
afterAll(cleanup);

function expectError(response: ApiResponse, status: number): void {
	expect(response.status, JSON.stringify(response.body)).toBe(status);
	expect(response.body).toEqual({ error: expect.any(String) });
}
const facilitate = (account: Account, body: unknown) =>
	api(server, 'PATCH', `/api/boards/${boardId}/facilitation`, { cookie: account.cookie, body });
const vote = (account: Account, touchpointId: string, delta = 1) =>
	api(server, 'POST', `/api/boards/${boardId}/votes`, { cookie: account.cookie, body: { touchpointId, delta } });
const rate = (account: Account, touchpointId: string, emotion: number) =>
	api(server, 'POST', `/api/boards/${boardId}/ratings`, { cookie: account.cookie, body: { touchpointId, emotion } });
async function roundsOf(account: Account) {
	const response = await api(server, 'GET', `/api/boards/${boardId}/rounds`, { cookie: account.cookie });
	expect(response.status).toBe(200);
	return response.body.rounds;
}
async function stateOf(account: Account) {
	return (await api(server, 'GET', `/api/boards/${boardId}/facilitation`, { cookie: account.cookie })).body.state;
}

describe('dot-voting rounds', () => {
	test('votes are refused before the round, past the allowance, on an unknown touchpoint and from a viewer', async () => {
		expectError(await vote(alice, 'tp-a'), 409);
		expect((await facilitate(owner, { votingOpen: true, votingBudget: 2 })).status).toBe(200);
		expect((await vote(alice, 'tp-b')).status).toBe(200);
		expect((await vote(alice, 'tp-b')).status).toBe(200);
		expectError(await vote(alice, 'tp-a'), 409);
		expectError(await vote(bob, 'tp-unknown'), 404);
		expectError(await vote(bob, 'x'.repeat(65)), 400);
		expectError(await vote(viewer, 'tp-a'), 403);
		expect((await vote(bob, 'tp-a')).status).toBe(200);
		expect((await vote(bob, 'tp-c')).status).toBe(200);
		// The running round is listed, its results come when it closes.
		const [running] = await roundsOf(viewer);
		expect(running).toMatchObject({ kind: 'vote', budget: 2, endedAt: null, results: null });
	});

	test('closing keeps the ranked results with ties; showing them reaches everyone', async () => {
		expect((await facilitate(owner, { votingOpen: false })).status).toBe(200);
		expectError(await vote(bob, 'tp-a', -1), 409);
		const [closed] = await roundsOf(alice);
		expect(closed).toMatchObject({ kind: 'vote', budget: 2, endedAt: expect.any(String) });
		expect(Date.parse(closed.startedAt)).toBeLessThanOrEqual(Date.parse(closed.endedAt));
		expect(closed.results).toEqual({
			ranking: [
				{ touchpointId: 'tp-b', title: 'Counter', dots: 2, rank: 1, tied: false },
				{ touchpointId: 'tp-a', title: 'Queue', dots: 1, rank: 2, tied: true },
				{ touchpointId: 'tp-c', title: 'Exit', dots: 1, rank: 2, tied: true }
			],
			dots: 4,
			voters: 2
		});
		expectError(await facilitate(alice, { resultsShown: true }), 403);
		expect((await facilitate(owner, { resultsShown: true })).body.state.resultsShown).toBe(true);
		expect((await stateOf(viewer)).resultsShown).toBe(true);
	});

	test('a new round starts empty and hidden; the previous round stays in the history', async () => {
		expect((await facilitate(owner, { votingOpen: true })).status).toBe(200);
		expect((await stateOf(alice)).resultsShown).toBe(false);
		expect((await vote(alice, 'tp-c')).status).toBe(200);
		expect((await facilitate(owner, { votingOpen: false })).status).toBe(200);
		const votes = (await roundsOf(viewer)).filter((round: { kind: string }) => round.kind === 'vote');
		expect(votes).toHaveLength(2);
		expect(votes[0].results.ranking).toEqual([{ touchpointId: 'tp-c', title: 'Exit', dots: 1, rank: 1, tied: false }]);
		expect(votes[1].results.ranking.map((entry: { touchpointId: string }) => entry.touchpointId)).toEqual(['tp-b', 'tp-a', 'tp-c']);
	});
});

describe('rating rounds', () => {
	test('each rating round is kept with its anonymous figures once revealed', async () => {
		expect((await facilitate(owner, { ratingTouchpointId: 'tp-a' })).status).toBe(200);
		expect((await rate(alice, 'tp-a', -2)).status).toBe(200);
		expect((await rate(bob, 'tp-a', -1)).status).toBe(200);
		expect((await roundsOf(alice))[0]).toMatchObject({
			kind: 'rating',
			touchpointId: 'tp-a',
			title: 'Queue',
			revealed: false,
			results: null
		});
		expect((await facilitate(owner, { ratingRevealed: true })).status).toBe(200);
		const live = (await api(server, 'GET', `/api/boards/${boardId}/facilitation`, { cookie: viewer.cookie })).body.rating;
		expect(live.results.named).toBe(false);
		expect(live.results.ratings).toEqual([
			{ userId: null, name: null, emotion: -2 },
			{ userId: null, name: null, emotion: -1 }
		]);

		// A second round on another touchpoint: the first stays kept.
		expect((await facilitate(owner, { ratingTouchpointId: 'tp-b' })).status).toBe(200);
		expect((await rate(alice, 'tp-b', 3)).status).toBe(200);
		expect((await facilitate(owner, { ratingTouchpointId: null })).status).toBe(200);
		const ratings = (await roundsOf(viewer)).filter((round: { kind: string }) => round.kind === 'rating');
		expect(ratings).toHaveLength(2);
		expect(ratings[0]).toMatchObject({ touchpointId: 'tp-b', revealed: false, results: null, endedAt: expect.any(String) });
		expect(ratings[1]).toMatchObject({ touchpointId: 'tp-a', revealed: true, segmentId: null, endedAt: expect.any(String) });
		expect(ratings[1].results).toEqual({ count: 2, mean: -1.5, min: -2, max: -1, spread: 0.5, values: [-2, -1] });
		expect(JSON.stringify(await roundsOf(viewer))).not.toMatch(/Alice|Bob/);
	});

	test('strangers get nothing', async () => {
		expect((await api(server, 'GET', `/api/boards/${boardId}/rounds`, {})).status).toBe(401);
	});
});
