/**
 * The board store's contract, held by every implementation: the SQLite file the server runs on,
 * PostgreSQL (started once for the file, skipped where it is not installed) and the Map the sync
 * path's unit tests run on. PostgreSQL's own guarantees (several processes on one database) are
 * in `pg-board-store.test.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { journeyToDoc, readJourney } from '../../src/lib/journey/document';
import { templateJourney } from '../../src/lib/journey/templates';
import { openDb } from '../../src/lib/server/db';
import { boards, boardSnapshots, users } from '../../src/lib/server/db/schema';
import type { BoardStore } from './board-store';
import { MemoryBoardStore } from './memory-board-store';
import { SqliteBoardStore } from './sqlite-board-store';
import { postgresAvailable, startTestPostgres, type TestPostgres } from '../../tests/support/pg-board-database';

/** A store holding two boards, each with a snapshot of the blank template under its own title, and what to delete one with. */
interface Subject {
	store: BoardStore;
	deleteBoard(boardId: string): void | Promise<void>;
	close(): void | Promise<void>;
}

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0)) await cleanup();
});

let postgres: TestPostgres | undefined;
beforeAll(async () => {
	if (postgresAvailable) postgres = await startTestPostgres();
}, 120_000);
afterAll(async () => {
	await postgres?.stop();
});

function starting(title: string): Uint8Array {
	return Y.encodeStateAsUpdate(journeyToDoc(templateJourney('blank', title, 'en')));
}

function memorySubject(): Subject {
	const store = new MemoryBoardStore();
	for (const boardId of ['board-1', 'board-2']) store.createBoard(boardId, starting(boardId));
	return { store, deleteBoard: (boardId) => store.deleteBoard(boardId), close: () => {} };
}

function sqliteSubject(): Subject {
	const dir = mkdtempSync(join(tmpdir(), 'journey-board-store-'));
	const db = openDb(dir);
	db.insert(users).values({ id: 'owner', email: 'owner@example.test', name: 'Owner', passwordHash: '', createdAt: 0 }).run();
	for (const boardId of ['board-1', 'board-2']) {
		db.insert(boards).values({ id: boardId, title: boardId, createdBy: 'owner', createdAt: 0, updatedAt: 0 }).run();
		const doc = new Y.Doc();
		Y.applyUpdate(doc, starting(boardId));
		db.insert(boardSnapshots)
			.values({
				boardId,
				state: Buffer.from(Y.encodeStateAsUpdate(doc)),
				format: 'v1',
				stateVector: Buffer.from(Y.encodeStateVector(doc)),
				updatedAt: 0
			})
			.run();
	}
	return {
		store: new SqliteBoardStore(db),
		deleteBoard: (boardId) => {
			db.$client.prepare('DELETE FROM boards WHERE id = ?').run(boardId);
		},
		close: () => {
			db.$client.close();
			rmSync(dir, { recursive: true, force: true });
		}
	};
}

async function postgresSubject(): Promise<Subject> {
	const database = postgres!;
	await database.reset();
	for (const boardId of ['board-1', 'board-2']) await database.addBoard(boardId, starting(boardId));
	return {
		store: database.store(),
		deleteBoard: (boardId) => database.deleteBoard(boardId),
		close: () => {}
	};
}

/** An edit of a board's stored state: a new title. */
function retitle(state: Uint8Array, title: string): Uint8Array {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, state);
	const before = Y.encodeStateVector(doc);
	doc.getMap('board').set('title', title);
	return Y.encodeStateAsUpdate(doc, before);
}

function titleOf(state: Uint8Array): string {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, state);
	return readJourney(doc).title;
}

const subjects: [string, () => Subject | Promise<Subject>][] = [
	['memory', memorySubject],
	['SQLite', sqliteSubject],
	...(postgresAvailable ? [['PostgreSQL', postgresSubject] as [string, () => Promise<Subject>]] : [])
];

describe.each(subjects)('the %s board store', (_name, subject) => {
	async function open(): Promise<Subject> {
		const opened = await subject();
		cleanups.push(opened.close);
		return opened;
	}

	test('loads a compacted board as its snapshot, with its state vector and size', async () => {
		const { store } = await open();
		const board = await store.load('board-1');
		expect(titleOf(board.state)).toBe('board-1');
		expect(board.logLength).toBe(0);
		expect(new Uint8Array(board.stateVector!)).toEqual(Y.encodeStateVectorFromUpdate(board.state));
		expect(board.storedBytes).toBe(board.state.length);
	});

	test('appends to several boards in one call, in order, and loads them merged', async () => {
		const { store } = await open();
		const first = await store.load('board-1');
		const second = await store.load('board-2');
		const renamed = retitle(first.state, 'Renamed once');
		const renamedAgain = retitle(Y.mergeUpdates([first.state, renamed]), 'Renamed twice');
		const receipt = await store.append([
			{ boardId: 'board-1', update: renamed },
			{ boardId: 'board-2', update: retitle(second.state, 'Other') },
			{ boardId: 'board-1', update: renamedAgain }
		]);
		// A store that numbers its logs does so per board, without gaps.
		if (receipt.sequences)
			expect([...receipt.sequences]).toEqual([
				['board-1', 2],
				['board-2', 1]
			]);
		const loaded = await store.load('board-1');
		expect(titleOf(loaded.state)).toBe('Renamed twice');
		expect(loaded.logLength).toBe(2);
		expect(loaded.stateVector).toBeNull();
		expect(loaded.storedBytes).toBe(first.storedBytes + renamed.length + renamedAgain.length);
		expect(titleOf((await store.load('board-2')).state)).toBe('Other');
	});

	test('an append naming a deleted board stores none of its updates and rejects', async () => {
		const { store, deleteBoard } = await open();
		const first = await store.load('board-1');
		const second = await store.load('board-2');
		await deleteBoard('board-2');
		await expect(
			store.append([
				{ boardId: 'board-1', update: retitle(first.state, 'Never stored') },
				{ boardId: 'board-2', update: retitle(second.state, 'Gone') }
			])
		).rejects.toThrow();
		const loaded = await store.load('board-1');
		expect(titleOf(loaded.state)).toBe('board-1');
		expect(loaded.logLength).toBe(0);
	});

	test('compaction replaces the log with the snapshot it is given', async () => {
		const { store } = await open();
		const first = await store.load('board-1');
		await store.append([{ boardId: 'board-1', update: retitle(first.state, 'Compacted') }]);
		const state = (await store.load('board-1')).state;
		await store.compact('board-1', { state, stateVector: Y.encodeStateVectorFromUpdate(state), folded: 1 });
		const loaded = await store.load('board-1');
		expect(loaded.logLength).toBe(0);
		expect(titleOf(loaded.state)).toBe('Compacted');
		expect(new Uint8Array(loaded.stateVector!)).toEqual(Y.encodeStateVectorFromUpdate(state));
	});

	test('compaction keeps the updates appended after its state was encoded', async () => {
		const { store } = await open();
		const first = await store.load('board-1');
		const renamed = retitle(first.state, 'Folded');
		await store.append([{ boardId: 'board-1', update: renamed }]);
		const state = (await store.load('board-1')).state;
		const later = retitle(state, 'Appended during the compaction');
		await store.append([{ boardId: 'board-1', update: later }]);
		await store.compact('board-1', { state, stateVector: Y.encodeStateVectorFromUpdate(state), folded: 1 });
		const loaded = await store.load('board-1');
		expect(loaded.logLength).toBe(1);
		expect(titleOf(loaded.state)).toBe('Appended during the compaction');
	});

	test("keeps one automatic version a day per board, holding the state before the day's first edit", async () => {
		const { store } = await open();
		const before = (await store.load('board-1')).state;
		expect(await store.saveDailyVersion('board-1', before)).toBe(true);
		expect(await store.saveDailyVersion('board-1', retitle(before, 'Later'))).toBe(false);
		expect(await store.saveDailyVersion('board-2', (await store.load('board-2')).state)).toBe(true);
	});
});

describe('the SQLite board store beside another caller', () => {
	test("an append made while another caller's transaction is open does not join it: that one's rollback leaves the append", async () => {
		const subject = sqliteSubject();
		cleanups.push(subject.close);
		const { store } = subject;
		const sqlite = (store as unknown as { db: { $client: import('better-sqlite3').Database } }).db.$client;
		const before = (await store.load('board-1')).state;
		sqlite.exec('BEGIN IMMEDIATE');
		const appended = store.append([{ boardId: 'board-1', update: retitle(before, 'Kept') }]);
		sqlite.exec('ROLLBACK');
		await appended;
		expect(titleOf((await store.load('board-1')).state)).toBe('Kept');
	});
});
