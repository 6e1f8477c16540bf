// Every reader tolerates what a member's client may put in the document (docs/api.md, Journey
// document: unplaced cards and unreadable fields), against the built server with real providers.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { collectionMap, putItem } from '../../src/lib/journey/document';
import { openDb } from '../../src/lib/server/db';
import { appendUpdates } from '../../src/lib/server/doc-store';
import type { Journey } from '../../src/lib/journey/schema';
import {
	api,
	BLANK_LANE,
	BLANK_STAGE,
	cleanup,
	getJourney,
	touchpoint,
	waitFor,
	type Account,
	type TestServer,
	onPostgres
} from './helpers';
import { ALICE_AND_BOB, setupBoard } from './setup';

afterEach(cleanup);

const EXPORTS = ['json', 'csv', 'md', 'svg', 'png', 'pdf'] as const;

/** The touchpoint ids of the board's analysis markings of one issue. */
async function marked(server: TestServer, account: Account, boardId: string, issue: string): Promise<string[]> {
	const response = await api(server, 'GET', `/api/boards/${boardId}/analysis`, { cookie: account.cookie });
	expect(response.status).toBe(200);
	return (response.body.markings as { touchpointId: string; issue: string }[])
		.filter((marking) => marking.issue === issue)
		.map((marking) => marking.touchpointId)
		.sort();
}

describe('cards whose stage or lane another member deleted', () => {
	it('stay in the journey, marked unplaced, and a restore keeps them', async () => {
		const { server, owner, boardId, clients } = await setupBoard(ALICE_AND_BOB);
		const [alice, bob] = clients;
		alice.doc.transact(() => {
			putItem(alice.doc, 'stages', { id: 'stage-gone', name: 'Gone', order: 9 });
			putItem(alice.doc, 'lanes', { id: 'lane-gone', name: 'Gone', order: 9, type: 'notes' });
			for (let index = 1; index <= 12; index++) putItem(alice.doc, 'touchpoints', touchpoint(`t${index}`, { x: index * 10 }));
		});
		await waitFor(() => collectionMap(bob.doc, 'touchpoints').size === 12, 'Bob to see the 12 cards');

		bob.provider.disconnect();
		bob.doc.transact(() => {
			putItem(bob.doc, 'touchpoints', touchpoint('late-1', { stageId: 'stage-gone' }));
			putItem(bob.doc, 'touchpoints', touchpoint('late-2', { stageId: 'stage-gone' }));
			putItem(bob.doc, 'touchpoints', touchpoint('late-3', { laneId: 'lane-gone' }));
		});
		alice.doc.transact(() => {
			collectionMap(alice.doc, 'stages').delete('stage-gone');
			collectionMap(alice.doc, 'lanes').delete('lane-gone');
		});
		bob.provider.connect();
		await waitFor(() => collectionMap(alice.doc, 'touchpoints').size === 15, 'the offline cards to merge');

		const journey = await waitFor(async () => {
			const current = await getJourney(server, owner, boardId);
			return current.touchpoints.length === 15 ? current : null;
		}, 'the journey to hold all 15 cards');
		expect(journey.touchpoints.find((card) => card.id === 'late-3')).toMatchObject({ stageId: BLANK_STAGE, laneId: 'lane-gone' });
		expect(await marked(server, owner, boardId, 'unplaced')).toEqual(['late-1', 'late-2', 'late-3']);

		// A version holds the unplaced cards, and restoring it brings back what was deleted since, deleting none of them.
		const saved = await api(server, 'POST', `/api/boards/${boardId}/versions`, { cookie: owner.cookie, body: { name: 'Fifteen' } });
		expect(saved.status).toBe(201);
		const versions = (await api(server, 'GET', `/api/boards/${boardId}/versions`, { cookie: owner.cookie })).body.versions;
		expect(versions.find((version: { id: string }) => version.id === saved.body.id).touchpoints).toBe(15);
		alice.doc.transact(() => {
			collectionMap(alice.doc, 'touchpoints').delete('t1');
			collectionMap(alice.doc, 'touchpoints').delete('late-1');
		});
		await waitFor(async () => (await getJourney(server, owner, boardId)).touchpoints.length === 13, 'the deletions to be stored');
		const restored = await api(server, 'POST', `/api/boards/${boardId}/versions/${saved.body.id}/restore`, { cookie: owner.cookie });
		expect(restored.status).toBe(200);
		await waitFor(() => collectionMap(bob.doc, 'touchpoints').size === 15, 'the restore to reach Bob');
		expect(await marked(server, owner, boardId, 'unplaced')).toEqual(['late-1', 'late-2', 'late-3']);
	});
});

describe('a card whose title is a shared type', () => {
	// Writes the odd card into the SQLite file's log behind the server's back.
	it.skipIf(onPostgres)('is listed without its title and marked invalid-field by every endpoint; a restore replaces it', async () => {
		const { server, owner, boardId, clients } = await setupBoard(ALICE_AND_BOB);
		const [alice, bob] = clients;
		putItem(alice.doc, 'touchpoints', touchpoint('fine'));
		const saved = await api(server, 'POST', `/api/boards/${boardId}/versions`, { cookie: owner.cookie, body: { name: 'Fine' } });
		expect(saved.status).toBe(201);
		// The sync server now refuses such an edit (4422), but a board stored before that check may
		// hold one: it is written into the store while the server is down.
		await waitFor(async () => (await getJourney(server, owner, boardId)).touchpoints.length === 1, 'the fine card to be stored');
		const odd = new Y.Doc();
		Y.applyUpdate(odd, Y.encodeStateAsUpdate(bob.doc));
		odd.transact(() => {
			const card = new Y.Map<unknown>();
			for (const [key, value] of Object.entries(touchpoint('odd'))) if (key !== 'title') card.set(key, value);
			const title = new Y.Map<unknown>();
			title.set('text', 'not a title');
			card.set('title', title);
			collectionMap(odd, 'touchpoints').set('odd', card);
		});
		await server.stop();
		const db = openDb(server.dataDir);
		appendUpdates(db, [{ boardId, update: Y.encodeStateAsUpdate(odd, Y.encodeStateVector(bob.doc)) }]);
		db.$client.close();
		await server.restart();

		const journey: Journey = await waitFor(async () => {
			const current = await getJourney(server, owner, boardId);
			return current.touchpoints.some((card) => card.id === 'odd') ? current : null;
		}, 'the odd card to reach the server');
		const oddCard = journey.touchpoints.find((card) => card.id === 'odd')!;
		expect(oddCard).not.toHaveProperty('title');
		expect(oddCard).toMatchObject({ stageId: BLANK_STAGE, laneId: BLANK_LANE });
		expect(journey.invalidFields).toEqual([{ touchpointId: 'odd', field: 'title' }]);
		expect(await marked(server, owner, boardId, 'invalid-field')).toEqual(['odd']);

		for (const format of EXPORTS) {
			const response = await fetch(`${server.url}/api/boards/${boardId}/export/${format}`, { headers: { cookie: owner.cookie } });
			expect(response.status, format).toBe(200);
			await response.arrayBuffer();
		}
		const versions = await api(server, 'GET', `/api/boards/${boardId}/versions`, { cookie: owner.cookie });
		expect(versions.status).toBe(200);
		const compared = await api(server, 'GET', `/api/boards/${boardId}/versions/compare?from=${saved.body.id}&to=current`, {
			cookie: owner.cookie
		});
		expect(compared.status).toBe(200);
		expect(compared.body.comparison.added.map((added: { touchpointId: string }) => added.touchpointId)).toEqual(['odd']);
		const restored = await api(server, 'POST', `/api/boards/${boardId}/versions/${saved.body.id}/restore`, { cookie: owner.cookie });
		expect(restored.status).toBe(200);
		const before = (await api(server, 'GET', `/api/boards/${boardId}/versions`, { cookie: owner.cookie })).body.versions as {
			id: string;
			name: string;
		}[];
		const beforeRestore = before.find((version) => version.name.startsWith('Before restoring'))!;
		const view = await api(server, 'GET', `/api/boards/${boardId}/versions/${beforeRestore.id}`, { cookie: owner.cookie });
		expect(view.status).toBe(200);
		await waitFor(() => !collectionMap(alice.doc, 'touchpoints').has('odd'), 'the restore to replace the odd card');
		expect((await getJourney(server, owner, boardId)).touchpoints.map((card) => card.id)).toEqual(['fine']);
	});
});

describe('touchpoint ids the board does not have', () => {
	it('are refused by comments, votes, rating rounds and the spotlight', async () => {
		const { server, owner, boardId, clients } = await setupBoard({ ...ALICE_AND_BOB, clients: ['owner'] });
		putItem(clients[0].doc, 'touchpoints', touchpoint('real'));
		await waitFor(async () => (await getJourney(server, owner, boardId)).touchpoints.length === 1, 'the card to be stored');
		const refusals = [
			await api(server, 'POST', `/api/boards/${boardId}/comments`, { cookie: owner.cookie, body: { touchpointId: 'nope', body: 'Hi' } }),
			await api(server, 'PATCH', `/api/boards/${boardId}/facilitation`, { cookie: owner.cookie, body: { spotlightId: 'nope' } }),
			await api(server, 'PATCH', `/api/boards/${boardId}/facilitation`, { cookie: owner.cookie, body: { ratingTouchpointId: 'nope' } })
		];
		for (const refusal of refusals) {
			expect(refusal.status).toBe(404);
			expect(refusal.body).toMatchObject({ error: expect.any(String) });
		}
		await api(server, 'PATCH', `/api/boards/${boardId}/facilitation`, { cookie: owner.cookie, body: { votingOpen: true } });
		const vote = await api(server, 'POST', `/api/boards/${boardId}/votes`, {
			cookie: owner.cookie,
			body: { touchpointId: 'nope', delta: 1 }
		});
		expect(vote.status).toBe(404);
		const comment = await api(server, 'POST', `/api/boards/${boardId}/comments`, {
			cookie: owner.cookie,
			body: { touchpointId: 'real', body: 'Hi' }
		});
		expect(comment.status).toBe(201);
	});
});
