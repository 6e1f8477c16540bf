import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { patchItem, putItem, readJourney } from '../../src/lib/journey/document';
import { api, barrier, cleanup, getJourney, loadFresh, touchpoint, waitFor, type Account, type Client, type TestServer } from './helpers';
import { ALICE_AND_BOB, setupBoard } from './setup';

/** The board as JSON, for comparing documents. */
function state(doc: Y.Doc): string {
	return JSON.stringify(readJourney(doc));
}

describe('two editors', () => {
	let server: TestServer;
	let owner: Account;
	let editor: Account;
	let boardId: string;
	let alice: Client;
	let bob: Client;

	beforeAll(async () => {
		({
			server,
			owner,
			members: { editor },
			boardId,
			clients: [alice, bob]
		} = await setupBoard({
			...ALICE_AND_BOB,
			board: { title: 'Onboarding', template: 'blank' }
		}));
	});
	afterAll(cleanup);

	test('both start from the board’s stored document', () => {
		expect(readJourney(alice.doc).title).toBe('Onboarding');
		expect(readJourney(alice.doc).stages.map((stage) => stage.id)).toEqual(['stage-1']);
		expect(state(bob.doc)).toBe(state(alice.doc));
	});

	test('a touchpoint added by one appears for the other', async () => {
		putItem(alice.doc, 'touchpoints', touchpoint('tp-welcome', { title: 'Welcome email', x: 100 }));
		const seen = await waitFor(
			() => readJourney(bob.doc).touchpoints.find((item) => item.id === 'tp-welcome'),
			'Bob to see the touchpoint'
		);
		expect(seen.title).toBe('Welcome email');
		expect(seen.x).toBe(100);
	});

	test('concurrent edits of different fields of one touchpoint both survive', async () => {
		// Both edits happen in one synchronous turn, so neither client has seen the other's.
		patchItem(alice.doc, 'touchpoints', 'tp-welcome', { title: 'Welcome call' });
		patchItem(bob.doc, 'touchpoints', 'tp-welcome', { emotion: 4, kind: 'positive-peak' });
		await waitFor(() => state(alice.doc) === state(bob.doc), 'the two documents to converge');
		const merged = readJourney(alice.doc).touchpoints.find((item) => item.id === 'tp-welcome');
		expect(merged).toMatchObject({ title: 'Welcome call', emotion: 4, kind: 'positive-peak' });
	});

	test('concurrent edits of the same field settle on one value everywhere', async () => {
		patchItem(alice.doc, 'touchpoints', 'tp-welcome', { owner: 'Sales' });
		patchItem(bob.doc, 'touchpoints', 'tp-welcome', { owner: 'Support' });
		await waitFor(() => state(alice.doc) === state(bob.doc), 'the two documents to converge');
		const owners = readJourney(alice.doc).touchpoints.map((item) => item.owner);
		expect(['Sales', 'Support']).toContain(owners[0]);
	});

	test('concurrent additions by both are all kept', async () => {
		for (let i = 0; i < 20; i++) {
			putItem(alice.doc, 'touchpoints', touchpoint(`tp-alice-${i}`, { x: i }));
			putItem(bob.doc, 'touchpoints', touchpoint(`tp-bob-${i}`, { x: i }));
		}
		await waitFor(() => readJourney(alice.doc).touchpoints.length === 41, 'Alice to have all 41 touchpoints');
		await waitFor(() => state(alice.doc) === state(bob.doc), 'the two documents to converge');
	});

	test('edits made offline merge when the editor reconnects', async () => {
		bob.provider.disconnect();
		patchItem(bob.doc, 'touchpoints', 'tp-alice-3', { description: 'written offline' });
		putItem(bob.doc, 'touchpoints', touchpoint('tp-offline', { title: 'Added offline' }));
		patchItem(alice.doc, 'touchpoints', 'tp-alice-3', { importance: 9 });
		await waitFor(() => readJourney(alice.doc).touchpoints.find((item) => item.id === 'tp-alice-3')?.importance === 9, 'Alice’s own edit');
		expect(touchpointIdsOf(alice.doc)).not.toContain('tp-offline');

		bob.provider.connect();
		await waitFor(() => state(alice.doc) === state(bob.doc), 'the two documents to converge');
		const merged = readJourney(alice.doc).touchpoints.find((item) => item.id === 'tp-alice-3');
		expect(merged).toMatchObject({ description: 'written offline', importance: 9 });
		expect(touchpointIdsOf(alice.doc)).toContain('tp-offline');
	});

	test('awareness (presence) flows between the editors', async () => {
		alice.provider.awareness.setLocalStateField('user', { name: 'Alice', selection: 'tp-welcome' });
		await waitFor(
			() => bob.provider.awareness.getStates().get(alice.doc.clientID)?.user?.selection === 'tp-welcome',
			'Bob to see Alice’s selection'
		);
	});

	test('a title edited in the document renames the board in everyone’s board list', async () => {
		bob.doc.getMap('board').set('title', 'Onboarding (v2)');
		await waitFor(() => readJourney(alice.doc).title === 'Onboarding (v2)', 'Alice to see the new title');
		const boards = await api(server, 'GET', '/api/boards', { cookie: owner.cookie });
		expect(boards.body.boards.find((board: { id: string }) => board.id === boardId)?.title).toBe('Onboarding (v2)');
	});

	test('the HTTP journey and a late joiner see the converged board', async () => {
		await barrier(alice, bob);
		await barrier(bob, alice);
		await waitFor(() => state(alice.doc) === state(bob.doc), 'the two documents to converge');
		expect(await getJourney(server, editor, boardId)).toEqual(readJourney(alice.doc));
		const late = await loadFresh(server, editor, boardId);
		expect(state(late)).toBe(state(alice.doc));
	});
});

function touchpointIdsOf(doc: Y.Doc): string[] {
	return readJourney(doc).touchpoints.map((item) => item.id);
}
