import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { linkTouchpoint, putAction } from '../../src/lib/journey/action-document';
import { patchItem, readJourney } from '../../src/lib/journey/document';
import type { Action } from '../../src/lib/journey/schema';
import { api, barrier, cleanup, createBoard, getJourney, waitFor, type Account, type Client, type TestServer } from './helpers';
import { setupBoard } from './setup';
import { download } from './http-helpers';
import { pdfText } from '../support/pdf-text';

const action = (id: string, fields: Partial<Action> = {}): Action => ({
	id,
	title: 'Open a second counter at lunchtime',
	description: '',
	touchpointIds: [],
	owner: 'Branch staff',
	status: 'open',
	impact: 3,
	effort: 3,
	customersTold: false,
	createdBy: 'someone',
	createdAt: '2026-01-12T09:30:00.000Z',
	...fields
});

const actionIn = (doc: Y.Doc, id: string) => readJourney(doc).actions?.find((item) => item.id === id);

describe('actions over sync and HTTP', () => {
	let server: TestServer;
	let owner: Account;
	let boardId: string;
	let alice: Client;
	let bob: Client;
	let viewerClient: Client;
	let commenterClient: Client;

	beforeAll(async () => {
		({
			server,
			owner,
			boardId,
			clients: [alice, bob, viewerClient, commenterClient]
		} = await setupBoard({
			owner: 'Alice',
			members: { editor: { role: 'editor', name: 'Bob' }, viewer: 'viewer', commenter: 'commenter' },
			board: { title: 'Branch', template: 'bank-branch' },
			clients: ['owner', 'editor', 'viewer', 'commenter']
		}));
	});
	afterAll(cleanup);

	test('an editor creates an action from a key experience; the server stores it and the analysis ranks it', async () => {
		const before = await api(server, 'GET', `/api/boards/${boardId}/analysis`, { cookie: owner.cookie });
		const firstUnplanned: string = before.body.unplanned[0];
		expect(firstUnplanned).toBeTruthy();
		putAction(bob.doc, action('a-queue', { touchpointIds: [firstUnplanned], createdBy: 'bob' }));
		const stored = await waitFor(async () => (await getJourney(server, owner, boardId)).actions?.find((item) => item.id === 'a-queue'));
		expect(stored.touchpointIds).toEqual([firstUnplanned]);
		const after = await api(server, 'GET', `/api/boards/${boardId}/analysis`, { cookie: owner.cookie });
		expect(after.body.unplanned).not.toContain(firstUnplanned);
		expect(after.body.actions[0]).toMatchObject({ actionId: 'a-queue', status: 'open', touchpointIds: [firstUnplanned] });
	});

	test('two people editing one action’s fields and links at once converge, keeping both', async () => {
		await waitFor(() => actionIn(alice.doc, 'a-queue'), 'Alice to receive the action');
		// In one synchronous turn, so neither client has seen the other's edit.
		patchItem(alice.doc, 'actions', 'a-queue', { status: 'in-progress', due: '2026-03-31' });
		patchItem(bob.doc, 'actions', 'a-queue', { impact: 5, effort: 2, status: 'planned' });
		linkTouchpoint(alice.doc, 'a-queue', 't1');
		linkTouchpoint(bob.doc, 'a-queue', 't2');
		await waitFor(
			() => JSON.stringify(readJourney(alice.doc)) === JSON.stringify(readJourney(bob.doc)) && actionIn(bob.doc, 'a-queue')?.due,
			'the documents to converge'
		);
		const merged = actionIn(alice.doc, 'a-queue')!;
		expect(merged).toMatchObject({ impact: 5, effort: 2, due: '2026-03-31' });
		// Both set the status: one of the two wins, the same everywhere.
		expect(['in-progress', 'planned']).toContain(merged.status);
		expect(merged.touchpointIds).toEqual(expect.arrayContaining(['t1', 't2']));
		const stored = await waitFor(async () => {
			const found = (await getJourney(server, owner, boardId)).actions?.find((item) => item.id === 'a-queue');
			return found?.touchpointIds.length === merged.touchpointIds.length ? found : null;
		}, 'the server to store both');
		expect(stored).toEqual(merged);
	});

	test.each(['viewer', 'commenter'] as const)('a %s cannot create or change an action', async (role) => {
		const reader = role === 'viewer' ? viewerClient : commenterClient;
		await waitFor(() => actionIn(reader.doc, 'a-queue'), `the ${role} to receive the action`);
		putAction(reader.doc, action(`a-by-${role}`));
		patchItem(reader.doc, 'actions', 'a-queue', { status: 'dropped', title: 'Hijacked' });
		linkTouchpoint(reader.doc, 'a-queue', 't3');
		await barrier(reader, alice);
		const journey = await getJourney(server, owner, boardId);
		expect(journey.actions?.map((item) => item.id)).toEqual(['a-queue']);
		expect(journey.actions?.[0].title).not.toBe('Hijacked');
		expect(journey.actions?.[0].status).not.toBe('dropped');
		expect(journey.actions?.[0].touchpointIds).not.toContain('t3');
		expect(actionIn(alice.doc, 'a-queue')?.title).not.toBe('Hijacked');
	});

	test('an editor’s action outside the document’s shape is refused (4422) and never stored', async () => {
		bob.doc.transact(() => {
			const map = new Y.Map<unknown>();
			bob.doc.getMap('actions').set('a-bad', map);
			map.set('title', 'Sneaky');
			map.set('touchpointIds', Y.Array.from([{ nested: true }]));
		});
		await waitFor(() => bob.closeCodes.includes(4422), 'the editor socket to be closed with 4422');
		const journey = await getJourney(server, owner, boardId);
		expect(journey.actions?.map((item) => item.id)).toEqual(['a-queue']);
	});

	test('journey JSON with actions round-trips through import, and a bad value is refused with its path', async () => {
		const exported = await getJourney(server, owner, boardId);
		expect(exported.actions).toHaveLength(1);
		const copyId = await createBoard(server, owner, { journey: exported });
		expect(await getJourney(server, owner, copyId)).toEqual(exported);
		const bad = structuredClone(exported);
		(bad.actions![0] as { impact: unknown }).impact = 7;
		const refused = await api(server, 'POST', '/api/boards', { cookie: owner.cookie, body: { journey: bad } });
		expect(refused.status).toBe(400);
		expect(JSON.stringify(refused.body)).toContain('actions[0].impact: must be an integer from 1 to 5');
	});

	test('the PDF flags a done action whose touchpoints did not improve since the version saved before, as the summary does', async () => {
		const saved = await api(server, 'POST', `/api/boards/${boardId}/versions`, {
			cookie: owner.cookie,
			body: { name: 'Before the pilot' }
		});
		expect(saved.status).toBe(201);
		patchItem(alice.doc, 'actions', 'a-queue', { status: 'done' });
		await waitFor(async () => (await getJourney(server, owner, boardId)).actions?.[0].status === 'done', 'the action to be stored as done');
		const pdf = await download(server, owner.cookie, `/api/boards/${boardId}/export/pdf`);
		expect(pdf.status).toBe(200);
		const text = (await pdfText(pdf.bytes)).replace(/\s+/g, ' ');
		expect(text).toContain('Actions by department');
		// Nothing on its cards moved since the version: not improved, and nobody told the customers.
		expect(text).toContain('Done, but its touchpoints did not improve since “Before the pilot”');
		expect(text).toContain('Done, but customers not told');
	});
});
