/**
 * The PostgreSQL board store (server/storage/pg-board-store.ts) on a PostgreSQL started for the
 * run on loopback: appending 1 and 50 updates in one call (a quiet and a busy turn), loading a
 * board with a log, and folding a 5,000-update log into a snapshot. Prints one JSON line.
 *
 *   npx tsx tests/bench/pg-store-bench.ts
 */
import * as Y from 'yjs';
import { journeyToDoc } from '../../src/lib/journey/document';
import { startTestPostgres } from '../support/pg-board-database';
import { median, percentile } from './stats';
import { generateJourney, moveTouchpoint, random, SEED } from './workload';

const TOUCHPOINTS = 200;
const APPENDS = Number(process.env.BENCH_PG_APPENDS ?? 500);
const BUSY_TURN = 50;
const LOG_UPDATES = 5_000;
const REPEATS = 3;

const postgres = await startTestPostgres();
try {
	const doc = journeyToDoc(generateJourney(TOUCHPOINTS));
	const next = random(SEED);
	const move = (): Uint8Array => {
		let update: Uint8Array | null = null;
		const keep = (encoded: Uint8Array) => (update = encoded);
		doc.on('update', keep);
		moveTouchpoint(doc, `tp-${Math.floor(next() * TOUCHPOINTS)}`, Math.round(next() * 12_000), Math.round(next() * 1_000));
		doc.off('update', keep);
		return update!;
	};
	const store = postgres.store();
	const timed = async (work: () => Promise<unknown>): Promise<number> => {
		const started = performance.now();
		await work();
		return performance.now() - started;
	};

	await postgres.addBoard('bench', Y.encodeStateAsUpdate(doc));
	const single: number[] = [];
	for (let i = 0; i < APPENDS; i++) {
		const update = move();
		single.push(await timed(() => store.append([{ boardId: 'bench', update }])));
	}
	const busy: number[] = [];
	for (let i = 0; i < APPENDS / 10; i++) {
		const updates = Array.from({ length: BUSY_TURN }, () => ({ boardId: 'bench', update: move() }));
		busy.push(await timed(() => store.append(updates)));
	}

	const load: number[] = [];
	const compaction: number[] = [];
	for (let round = 0; round < REPEATS; round++) {
		const boardId = `log-${round}`;
		// Its snapshot is the document now, so its log holds only later moves (nothing left pending).
		await postgres.addBoard(boardId, Y.encodeStateAsUpdate(doc));
		for (let i = 0; i < LOG_UPDATES; i += 500) {
			await store.append(Array.from({ length: 500 }, () => ({ boardId, update: move() })));
		}
		let loaded = await store.load(boardId);
		load.push(await timed(async () => (loaded = await store.load(boardId))));
		const snapshot = {
			state: loaded.state,
			stateVector: Y.encodeStateVectorFromUpdate(loaded.state),
			folded: loaded.logLength,
			seq: loaded.seq
		};
		compaction.push(await timed(() => store.compact(boardId, snapshot)));
	}
	const round = (ms: number) => Math.round(ms * 100) / 100;
	console.log(
		JSON.stringify({
			appendOneMs: { p50: round(median(single)), p99: round(percentile(single, 99)) },
			appendFiftyMs: { p50: round(median(busy)), p99: round(percentile(busy, 99)) },
			loadLogMs: round(median(load)),
			compactLogMs: round(median(compaction)),
			logUpdates: LOG_UPDATES
		})
	);
} finally {
	await postgres.stop();
}
