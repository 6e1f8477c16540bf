import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { putItem, readJourney } from '../../src/lib/journey/document';
import {
	addMember,
	api,
	barrier,
	cleanup,
	connectClient,
	getJourney,
	loadFresh,
	touchpoint,
	touchpointIds,
	waitFor,
	type Account,
	type Client,
	type TestServer
} from './helpers';
import { setupBoard } from './setup';

// Viewers and commenters are read-only: the server drops their sync step 2 and update messages,
// while their awareness still flows (docs/api.md, Sync: writes).
describe.each(['viewer', 'commenter'] as const)('a %s', (role) => {
	let server: TestServer;
	let owner: Account;
	let reader: Account;
	let boardId: string;
	let ownerClient: Client;
	let readerClient: Client;

	beforeAll(async () => {
		({
			server,
			owner,
			members: { reader },
			boardId,
			clients: [ownerClient, readerClient]
		} = await setupBoard({
			members: { reader: { role, name: role } },
			board: { title: 'Read-only test', template: 'blank' },
			clients: ['owner', 'reader']
		}));
	});
	afterAll(cleanup);

	test('receives the board and live edits', async () => {
		expect(readJourney(readerClient.doc).title).toBe('Read-only test');
		putItem(ownerClient.doc, 'touchpoints', touchpoint('tp-owner', { title: 'By the owner' }));
		await waitFor(() => touchpointIds(readerClient.doc).includes('tp-owner'), `the ${role} to receive the edit`);
	});

	test('edits stay local: the other client, the HTTP journey and the board list never get them', async () => {
		putItem(readerClient.doc, 'touchpoints', touchpoint('tp-reader', { title: `By the ${role}` }));
		readerClient.doc.getMap('board').set('title', 'Hijacked');
		// The awareness barrier passes only after the server has handled (and dropped) the edits.
		await barrier(readerClient, ownerClient);

		expect(touchpointIds(readerClient.doc)).toContain('tp-reader');
		expect(touchpointIds(ownerClient.doc)).not.toContain('tp-reader');
		expect(readJourney(ownerClient.doc).title).toBe('Read-only test');
		const journey = await getJourney(server, owner, boardId);
		expect(journey.touchpoints.map((item) => item.id)).toEqual(['tp-owner']);
		expect(journey.title).toBe('Read-only test');
		const boards = await api(server, 'GET', '/api/boards', { cookie: owner.cookie });
		expect(boards.body.boards[0].title).toBe('Read-only test');
	});

	test('state sent in sync step 2 on connect is dropped too', async () => {
		const offline = new Y.Doc();
		putItem(offline, 'touchpoints', touchpoint('tp-step2', { title: 'Smuggled in sync step 2' }));
		const late = connectClient(server, reader.cookie, boardId, { doc: offline });
		await late.synced;
		await barrier(late, ownerClient);
		expect(touchpointIds(late.doc)).toEqual(['tp-owner', 'tp-step2']);
		expect(touchpointIds(ownerClient.doc)).toEqual(['tp-owner']);
		late.destroy();
	});

	test('awareness still flows both ways', async () => {
		readerClient.provider.awareness.setLocalStateField('cursor', { x: 10, y: 20 });
		await waitFor(
			() => ownerClient.provider.awareness.getStates().get(readerClient.doc.clientID)?.cursor?.x === 10,
			`the owner to see the ${role}'s cursor`
		);
		ownerClient.provider.awareness.setLocalStateField('cursor', { x: 30, y: 40 });
		await waitFor(
			() => readerClient.provider.awareness.getStates().get(ownerClient.doc.clientID)?.cursor?.x === 30,
			`the ${role} to see the owner's cursor`
		);
	});

	test('after a restart the dropped edits are still absent, even when the client resends them', async () => {
		await server.restart();
		// Both providers reconnect on their own; the reader's sync step 2 offers its edits again.
		await waitFor(() => readerClient.provider.synced && ownerClient.provider.synced, 'both clients to resync');
		await barrier(readerClient, ownerClient);
		expect(touchpointIds(ownerClient.doc)).toEqual(['tp-owner']);
		const fresh = await loadFresh(server, owner, boardId);
		expect(touchpointIds(fresh)).toEqual(['tp-owner']);
		expect(readJourney(fresh).title).toBe('Read-only test');
		expect((await getJourney(server, owner, boardId)).touchpoints.map((item) => item.id)).toEqual(['tp-owner']);
	});
});

describe('a role change applies to open sockets', () => {
	let server: TestServer;
	let owner: Account;
	let member: Account;
	let boardId: string;
	let ownerClient: Client;
	let memberClient: Client;

	beforeAll(async () => {
		({
			server,
			owner,
			members: { member },
			boardId,
			clients: [ownerClient, memberClient]
		} = await setupBoard({
			members: { member: 'editor' },
			clients: ['owner', 'member']
		}));
	});
	afterAll(cleanup);

	test('an editor demoted to viewer can no longer write on the same socket', async () => {
		putItem(memberClient.doc, 'touchpoints', touchpoint('tp-as-editor'));
		await waitFor(() => touchpointIds(ownerClient.doc).includes('tp-as-editor'), 'the editor’s edit');
		await addMember(server, owner, boardId, member, 'viewer');
		putItem(memberClient.doc, 'touchpoints', touchpoint('tp-as-viewer'));
		await barrier(memberClient, ownerClient);
		expect(touchpointIds(ownerClient.doc)).toEqual(['tp-as-editor']);
		expect(memberClient.closeCodes).toEqual([]);
	});

	test('a viewer promoted to editor can write on the same socket', async () => {
		await addMember(server, owner, boardId, member, 'editor');
		// Its new edits build on the ones dropped while it was a viewer; they must not get stuck.
		putItem(memberClient.doc, 'touchpoints', touchpoint('tp-promoted'));
		await waitFor(() => touchpointIds(ownerClient.doc).includes('tp-promoted'), 'the promoted member’s edit');
		await waitFor(
			() => JSON.stringify(touchpointIds(ownerClient.doc)) === JSON.stringify(touchpointIds(memberClient.doc)),
			'the two documents to converge'
		);
		expect(memberClient.closeCodes).toEqual([]);
		const fresh = await loadFresh(server, owner, boardId);
		expect(touchpointIds(fresh)).toContain('tp-promoted');
	});
});
