/**
 * The update log in its own process, through src/lib/server/doc-store.ts on a fresh SQLite file:
 * folding a 20,000-update log into a snapshot (applied into a `Y.Doc`, one transaction), and
 * loading a board from its snapshot and log. Prints one JSON line with the figures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { startingBoard } from '../../src/lib/server/board-start';
import { createBoard } from '../../src/lib/server/boards';
import { openDb } from '../../src/lib/server/db';
import { users } from '../../src/lib/server/db/schema';
import { appendUpdates, compact, loadDoc, logLength } from '../../src/lib/server/doc-store';
import { median } from './stats';
import { generateJourney, moveTouchpoint, random, SEED } from './workload';

const ROOT = process.env.BENCH_ROOT ?? process.cwd();
const LOG_UPDATES = Number(process.env.BENCH_LOG_UPDATES ?? 20_000);
const TOUCHPOINTS = 200;
/** Log rows appended per transaction while preparing (as the server appends a busy tick). */
const APPEND_BATCH = 500;
const REPEATS = 3;

const dir = mkdtempSync(join(tmpdir(), 'journey-bench-store-'));
try {
	const db = openDb(dir, join(ROOT, 'drizzle'));
	db.insert(users).values({ id: 'bench', email: 'bench@example.test', name: 'Bench', passwordHash: '-', createdAt: Date.now() }).run();
	const start = startingBoard(new TextEncoder().encode(JSON.stringify({ journey: generateJourney(TOUCHPOINTS) })), 'en');
	if (!start.ok) throw new Error(start.error);
	const next = random(SEED);
	/** LOG_UPDATES new moves by `writer`, each its own update, appended as a room stores them. */
	const fillLog = async (boardId: string, writer: Y.Doc): Promise<Uint8Array[]> => {
		const updates: Uint8Array[] = [];
		const collect = (update: Uint8Array) => updates.push(update);
		writer.on('update', collect);
		for (let i = 0; i < LOG_UPDATES; i++) {
			moveTouchpoint(writer, `tp-${Math.floor(next() * TOUCHPOINTS)}`, Math.round(next() * 12_000), Math.round(next() * 1_000));
		}
		writer.off('update', collect);
		for (let i = 0; i < updates.length; i += APPEND_BATCH) {
			appendUpdates(
				db,
				updates.slice(i, i + APPEND_BATCH).map((update) => ({ boardId, update }))
			);
		}
		if ((await logLength(db, boardId)) < LOG_UPDATES) throw new Error('the log was not filled');
		return updates;
	};

	const coldMs: number[] = [];
	const liveMs: number[] = [];
	const loadMs: number[] = [];
	let snapshotBytes = 0;
	// Each round on a fresh board: its snapshot is the imported journey, its log LOG_UPDATES moves.
	for (let round = 0; round < REPEATS; round++) {
		const boardId = await createBoard(db, 'bench', start);
		const writer = (await loadDoc(db, boardId)).doc;
		await fillLog(boardId, writer);
		// From the log: load the snapshot and the whole log into a Y.Doc, then fold it (what a
		// start-up or an unload does with a long log).
		let started = performance.now();
		const loaded = await loadDoc(db, boardId);
		await compact(db, boardId, loaded.doc);
		coldMs.push(performance.now() - started);
		snapshotBytes = Y.encodeStateAsUpdateV2(loaded.doc).byteLength;

		// Live: the room's document already holds every logged update.
		for (const update of await fillLog(boardId, writer)) Y.applyUpdate(loaded.doc, update);
		started = performance.now();
		await compact(db, boardId, loaded.doc);
		liveMs.push(performance.now() - started);
		loaded.doc.destroy();
		writer.destroy();

		started = performance.now();
		(await loadDoc(db, boardId)).doc.destroy();
		loadMs.push(performance.now() - started);
	}
	db.$client.close();
	console.log(
		JSON.stringify({
			logUpdates: LOG_UPDATES,
			compactColdMs: median(coldMs),
			compactLiveMs: median(liveMs),
			loadAfterCompactMs: median(loadMs),
			snapshotBytes
		})
	);
} finally {
	rmSync(dir, { recursive: true, force: true });
}
