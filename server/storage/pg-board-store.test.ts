/**
 * What the PostgreSQL board store guarantees beyond the contract every store keeps
 * (`board-store.test.ts`): several processes (each its own pool) on one database, and a database
 * that goes away and comes back. PostgreSQL is started once for the file; skipped, saying so,
 * where it is not installed.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { journeyToDoc, readJourney } from '../../src/lib/journey/document';
import { templateJourney } from '../../src/lib/journey/templates';
import type { Db } from '../../src/lib/server/db';
import { storedStateKey } from '../../src/lib/server/doc-store';
import { postgresAvailable, startTestPostgres, type TestPostgres } from '../../tests/support/pg-board-database';
import { COMPACTION_LOCK } from './pg-board-statements';
import type { PgBoardStore } from './pg-board-store';

const BOARD = 'board-1';
/** Appends each of two processes makes to one board at the same time. */
const APPENDS_PER_PROCESS = 40;
/** A test that stops and restarts PostgreSQL waits for it. */
const RESTART_TIMEOUT_MS = 60_000;

let postgres: TestPostgres;
beforeAll(async () => {
	if (postgresAvailable) postgres = await startTestPostgres();
}, 120_000);
afterAll(async () => {
	await postgres?.stop();
});

function starting(): Uint8Array {
	return Y.encodeStateAsUpdate(journeyToDoc(templateJourney('blank', 'Start', 'en')));
}

/** An update adding a mark named `name` to a document holding `state`. */
function addMark(state: Uint8Array, name: string): Uint8Array {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, state);
	const before = Y.encodeStateVector(doc);
	doc.getMap('marks').set(name, true);
	return Y.encodeStateAsUpdate(doc, before);
}

function marksOf(state: Uint8Array): string[] {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, state);
	return [...doc.getMap('marks').keys()].sort();
}

/** The board's stored state key as the product's reads name it (`storedStateKey`), read through the first pool. */
function stateKey(): Promise<string> {
	return storedStateKey(postgres.db as unknown as Db, BOARD);
}

async function loggedSequence(boardId = BOARD): Promise<number[]> {
	const { rows } = await postgres.db.$client.query<{ seq: string }>('SELECT seq FROM board_updates WHERE board_id = $1 ORDER BY seq', [
		boardId
	]);
	return rows.map((row) => Number(row.seq));
}

/** Appends `count` updates, each adding one mark, and resolves with the full state after them. */
async function appendMarks(store: PgBoardStore, count: number, from = 0): Promise<Uint8Array> {
	let state = (await store.load(BOARD)).state;
	for (let index = from; index < from + count; index++) {
		const update = addMark(state, `mark-${String(index).padStart(3, '0')}`);
		await store.append([{ boardId: BOARD, update }]);
		state = Y.mergeUpdates([state, update]);
	}
	return state;
}

describe.skipIf(!postgresAvailable)(
	`the PostgreSQL board store${postgresAvailable ? '' : ' (skipped: PostgreSQL is not installed here)'}`,
	() => {
		beforeEach(async () => {
			await postgres.reset();
			await postgres.addBoard(BOARD, starting());
		});

		test('two processes appending to one board at once number its log 1…n without a gap or a repeat', async () => {
			const [first, second] = [postgres.store(), await postgres.otherProcess()];
			const base = (await first.load(BOARD)).state;
			const appendAll = (store: PgBoardStore, prefix: string) =>
				Promise.all(
					Array.from({ length: APPENDS_PER_PROCESS }, (_, index) => {
						// Every other append carries two updates, as a busy turn does.
						const updates = [addMark(base, `mark-${prefix}${index}`)];
						if (index % 2 === 0) updates.push(addMark(base, `mark-${prefix}${index}b`));
						return store.append(updates.map((update) => ({ boardId: BOARD, update })));
					})
				);
			const receipts = (await Promise.all([appendAll(first, 'a'), appendAll(second, 'b')])).flat();
			const total = 2 * (APPENDS_PER_PROCESS + APPENDS_PER_PROCESS / 2);
			expect(await loggedSequence()).toEqual(Array.from({ length: total }, (_, index) => index + 1));
			// Each receipt names the board's last number after its own append: all different.
			const lasts = receipts.map((receipt) => receipt.sequences!.get(BOARD)!);
			expect(new Set(lasts).size).toBe(receipts.length);
			expect(Math.max(...lasts)).toBe(total);
			const loaded = await second.load(BOARD);
			expect(loaded.seq).toBe(total);
			expect(marksOf(loaded.state)).toHaveLength(total);
		});

		test('two processes appending to the same boards in opposite orders never deadlock', async () => {
			await postgres.addBoard('board-2', starting());
			const [first, second] = [postgres.store(), await postgres.otherProcess()];
			const base = (await first.load(BOARD)).state;
			const batch = (boards: string[], index: number) =>
				boards.map((boardId) => ({ boardId, update: addMark(base, `mark-${boardId}-${index}`) }));
			await Promise.all(
				Array.from({ length: APPENDS_PER_PROCESS }, (_, index) => [
					first.append(batch([BOARD, 'board-2'], index)),
					second.append(batch(['board-2', BOARD], index + APPENDS_PER_PROCESS))
				]).flat()
			);
			expect(await loggedSequence(BOARD)).toHaveLength(2 * APPENDS_PER_PROCESS);
			expect(await loggedSequence('board-2')).toEqual(Array.from({ length: 2 * APPENDS_PER_PROCESS }, (_, index) => index + 1));
		});

		test("the stored state's key changes with each append from any process and with each compaction, and only then", async () => {
			const [first, second] = [postgres.store(), await postgres.otherProcess()];
			const keys = [await stateKey()];
			const state = await appendMarks(second, 1);
			keys.push(await stateKey());
			await first.compact(BOARD, { state, stateVector: Y.encodeStateVectorFromUpdate(state), folded: 1, seq: 1 });
			keys.push(await stateKey());
			// The same state folded again, within the same millisecond or not: still a new key.
			await second.compact(BOARD, { state, stateVector: Y.encodeStateVectorFromUpdate(state), folded: 0, seq: 1 });
			keys.push(await stateKey());
			expect(new Set(keys).size).toBe(4);
			expect(await stateKey()).toBe(keys[3]);
		});

		test('a compaction while another process compacts the same board skips, and the log is folded once', async () => {
			const store = postgres.store();
			const state = await appendMarks(store, 3);
			const snapshot = { state, stateVector: Y.encodeStateVectorFromUpdate(state), folded: 3, seq: 3 };
			const keyBefore = await stateKey();
			// Another process holds the board's compaction lock, in the middle of its own compaction.
			const other = await postgres.db.$client.connect();
			try {
				await other.query('BEGIN');
				await other.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [COMPACTION_LOCK, BOARD]);
				await store.compact(BOARD, snapshot);
				expect(await loggedSequence()).toEqual([1, 2, 3]);
				expect(await stateKey()).toBe(keyBefore);
			} finally {
				await other.query('ROLLBACK');
				other.release();
			}
			await store.compact(BOARD, snapshot);
			expect(await loggedSequence()).toEqual([]);
			expect(await stateKey()).not.toBe(keyBefore);
			const loaded = await store.load(BOARD);
			expect({ logLength: loaded.logLength, seq: loaded.seq }).toEqual({ logLength: 0, seq: 3 });
			expect(marksOf(loaded.state)).toEqual(['mark-000', 'mark-001', 'mark-002']);
		});

		test('two processes compacting at once lose nothing, and a snapshot never goes back to an older one', async () => {
			const [first, second] = [postgres.store(), await postgres.otherProcess()];
			const older = await appendMarks(first, 2);
			const newer = await appendMarks(first, 3, 2);
			const snapshotOf = (state: Uint8Array, seq: number) => ({
				state,
				stateVector: Y.encodeStateVectorFromUpdate(state),
				folded: seq,
				seq
			});
			// Either may take the lock first; the other skips or, coming after, finds what it folds folded.
			await Promise.all([second.compact(BOARD, snapshotOf(newer, 5)), first.compact(BOARD, snapshotOf(older, 2))]);
			const raced = await first.load(BOARD);
			expect(raced.seq).toBe(5);
			expect(marksOf(raced.state)).toHaveLength(5);

			await first.compact(BOARD, snapshotOf(newer, 5));
			// A slow process's compaction of an older state arrives last: the newer snapshot stays.
			await second.compact(BOARD, snapshotOf(older, 2));
			const loaded = await first.load(BOARD);
			expect({ seq: loaded.seq, logLength: loaded.logLength }).toEqual({ seq: 5, logLength: 0 });
			expect(marksOf(loaded.state)).toHaveLength(5);
		});

		test('catching up after a number reads the updates since it, or null once a compaction folded them', async () => {
			const store = postgres.store();
			const state = await appendMarks(store, 4);
			const since = await store.loadSince!(BOARD, 1);
			expect(since!.map((entry) => entry.seq)).toEqual([2, 3, 4]);
			expect(marksOf(Y.mergeUpdates([(await store.load(BOARD)).state, ...since!.map((entry) => entry.update)]))).toHaveLength(4);
			expect(await store.loadSince!(BOARD, 4)).toEqual([]);

			await store.compact(BOARD, { state, stateVector: Y.encodeStateVectorFromUpdate(state), folded: 3, seq: 3 });
			expect(await store.loadSince!(BOARD, 1)).toBeNull();
			expect((await store.loadSince!(BOARD, 3))!.map((entry) => entry.seq)).toEqual([4]);
			// A compaction without a number folds the oldest it counts, and numbers the snapshot by them.
			await store.compact(BOARD, { state, stateVector: Y.encodeStateVectorFromUpdate(state), folded: 1 });
			expect(await store.loadSince!(BOARD, 3)).toBeNull();
			expect(await store.loadSince!(BOARD, 4)).toEqual([]);
			expect((await store.load(BOARD)).seq).toBe(4);
		});

		test('two processes saving the day’s automatic version at once save one', async () => {
			const [first, second] = [postgres.store(), await postgres.otherProcess()];
			const state = (await first.load(BOARD)).state;
			const saved = await Promise.all([first.saveDailyVersion(BOARD, state), second.saveDailyVersion(BOARD, state)]);
			expect(saved.sort()).toEqual([false, true]);
			const { rows } = await postgres.db.$client.query('SELECT name, touchpoints FROM versions WHERE board_id = $1', [BOARD]);
			expect(rows).toHaveLength(1);
			const version = (await postgres.db.$client.query<{ state: Buffer }>('SELECT state FROM versions WHERE board_id = $1', [BOARD]))
				.rows[0];
			const doc = new Y.Doc();
			Y.applyUpdateV2(doc, version.state);
			expect(readJourney(doc).title).toBe('Start');
		});

		test(
			'an append while PostgreSQL is down rejects; once it is back appends work again and nothing is stored twice',
			async () => {
				const store = postgres.store();
				const before = await appendMarks(store, 2);
				await postgres.engine.halt();
				try {
					await expect(store.append([{ boardId: BOARD, update: addMark(before, 'mark-lost') }])).rejects.toThrow();
				} finally {
					await postgres.engine.start();
				}
				await appendMarks(store, 2, 2);
				expect(await loggedSequence()).toEqual([1, 2, 3, 4]);
				expect(marksOf((await store.load(BOARD)).state)).toEqual(['mark-000', 'mark-001', 'mark-002', 'mark-003']);
			},
			RESTART_TIMEOUT_MS
		);
	}
);
