import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { collectionMap, deleteSegment } from '../../src/lib/journey/document';
import { api, cleanup, getJourney, loadFresh, waitFor, type Account, type ApiResponse, type Client, type TestServer } from './helpers';
import { setupBoard } from './setup';

// Issue 16, rating rounds "as a segment": the facilitator starts a round for one customer segment,
// participants rate how that customer felt, adopting writes that segment's emotion only.

let server: TestServer;
let owner: Account;
let alice: Account;
let bob: Account;
let viewer: Account;
let boardId: string;
let watcher: Client;
let bobsClient: Client;

const QUEUE = 't8';

beforeAll(async () => {
	({
		server,
		owner,
		boardId,
		members: { alice, bob, viewer },
		clients: [watcher, bobsClient]
	} = await setupBoard({
		owner: 'Olivia Owner',
		members: { alice: { role: 'commenter', name: 'Alice Able' }, bob: { role: 'editor', name: 'Bob Baker' }, viewer: 'viewer' },
		board: { title: 'Branch', template: 'bank-branch' },
		clients: ['viewer', 'bob']
	}));
});
afterAll(cleanup);

function expectError(response: ApiResponse, status: number, message?: RegExp): void {
	expect(response.status, JSON.stringify(response.body)).toBe(status);
	expect(response.body).toEqual({ error: expect.any(String) });
	if (message) expect(response.body.error).toMatch(message);
}
const facilitate = (account: Account, body: unknown) =>
	api(server, 'PATCH', `/api/boards/${boardId}/facilitation`, { cookie: account.cookie, body });
const rate = (account: Account, emotion: number) =>
	api(server, 'POST', `/api/boards/${boardId}/ratings`, { cookie: account.cookie, body: { touchpointId: QUEUE, emotion } });
const adopt = (account: Account, touchpointId = QUEUE) =>
	api(server, 'POST', `/api/boards/${boardId}/ratings/adopt`, { cookie: account.cookie, body: { touchpointId } });
const live = async (account: Account) => (await api(server, 'GET', `/api/boards/${boardId}/facilitation`, { cookie: account.cookie })).body;
const rounds = async (account: Account) =>
	(await api(server, 'GET', `/api/boards/${boardId}/rounds`, { cookie: account.cookie })).body.rounds;
/** A key of the queue's touchpoint map as a client's document holds it. */
const queueValue = (doc: Y.Doc, key: string) => collectionMap(doc, 'touchpoints').get(QUEUE)?.get(key);

describe('a rating round for one customer segment', () => {
	test('only a facilitator starts one, on a segment the board has, in a new round', async () => {
		expectError(await facilitate(viewer, { ratingTouchpointId: QUEUE, ratingSegmentId: 'seg-gold' }), 403);
		expectError(await facilitate(bob, { ratingTouchpointId: QUEUE, ratingSegmentId: 'seg-gold' }), 403);
		expectError(await facilitate(owner, { ratingTouchpointId: QUEUE, ratingSegmentId: 'seg-nowhere' }), 404, /segment/);
		expectError(await facilitate(owner, { ratingSegmentId: 'seg-gold' }), 400, /ratingTouchpointId/);
		expectError(await facilitate(owner, { ratingTouchpointId: QUEUE, ratingSegmentId: 'x'.repeat(65) }), 400, /ratingSegmentId/);
		// Nothing started by the refused requests.
		expect((await live(alice)).state).toMatchObject({ ratingTouchpointId: null, ratingSegmentId: null });
		expect(await rounds(alice)).toEqual([]);
	});

	test('participants rate as the segment; adopting writes that segment’s emotion and leaves all customers’ as it was', async () => {
		const before = (await getJourney(server, owner, boardId)).touchpoints.find((touchpoint) => touchpoint.id === QUEUE)!;
		await watcher.synced;
		const started = await facilitate(owner, { ratingTouchpointId: QUEUE, ratingSegmentId: 'seg-gold' });
		expect(started.status).toBe(200);
		expect(started.body.state).toMatchObject({ ratingTouchpointId: QUEUE, ratingSegmentId: 'seg-gold', ratingRevealed: false });
		expect((await live(alice)).rating).toMatchObject({ touchpointId: QUEUE, segmentId: 'seg-gold', count: 0 });

		expect((await rate(alice, -3)).status).toBe(200);
		expect((await rate(bob, -2)).status).toBe(200);
		expectError(await adopt(owner), 409, /Reveal/);
		expect((await facilitate(owner, { ratingRevealed: true })).status).toBe(200);
		expectError(await adopt(alice), 403);
		expectError(await adopt(bob), 403);
		expectError(await adopt(owner, 't1'), 409);

		const adopted = await adopt(owner);
		expect(adopted.status, JSON.stringify(adopted.body)).toBe(200);
		// The mean −2.5 rounds away from zero.
		expect(adopted.body.adoption).toEqual({ touchpointId: QUEUE, segmentId: 'seg-gold', emotion: -3 });
		expect((await live(alice)).rating).toMatchObject({ segmentId: 'seg-gold', adopted: -3 });

		// Relayed to a client on the board, and stored: a fresh load and the journey JSON have it.
		await waitFor(() => queueValue(watcher.doc, 'emotion@seg-gold') === -3, 'the segment’s emotion to reach a client');
		expect(queueValue(watcher.doc, 'emotion')).toBe(before.emotion);
		const fresh = await loadFresh(server, owner, boardId);
		expect(queueValue(fresh, 'emotion@seg-gold')).toBe(-3);
		fresh.destroy();
		const after = (await getJourney(server, owner, boardId)).touchpoints.find((touchpoint) => touchpoint.id === QUEUE)!;
		expect(after.emotion).toBe(before.emotion);
		expect(after.bySegment?.['seg-gold']).toEqual({ ...before.bySegment?.['seg-gold'], emotion: -3 });
		expect(after.bySegment?.['seg-vip']).toEqual(before.bySegment?.['seg-vip']);
		expect(after.bySegment?.['seg-regular']).toEqual(before.bySegment?.['seg-regular']);

		// The kept round names the segment and what was adopted.
		const [round] = await rounds(viewer);
		expect(round).toMatchObject({
			kind: 'rating',
			touchpointId: QUEUE,
			segmentId: 'seg-gold',
			segmentName: 'Gold-card customers',
			revealed: true,
			adopted: -3,
			results: { count: 2, mean: -2.5, values: [-3, -2] }
		});
	});

	test('a round for all customers after it adopts the touchpoint’s own emotion and leaves the segment’s', async () => {
		expect((await facilitate(owner, { ratingTouchpointId: QUEUE })).body.state).toMatchObject({ ratingSegmentId: null });
		expect((await live(alice)).rating).toMatchObject({ segmentId: null, count: 0 });
		expect((await rate(alice, 1)).status).toBe(200);
		expect((await rate(bob, 2)).status).toBe(200);
		expect((await facilitate(owner, { ratingRevealed: true })).status).toBe(200);
		expect((await adopt(owner)).body.adoption).toEqual({ touchpointId: QUEUE, segmentId: null, emotion: 2 });
		await waitFor(() => queueValue(watcher.doc, 'emotion') === 2, 'the all-customers emotion to reach a client');
		expect(queueValue(watcher.doc, 'emotion@seg-gold')).toBe(-3);
		const [latest, segmentRound] = await rounds(viewer);
		expect(latest).toMatchObject({ segmentId: null, segmentName: null, adopted: 2 });
		expect(segmentRound).toMatchObject({ segmentId: 'seg-gold', endedAt: expect.any(String) });
		// Ending the round clears its segment.
		expect((await facilitate(owner, { ratingTouchpointId: null })).body.state).toMatchObject({
			ratingTouchpointId: null,
			ratingSegmentId: null
		});
		expectError(await adopt(owner), 409);
	});

	test('a segment deleted during its round is not written to', async () => {
		expect((await facilitate(owner, { ratingTouchpointId: QUEUE, ratingSegmentId: 'seg-regular' })).status).toBe(200);
		expect((await rate(alice, 4)).status).toBe(200);
		expect((await facilitate(owner, { ratingRevealed: true })).status).toBe(200);
		// An editor deletes the segment on the board meanwhile.
		deleteSegment(bobsClient.doc, 'seg-regular');
		await waitFor(
			async () => !(await getJourney(server, owner, boardId)).segments.some((segment) => segment.id === 'seg-regular'),
			'the deletion to be stored'
		);
		expectError(await adopt(owner), 409, /deleted/);
	});
});
