import { describe, expect, test, vi } from 'vitest';
import * as Y from 'yjs';
import { foldedSnapshot } from '../src/lib/server/doc-store';
import { DeferredWork } from './deferred-work';
import { COMPACT_AFTER_UPDATES, Room, type SnapshotFolder } from './room';
import { MemoryBoardEvents, MemoryBoardStore } from './storage/memory-board-store';
import { TurnLog } from './turn-log';

const BOARD = 'board-1';
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A room on a fresh memory board whose compactions fold through `fold` and are queued on
 * `compactions`, and the updates each fold was given.
 */
function liveRoom(fold: SnapshotFolder = async (updates) => foldedSnapshot(updates), compactions = new DeferredWork(), boardId = BOARD) {
	const store = new MemoryBoardStore();
	const start = new Y.Doc();
	start.getMap('touchpoints').set('tp-0', 'first');
	store.createBoard(boardId, Y.encodeStateAsUpdate(start));
	const folds: Uint8Array[][] = [];
	const room = new Room(boardId, store.loadNow(boardId), {
		store,
		events: new MemoryBoardEvents(),
		log: new TurnLog(store),
		compactions,
		onBroken: (_room, error) => {
			throw error;
		},
		fold: (updates) => {
			folds.push(updates);
			return fold(updates);
		}
	});
	return { store, room, folds };
}

/** Writes `count` touchpoints as server edits, one stored batch per turn. */
async function write(room: Room, from: number, count: number): Promise<void> {
	for (let i = from; i < from + count; i++) {
		room.doc.getMap('touchpoints').set(`tp-${i}`, `card ${i}`);
		await nextTurn();
	}
	await room.whenStored();
}

/** The board as its store would load it now, read into a document. */
function storedJsonOf(store: MemoryBoardStore, boardId: string): unknown {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, store.loadNow(boardId).state);
	return doc.getMap('touchpoints').toJSON();
}
const storedJson = (store: MemoryBoardStore) => storedJsonOf(store, BOARD);

describe('a live room compacts without encoding its document', () => {
	test('the folder gets the last state and the stored updates since, and the snapshot holds the whole board', async () => {
		const { store, room, folds } = liveRoom();
		await write(room, 1, 3);
		expect(store.logOf(BOARD)).toHaveLength(3);

		await room.compact();
		expect(folds).toHaveLength(1);
		expect(folds[0]).toHaveLength(1 + 3);
		expect(store.logOf(BOARD)).toHaveLength(0);
		expect(storedJson(store)).toEqual(room.doc.getMap('touchpoints').toJSON());
		const firstSnapshot = store.loadNow(BOARD).state;

		// The next fold starts from this one's result: only what was stored since is sent again.
		await write(room, 4, 2);
		await room.compact();
		expect(folds[1]).toHaveLength(1 + 2);
		expect(folds[1][0]).toEqual(firstSnapshot);
		expect(Object.keys(storedJson(store) as object)).toHaveLength(6);
		room.destroy();
	});

	test('a fold that fails is made from the live document instead, and nothing is lost', async () => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		let failures = 1;
		const { store, room, folds } = liveRoom(async (updates) => {
			if (failures-- > 0) throw new Error('The board is too large to render within the memory budget');
			return foldedSnapshot(updates);
		});
		await write(room, 1, 4);

		await room.compact();
		expect(store.logOf(BOARD)).toHaveLength(0);
		expect(storedJson(store)).toEqual(room.doc.getMap('touchpoints').toJSON());
		expect(error).toHaveBeenCalledWith(expect.stringContaining('folding on a worker failed'), expect.any(Error));

		// The next fold starts from the document's state: the updates of the failed one are not sent again.
		await write(room, 5, 2);
		await room.compact();
		expect(folds[1]).toHaveLength(1 + 2);
		expect(Object.keys(storedJson(store) as object)).toHaveLength(7);
		error.mockRestore();
		room.destroy();
	});

	test('updates stored while a fold runs stay in the log and go into the next one', async () => {
		let release: () => void = () => {};
		const held = new Promise<void>((resolve) => (release = resolve));
		const { store, room, folds } = liveRoom(async (updates) => {
			await held;
			return foldedSnapshot(updates);
		});
		await write(room, 1, 2);
		const compacting = room.compact();
		await nextTurn();
		await write(room, 3, 2);
		release();
		await compacting;
		expect(store.logOf(BOARD)).toHaveLength(2);

		await room.compact();
		expect(folds[1]).toHaveLength(1 + 2);
		expect(store.logOf(BOARD)).toHaveLength(0);
		expect(Object.keys(storedJson(store) as object)).toHaveLength(5);
		room.destroy();
	});

	test(`a room past ${COMPACT_AFTER_UPDATES} updates asks for one compaction however often it stores meanwhile, and rooms take turns`, async () => {
		const compactions = new DeferredWork();
		const asked = vi.spyOn(compactions, 'add');
		// Other deferred work holds the queue while both rooms store past the threshold.
		let releaseQueue: () => void = () => {};
		compactions.add('earlier work', () => new Promise<void>((resolve) => (releaseQueue = resolve)));
		let releaseFold: () => void = () => {};
		const heldFold = new Promise<void>((resolve) => (releaseFold = resolve));
		const first = liveRoom(
			async (updates) => {
				await heldFold;
				return foldedSnapshot(updates);
			},
			compactions,
			'board-first'
		);
		const second = liveRoom(undefined, compactions, 'board-second');
		await write(first.room, 1, COMPACT_AFTER_UPDATES + 20);
		await write(second.room, 1, COMPACT_AFTER_UPDATES);
		// The earlier work, then one request per room.
		expect(asked.mock.calls.map(([what]) => what)).toEqual([
			'earlier work',
			'board board-first: compaction',
			'board board-second: compaction'
		]);

		releaseQueue();
		await vi.waitFor(() => expect(first.folds).toHaveLength(1));
		// The first room's compaction is the one task until it is stored: the second waits its turn.
		for (let turn = 0; turn < 5; turn++) await nextTurn();
		expect(second.folds).toHaveLength(0);
		releaseFold();
		await vi.waitFor(() => expect(second.folds).toHaveLength(1));
		await vi.waitFor(() => expect(second.store.logOf('board-second')).toHaveLength(0));
		expect(first.store.logOf('board-first')).toHaveLength(0);
		expect(Object.keys(storedJsonOf(first.store, 'board-first') as object)).toHaveLength(COMPACT_AFTER_UPDATES + 21);
		first.room.destroy();
		second.room.destroy();
	});
});
