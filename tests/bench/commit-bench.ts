/**
 * What the power-cut guarantee costs a write, in its own process: one board append through
 * src/lib/server/doc-store.ts on a fresh SQLite file, 60 times a second (one fan-out writer's
 * pace), with the machine otherwise idle and then with every core kept busy by other processes
 * (as a load generator and the server's own relays keep them in the fan-out scenario). Each with
 * `synchronous = FULL`, as shipped (the commit is on disk before it returns), and, for comparison
 * only, `NORMAL` (the peers' kind of durability: the commit may be lost to a power cut). Prints
 * one JSON line with each condition's commit time, p50 / p99 / max in ms.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startingBoard } from '../../src/lib/server/board-start';
import { createBoard } from '../../src/lib/server/boards';
import { openDb } from '../../src/lib/server/db';
import { users } from '../../src/lib/server/db/schema';
import { appendUpdates, loadDoc } from '../../src/lib/server/doc-store';
import { percentile } from './stats';
import { generateJourney, moveTouchpoint, random, SEED } from './workload';

const ROOT = process.env.BENCH_ROOT ?? process.cwd();
/** Commits per condition, and their pace. */
const COMMITS = Number(process.env.BENCH_COMMITS ?? 600);
const COMMIT_INTERVAL_MS = 1000 / 60;
/** Commits between two checkpoints (the server's worker checkpoints every second), so the log is rewritten in place as it is there. */
const CHECKPOINT_EVERY = 60;
const TOUCHPOINTS = 200;

type Sync = 'FULL' | 'NORMAL';
interface CommitFigures {
	p50: number;
	p99: number;
	max: number;
}

/** One busy process per core: each spins until it is killed, or at most three times a condition's length (should this process die first). */
function busyCores(): ChildProcess[] {
	const end = Date.now() + 3 * COMMITS * COMMIT_INTERVAL_MS;
	return Array.from({ length: availableParallelism() }, () =>
		spawn(process.execPath, ['-e', `while (Date.now() < ${Math.round(end)}) {}`], { stdio: 'ignore' })
	);
}

const dir = mkdtempSync(join(tmpdir(), 'journey-bench-commit-'));
try {
	const db = openDb(dir, join(ROOT, 'drizzle'));
	db.insert(users).values({ id: 'bench', email: 'bench@example.test', name: 'Bench', passwordHash: '-', createdAt: Date.now() }).run();
	const start = startingBoard(new TextEncoder().encode(JSON.stringify({ journey: generateJourney(TOUCHPOINTS) })), 'en');
	if (!start.ok) throw new Error(start.error);
	const boardId = await createBoard(db, 'bench', start);
	const writer = (await loadDoc(db, boardId)).doc;
	const next = random(SEED);
	const move = (): Uint8Array => {
		let update: Uint8Array = new Uint8Array();
		const take = (made: Uint8Array) => (update = made);
		writer.once('update', take);
		moveTouchpoint(writer, `tp-${Math.floor(next() * TOUCHPOINTS)}`, Math.round(next() * 12_000), Math.round(next() * 1_000));
		return update;
	};

	const measure = async (sync: Sync, busy: boolean): Promise<CommitFigures> => {
		db.$client.pragma(`synchronous = ${sync}`);
		const spinners = busy ? busyCores() : [];
		try {
			const times: number[] = [];
			for (let i = 0; i < COMMITS; i++) {
				const update = move();
				const started = performance.now();
				appendUpdates(db, [{ boardId, update }]);
				times.push(performance.now() - started);
				if (i % CHECKPOINT_EVERY === CHECKPOINT_EVERY - 1) db.$client.pragma('wal_checkpoint(PASSIVE)');
				await new Promise((resolve) => setTimeout(resolve, COMMIT_INTERVAL_MS));
			}
			return { p50: percentile(times, 50), p99: percentile(times, 99), max: Math.max(...times) };
		} finally {
			for (const spinner of spinners) spinner.kill('SIGKILL');
		}
	};

	const figures = {
		commits: COMMITS,
		fullIdle: await measure('FULL', false),
		fullBusy: await measure('FULL', true),
		normalIdle: await measure('NORMAL', false),
		normalBusy: await measure('NORMAL', true)
	};
	writer.destroy();
	db.$client.close();
	console.log(JSON.stringify(figures));
} finally {
	rmSync(dir, { recursive: true, force: true });
}
