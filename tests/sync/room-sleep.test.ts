/**
 * Sleeping rooms: a board nobody writes to keeps only its encoded state. Readers still sync from
 * it, a write wakes it, and nothing is lost across sleep, wake, reconnects and restarts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { deleteTouchpoint, putItem, readJourney } from '../../src/lib/journey/document';
import { startingBoard } from '../../src/lib/server/board-start';
import { createBoard as storeBoard } from '../../src/lib/server/boards';
import { openDb } from '../../src/lib/server/db';
import { users } from '../../src/lib/server/db/schema';
import { loadDoc } from '../../src/lib/server/doc-store';
import { Room, type RoomParts } from '../../server/room';
import { boardEvents } from '../../server/storage/board-events';
import { SqliteBoardStore } from '../../server/storage/sqlite-board-store';
import { DeferredWork } from '../../server/deferred-work';
import { TurnLog } from '../../server/turn-log';
import { barrier, cleanup, loadFresh, touchpoint, touchpointIds, waitFor } from './helpers';
import { setupBoard } from './setup';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a room in process', () => {
	const dir = mkdtempSync(join(tmpdir(), 'journey-room-sleep-'));
	const db = openDb(dir);
	db.insert(users).values({ id: 'owner', email: 'owner@example.test', name: 'Owner', passwordHash: '-', createdAt: Date.now() }).run();
	afterAll(() => {
		db.$client.close();
		rmSync(dir, { recursive: true, force: true });
	});

	const store = new SqliteBoardStore(db);

	function parts(): RoomParts {
		return {
			store,
			events: boardEvents(db),
			log: new TurnLog(store),
			compactions: new DeferredWork(),
			onBroken: () => {
				throw new Error('the room broke');
			}
		};
	}

	async function openRoom(): Promise<{ room: Room; log: TurnLog; boardId: string }> {
		const start = startingBoard(new TextEncoder().encode(JSON.stringify({ title: 'Bank branch', template: 'bank-branch' })), 'en');
		if (!start.ok) throw new Error(start.error);
		const boardId = await storeBoard(db, 'owner', start);
		const roomParts = parts();
		const room = new Room(boardId, await store.load(boardId), roomParts);
		return { room, log: roomParts.log, boardId };
	}

	test('loads asleep and serves sync from its encoded state', async () => {
		const { room, boardId } = await openRoom();
		expect(room.asleep).toBe(true);
		const client = new Y.Doc();
		Y.applyUpdate(client, room.missing(Y.encodeStateVector(client)));
		expect(readJourney(client)).toEqual(readJourney((await loadDoc(db, boardId)).doc));
		expect(Y.encodeStateVector(client)).toEqual(new Uint8Array(room.stateVector()));
		// A client that has part of the board gets the rest.
		const partial = new Y.Doc();
		Y.applyUpdate(partial, Y.encodeStateAsUpdate(client));
		putItem(client, 'touchpoints', touchpoint('only-here'));
		expect(room.asleep).toBe(true);
		Y.applyUpdate(partial, room.missing(Y.encodeStateVector(partial)));
		expect(touchpointIds(partial)).not.toContain('only-here');
		room.destroy();
	});

	test('a snapshot stored as V2 (before V1 snapshots) still loads, and compaction rewrites it as V1', async () => {
		const { room, boardId } = await openRoom();
		const journey = readJourney((await loadDoc(db, boardId)).doc);
		const legacy = db.$client.prepare('UPDATE board_snapshots SET state = ?, format = ?, state_vector = NULL WHERE board_id = ?');
		legacy.run(Buffer.from(Y.encodeStateAsUpdateV2((await loadDoc(db, boardId)).doc)), 'v2', boardId);
		expect(readJourney((await loadDoc(db, boardId)).doc)).toEqual(journey);
		const reloaded = new Room(boardId, await store.load(boardId), parts());
		const client = new Y.Doc();
		Y.applyUpdate(client, reloaded.missing(new Uint8Array([0])));
		expect(readJourney(client)).toEqual(journey);
		// The next compaction (after a write) stores V1.
		client.on('update', (update: Uint8Array) => reloaded.applyUpdate(update, null as never));
		putItem(client, 'touchpoints', touchpoint('after-legacy'));
		await reloaded.compact();
		const row = db.$client.prepare('SELECT format, state_vector AS stateVector FROM board_snapshots WHERE board_id = ?').get(boardId) as {
			format: string;
			stateVector: Buffer | null;
		};
		expect(row.format).toBe('v1');
		expect(new Uint8Array(row.stateVector!)).toEqual(Y.encodeStateVector(client));
		reloaded.destroy();
		room.destroy();
	});

	test('holds what a reconnecting reader sends, and not what adds or deletes anything', async () => {
		const { room } = await openRoom();
		const reader = new Y.Doc();
		Y.applyUpdate(reader, room.missing(new Uint8Array([0])));
		const serverVector = room.stateVector();
		expect(room.holdsAll(Y.encodeStateAsUpdate(reader, serverVector))).toBe(true);
		expect(room.holdsAll(Y.encodeStateAsUpdate(reader))).toBe(true);

		const deleter = new Y.Doc();
		Y.applyUpdate(deleter, Y.encodeStateAsUpdate(reader));
		deleteTouchpoint(deleter, readJourney(deleter).touchpoints[0].id);
		expect(room.holdsAll(Y.encodeStateAsUpdate(deleter, serverVector))).toBe(false);

		const adder = new Y.Doc();
		Y.applyUpdate(adder, Y.encodeStateAsUpdate(reader));
		putItem(adder, 'touchpoints', touchpoint('new'));
		expect(room.holdsAll(Y.encodeStateAsUpdate(adder, serverVector))).toBe(false);
		expect(room.asleep).toBe(true);
		room.destroy();
	});

	test('a write wakes it; once idle it sleeps again with every change kept and stored', async () => {
		const { room, log, boardId } = await openRoom();
		const writer = new Y.Doc();
		Y.applyUpdate(writer, room.missing(new Uint8Array([0])));
		const updates: Uint8Array[] = [];
		writer.on('update', (update: Uint8Array) => updates.push(update));
		putItem(writer, 'touchpoints', touchpoint('woken'));
		deleteTouchpoint(writer, readJourney(writer).touchpoints[0].id);
		for (const update of updates) room.applyUpdate(update, null as never);
		expect(room.asleep).toBe(false);
		// Not idle yet: the last write is newer than the cut-off.
		room.sleepIfIdle(performance.now() - 60_000);
		expect(room.asleep).toBe(false);
		log.flush();
		await room.whenStored();
		room.sleepIfIdle(performance.now() + 1);
		expect(room.asleep).toBe(true);

		const fresh = new Y.Doc();
		Y.applyUpdate(fresh, room.missing(new Uint8Array([0])));
		expect(readJourney(fresh)).toEqual(readJourney(writer));
		expect(readJourney((await loadDoc(db, boardId)).doc)).toEqual(readJourney(writer));
		expect(room.holdsAll(Y.encodeStateAsUpdate(writer))).toBe(true);
		room.destroy();
	});
});

describe('sleeping rooms behind the real server', () => {
	afterAll(cleanup);

	test('edits, deletions and offline edits reach everyone across sleeps, reconnects and a restart', async () => {
		const {
			server,
			owner,
			boardId,
			clients: [editor, reader]
		} = await setupBoard({
			env: { ROOM_SLEEP_SECONDS: '0.2' },
			owner: 'Sleep owner',
			members: { viewer: { role: 'viewer', name: 'Sleep viewer' } },
			board: { title: 'Sleepy', template: 'blank' },
			clients: ['owner', 'viewer']
		});
		putItem(editor.doc, 'touchpoints', touchpoint('first'));
		putItem(editor.doc, 'touchpoints', touchpoint('second'));
		await waitFor(() => touchpointIds(reader.doc).includes('second'), 'the reader to see the first edits');

		// Asleep: a newcomer loads everything, the reader reconnects with nothing new.
		await sleep(600);
		expect(touchpointIds(await loadFresh(server, owner, boardId))).toEqual(['first', 'second']);
		reader.provider.disconnect();
		reader.provider.connect();
		await waitFor(() => reader.provider.synced, 'the reader to resync');

		// A deletion wakes the room.
		deleteTouchpoint(editor.doc, 'first');
		await waitFor(() => !touchpointIds(reader.doc).includes('first'), 'the reader to see the deletion');

		// Offline edits arrive at a sleeping room.
		editor.provider.disconnect();
		putItem(editor.doc, 'touchpoints', touchpoint('offline'));
		deleteTouchpoint(editor.doc, 'second');
		await sleep(600);
		editor.provider.connect();
		await waitFor(() => touchpointIds(reader.doc).join() === 'offline', 'the reader to get the offline edits');
		await barrier(editor, reader);

		await sleep(600);
		await server.restart();
		expect(touchpointIds(await loadFresh(server, owner, boardId))).toEqual(['offline']);
		expect(server.stderr).toBe('');
	});
});
