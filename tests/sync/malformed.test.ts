import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { putItem } from '../../src/lib/journey/document';
import { DEFAULT_SYNC_MAX_MESSAGE_MB } from '../../src/lib/server/config';
import { CLOSE_CODES } from '../../server/close-codes';
import { MESSAGE_AUTH, MESSAGE_QUERY_AWARENESS, MESSAGE_SYNC, SYNC_STEP1, SYNC_UPDATE } from '../../server/protocol';
import {
	addMember,
	api,
	cleanup,
	connectClient,
	openRawSocket,
	signUp,
	touchpoint,
	touchpointIds,
	waitFor,
	type Account,
	type Client,
	type TestServer
} from './helpers';
import { ALICE_AND_BOB, setupBoard } from './setup';

/** Just past the server's default frame limit (`SYNC_MAX_MESSAGE_MB`). */
const OVERSIZED_BYTES = DEFAULT_SYNC_MAX_MESSAGE_MB * 1024 * 1024 + 1024;

// Malformed, oversized or hostile messages close that one socket; the process and the room live on.
describe('malformed frames', () => {
	let server: TestServer;
	let owner: Account;
	let editor: Account;
	let boardId: string;
	let alice: Client;
	let bob: Client;
	let edits = 0;

	/** Proves the room still relays between the two good clients, both ways. */
	async function expectStillSyncing(): Promise<void> {
		const fromAlice = `tp-alice-${++edits}`;
		const fromBob = `tp-bob-${edits}`;
		putItem(alice.doc, 'touchpoints', touchpoint(fromAlice));
		putItem(bob.doc, 'touchpoints', touchpoint(fromBob));
		await waitFor(() => touchpointIds(bob.doc).includes(fromAlice), 'Bob to receive Alice’s edit');
		await waitFor(() => touchpointIds(alice.doc).includes(fromBob), 'Alice to receive Bob’s edit');
		expect(alice.closeCodes).toEqual([]);
		expect(bob.closeCodes).toEqual([]);
	}

	beforeAll(async () => {
		({
			server,
			owner,
			members: { editor },
			boardId,
			clients: [alice, bob]
		} = await setupBoard(ALICE_AND_BOB));
	});
	afterAll(cleanup);

	test.each([
		['garbage bytes [200,200,200,200]', [200, 200, 200, 200]],
		['a truncated sync message', [MESSAGE_SYNC]],
		['an unknown message type', [7, 1, 2]],
		['an auth message, which clients may not send', [MESSAGE_AUTH, 0]],
		['trailing bytes after a valid message', [MESSAGE_QUERY_AWARENESS, 3]],
		['a sync update whose payload is not a Yjs update', [MESSAGE_SYNC, SYNC_UPDATE, 4, 200, 200, 200, 200]],
		['a sync update whose length runs past the frame', [MESSAGE_SYNC, SYNC_UPDATE, 100, 0, 0]],
		['sync step 1 with a malformed state vector', [MESSAGE_SYNC, SYNC_STEP1, 3, 255, 255, 255]]
	])('%s closes that socket with 1002 (protocol error)', async (_name, bytes) => {
		const raw = await openRawSocket(server, editor.cookie, boardId);
		raw.socket.send(Buffer.from(bytes), { binary: true });
		expect(await raw.closed).toBe(CLOSE_CODES.protocolError);
		await expectStillSyncing();
	});

	test('a text frame closes that socket with 1003 (unsupported data)', async () => {
		const raw = await openRawSocket(server, editor.cookie, boardId);
		raw.socket.send('{"type":"update","touchpoint":"hello"}', { binary: false });
		expect(await raw.closed).toBe(CLOSE_CODES.unsupportedData);
		await expectStillSyncing();
	});

	test('an oversized frame closes that socket with 1009 (message too big)', async () => {
		const raw = await openRawSocket(server, editor.cookie, boardId);
		raw.socket.send(Buffer.alloc(OVERSIZED_BYTES, 1), { binary: true });
		expect(await raw.closed).toBe(CLOSE_CODES.messageTooBig);
		await expectStillSyncing();
	});

	test('a read-only member’s malformed frame closes its socket too', async () => {
		const viewer = await signUp(server, 'Viewer');
		await addMember(server, owner, boardId, viewer, 'viewer');
		const raw = await openRawSocket(server, viewer.cookie, boardId);
		raw.socket.send(Buffer.from([200, 200, 200, 200]), { binary: true });
		expect(await raw.closed).toBe(CLOSE_CODES.protocolError);
		await expectStillSyncing();
	});

	test('an update that depends on content the board does not have closes that socket with 1002, and is not kept', async () => {
		// Another client's touchpoint that never reached the server, and an edit made on top of it.
		const elsewhere = new Y.Doc();
		Y.applyUpdate(elsewhere, Y.encodeStateAsUpdate(bob.doc));
		putItem(elsewhere, 'touchpoints', touchpoint('tp-never-sent'));
		const writer = new Y.Doc();
		Y.applyUpdate(writer, Y.encodeStateAsUpdate(elsewhere));
		let dependent: Uint8Array | null = null;
		writer.on('update', (update: Uint8Array) => (dependent = update));
		writer.getMap<Y.Map<unknown>>('touchpoints').get('tp-never-sent')!.set('title', 'Built on what the server lacks');
		const frame = encoding.createEncoder();
		encoding.writeVarUint(frame, MESSAGE_SYNC);
		encoding.writeVarUint(frame, SYNC_UPDATE);
		encoding.writeVarUint8Array(frame, dependent!);

		const raw = await openRawSocket(server, editor.cookie, boardId);
		raw.socket.send(encoding.toUint8Array(frame), { binary: true });
		expect(await raw.closed).toBe(CLOSE_CODES.protocolError);
		await expectStillSyncing();
		expect(touchpointIds(alice.doc)).not.toContain('tp-never-sent');
	});

	test('nothing malformed reached the stored board, and the process still serves', async () => {
		expect((await api(server, 'GET', '/healthz')).status).toBe(200);
		const fresh = connectClient(server, owner.cookie, boardId);
		await fresh.synced;
		expect(touchpointIds(fresh.doc)).toEqual(touchpointIds(alice.doc));
		expect(server.exitCode).toBeNull();
	});
});
