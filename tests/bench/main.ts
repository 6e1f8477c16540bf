/**
 * `npm run bench`: one seeded workload against each server in turn — this product, the reference
 * `@y/websocket-server` 0.1.1 and `@hocuspocus/server` 3 with nothing stored, and the same two with
 * their own persistence (LevelDB, SQLite) — with the load generator in its own process. Prints a
 * table of figures with the product's ratio to each of them and the targets, and writes it to
 * tests/bench/RESULTS.md. Benchmarks are not tests: nothing here passes or fails.
 *
 * BENCH_QUICK=1 shortens every run and shrinks the counts (figures are then rougher).
 * BENCH_SERVERS=product,reference,hocuspocus,reference-leveldb,hocuspocus-sqlite and
 * BENCH_ONLY=fanout,saturation,memory,persistence,storage,commits,load,browser,presence,nonreaders,reads,intake,scale pick what runs
 * (scale: one product process against two behind HAProxy, see scale-bench.ts for its knobs), and
 * BENCH_FANOUT=1x50x60,1x500x100,20x10x60 which fan-out shapes (BENCH_ROUNDS times each, 3 by
 * default). Only a whole, full run rewrites tests/bench/RESULTS.md (or any run with BENCH_WRITE=1).
 */
import { execFileSync, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { measureBrowser, type BrowserFigures } from './browser';
import type { Job, JobResult, StepResult } from './load-worker';
import { measurePresence } from './presence-bench';
import { renderTable, writeResults, type Figures } from './report';
import { removeAppCopy, ROOT, SERVER_KINDS, startServer, type BenchServer, type ServerKind } from './servers';
import { measureNonReaders, NON_READERS } from './non-readers';
import { intakeBesideEdits } from './intake-bench';
import { readsBesideWrites } from './reads-beside-writes';
import { measureScale, scaleUnavailable } from './scale-bench';
import { median } from './stats';
import { generateJourney } from './workload';

const BENCH_DIR = import.meta.dirname;
const QUICK = process.env.BENCH_QUICK === '1';
const SERVERS = serverList(process.env.BENCH_SERVERS);
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
const runs = (part: string) => !ONLY || ONLY.has(part);

/** The servers to compare, all of them by default; an unknown name is an error, not a silent skip. */
function serverList(value: string | undefined): ServerKind[] {
	if (!value) return [...SERVER_KINDS];
	const kinds = value.split(',').map((name) => name.trim());
	const unknown = kinds.filter((name) => !(SERVER_KINDS as readonly string[]).includes(name));
	if (unknown.length) throw new Error(`BENCH_SERVERS: unknown ${unknown.join(', ')}; known: ${SERVER_KINDS.join(', ')}`);
	return kinds as ServerKind[];
}
const SHAPES = process.env.BENCH_FANOUT ? new Set(process.env.BENCH_FANOUT.split(',')) : null;

/** The sizes of every scenario; quick mode keeps the shapes and cuts counts and durations. */
const PLAN = {
	fanout: [
		{ name: '1x50x60', rooms: 1, clients: 50, writers: 10, rate: 60 },
		{ name: '1x500x100', rooms: 1, clients: QUICK ? 200 : 500, writers: 10, rate: 100 },
		{ name: '20x10x60', rooms: 20, clients: 10, writers: 3, rate: 60 }
	],
	fanoutWarmupMs: QUICK ? 500 : 5_000,
	fanoutMs: QUICK ? 1_500 : 10_000,
	fanoutRounds: QUICK ? 1 : Number(process.env.BENCH_ROUNDS ?? 3),
	saturation: {
		clients: 100,
		writers: 10,
		rates: [50, 100, 200, 300, 400, 500, 650, 800, 1_000, 1_250, 1_600, 2_000, 2_500],
		warmupMs: QUICK ? 300 : 500,
		durationMs: QUICK ? 1_000 : 1_500,
		p99LimitMs: 50
	},
	idleConnections: QUICK ? 500 : 2_000,
	idleRooms: 10,
	loadedBoards: QUICK ? 200 : 1_000,
	boardTouchpoints: 200,
	persistence: { writers: 4, window: 32, durationMs: QUICK ? 2_000 : 5_000 },
	coldLoad: { touchpoints: 1_000, moves: QUICK ? 20_000 : 100_000, writers: 4, window: 64, samples: 3 },
	bigDoc: { touchpoints: 5_000, descriptionChars: 2_000, joins: 3 },
	browser: { touchpoints: 1_000, remoteRate: 60, remoteMs: 4_000 },
	settleMs: 2_000
};

/** Time for freed pages to go back to the system after a collection. */
const GC_SETTLE_MS = 500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function log(message: string): void {
	console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

// ---------------------------------------------------------------------------------------------
// The load generator process

function startWorker(job: Job) {
	const child = fork(join(BENCH_DIR, 'load-worker.js'), [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	let onReady: (info: unknown) => void = () => {};
	const ready = new Promise<unknown>((resolve) => (onReady = resolve));
	const result = new Promise<JobResult>((resolve, reject) => {
		child.on('message', (message: { type: string; result?: JobResult; message?: string }) => {
			if (message.type === 'ready') onReady(message);
			else if (message.type === 'result') resolve(message.result!);
			else if (message.type === 'error') reject(new Error(`load generator: ${message.message}`));
		});
		child.once('exit', (code) => {
			if (code !== 0) reject(new Error(`load generator exited with ${code}`));
		});
	});
	child.send(job);
	return { ready, result, release: () => child.send({ type: 'release' }) };
}

async function runJob<K extends JobResult['kind']>(job: Job & { kind: K }): Promise<Extract<JobResult, { kind: K }>> {
	return (await startWorker(job).result) as Extract<JobResult, { kind: K }>;
}

/**
 * Server RSS once it has been quiet for a moment and has run a full garbage collection, so the
 * figure is what the server keeps, not the garbage it has not collected yet.
 */
async function settledRss(server: BenchServer): Promise<number> {
	await sleep(PLAN.settleMs);
	await server.collectGarbage();
	await sleep(GC_SETTLE_MS);
	return server.rss();
}

// ---------------------------------------------------------------------------------------------
// Scenarios: each starts its own server, so none inherits another's heap

async function withServer<T>(kind: ServerKind, run: (server: BenchServer) => Promise<T>): Promise<T> {
	const server = await startServer(kind);
	try {
		return await run(server);
	} finally {
		await server.stop();
	}
}

/** One fan-out shape on a fresh server; returns its all-arrived p50 and p99. */
async function fanoutOnce(kind: ServerKind, shape: (typeof PLAN.fanout)[number]): Promise<StepResult> {
	return withServer(kind, async (server) => {
		const rooms = await server.createRooms(shape.rooms, generateJourney(PLAN.boardTouchpoints), `fanout-${shape.name}`);
		const cpuBefore = server.cpuSeconds();
		const { steps } = await runJob({
			kind: 'fanout',
			rooms,
			clientsPerRoom: shape.clients,
			writersPerRoom: shape.writers,
			steps: [{ rate: shape.rate, warmupMs: PLAN.fanoutWarmupMs, durationMs: PLAN.fanoutMs }]
		});
		log(
			`${kind} fan-out ${shape.rooms}×${shape.clients}×${shape.rate}: ${describeStep(steps[0])}, server CPU ${(server.cpuSeconds() - cpuBefore).toFixed(1)} s`
		);
		return steps[0];
	});
}

/**
 * Fan-out latency, each shape run `fanoutRounds` times with the servers taking turns, so a burst
 * of load from elsewhere on the machine hits all of them alike; the figures are the medians.
 */
async function fanout(results: Record<ServerKind, Figures>): Promise<void> {
	for (const shape of PLAN.fanout.filter(({ name }) => !SHAPES || SHAPES.has(name))) {
		const runsOf = new Map<ServerKind, StepResult[]>(SERVERS.map((kind) => [kind, []]));
		for (let round = 0; round < PLAN.fanoutRounds; round++) {
			for (const kind of SERVERS) runsOf.get(kind)!.push(await fanoutOnce(kind, shape));
		}
		for (const kind of SERVERS) {
			results[kind][`fanout.${shape.name}.p50`] = median(runsOf.get(kind)!.map((step) => step.completeP50));
			results[kind][`fanout.${shape.name}.p99`] = median(runsOf.get(kind)!.map((step) => step.completeP99));
		}
	}
}

function describeStep(step: StepResult): string {
	return (
		`${step.writes} writes, all-arrived p50 ${step.completeP50.toFixed(2)} p99 ${step.completeP99.toFixed(2)} ms, ` +
		`per-delivery p50 ${step.deliveryP50.toFixed(2)} p99 ${step.deliveryP99.toFixed(2)} ms, ` +
		`${Math.round(step.deliveriesPerSec)} deliveries/s, lost ${step.lost}, generator lag p99 ${step.generatorLagP99.toFixed(1)} ms`
	);
}

/** A saturation step passes when every write arrived everywhere with p99 within the limit. */
function passes(step: StepResult): boolean {
	return step.completeP99 <= PLAN.saturation.p99LimitMs && step.lost === 0;
}

/** The ramp ends after this many failing steps in a row, so one burst of outside load cannot end it. */
const SATURATION_FAILURES_TO_STOP = 2;

async function saturation(kind: ServerKind, figures: Figures): Promise<void> {
	const plan = PLAN.saturation;
	await withServer(kind, async (server) => {
		const [room] = await server.createRooms(1, generateJourney(PLAN.boardTouchpoints), 'saturation');
		const { steps } = await runJob({
			kind: 'fanout',
			rooms: [room],
			clientsPerRoom: plan.clients,
			writersPerRoom: plan.writers,
			steps: plan.rates.map((rate) => ({ rate, warmupMs: plan.warmupMs, durationMs: plan.durationMs })),
			stopAboveP99Ms: plan.p99LimitMs,
			stopAfterFailures: SATURATION_FAILURES_TO_STOP
		});
		for (const step of steps) log(`${kind} saturation 1×${plan.clients} at ${step.rate} writes/s: ${describeStep(step)}`);
		const passing = steps.filter((step) => passes(step));
		figures['saturation'] = passing.length ? Math.max(...passing.map((step) => step.deliveriesPerSec)) : 0;
		if (passing.length === steps.length) log(`${kind} saturation: every step passed; the figure is a lower bound`);
	});
}

async function memory(kind: ServerKind, figures: Figures): Promise<void> {
	// Idle connections: rooms loaded by one socket each first, then the idle crowd joins them.
	await withServer(kind, async (server) => {
		const rooms = await server.createRooms(PLAN.idleRooms, generateJourney(10), 'idle');
		const base = startWorker({ kind: 'hold', rooms, clientsPerRoom: 1 });
		await base.ready;
		const before = await settledRss(server);
		const crowd = startWorker({
			kind: 'hold',
			rooms: rooms.map((room) => ({ ...room, seed: undefined })),
			clientsPerRoom: PLAN.idleConnections / PLAN.idleRooms
		});
		await crowd.ready;
		const after = await settledRss(server);
		crowd.release();
		await crowd.result;
		base.release();
		await base.result;
		figures['memory.idleConnectionKB'] = (after - before) / PLAN.idleConnections / 1024;
		log(`${kind} idle connections: RSS ${mb(before)} → ${mb(after)} MB for ${PLAN.idleConnections}`);
	});
	// Loaded boards: each opened by one socket; the product's boards are created first and the
	// server restarted, so the creation's garbage is not in the baseline.
	await withServer(kind, async (server) => {
		const rooms = await server.createRooms(PLAN.loadedBoards, generateJourney(PLAN.boardTouchpoints), 'board');
		if (kind === 'product') await server.restart();
		const before = await settledRss(server);
		const holders = startWorker({ kind: 'hold', rooms, clientsPerRoom: 1 });
		await holders.ready;
		const after = await settledRss(server);
		holders.release();
		await holders.result;
		figures['memory.boardMB'] = (after - before) / PLAN.loadedBoards / 1024 / 1024;
		log(
			`${kind} loaded boards: RSS ${mb(before)} → ${mb(after)} MB for ${PLAN.loadedBoards} boards of ${PLAN.boardTouchpoints} touchpoints`
		);
	});
}

async function persistence(kind: ServerKind, figures: Figures): Promise<void> {
	const plan = PLAN.persistence;
	await withServer(kind, async (server) => {
		const [room] = await server.createRooms(1, generateJourney(PLAN.boardTouchpoints), 'persist');
		const bytesBefore = server.writeBytes();
		const cpuBefore = server.cpuSeconds();
		const result = await runJob({ kind: 'throughput', room, writers: plan.writers, window: plan.window, durationMs: plan.durationMs });
		// Let the last batch and any checkpoint reach the file before counting bytes.
		await sleep(500);
		const written = server.writeBytes() - bytesBefore;
		figures['persistence.updatesPerSec'] = result.perSec;
		figures['persistence.bytesPerUpdate'] = written / result.sent;
		log(
			`${kind} persistence: ${Math.round(result.perSec)} updates/s relayed (${result.sent} sent), ${written} bytes written, server CPU ${(server.cpuSeconds() - cpuBefore).toFixed(1)} s`
		);
	});
}

/** Product only: a 1,000-touchpoint board after many moves, loaded by a fresh process. */
async function coldLoad(figures: Figures): Promise<void> {
	const plan = PLAN.coldLoad;
	await withServer('product', async (server) => {
		const [room] = await server.createRooms(1, generateJourney(plan.touchpoints), 'cold');
		const pushed = await runJob({ kind: 'throughput', room, writers: plan.writers, window: plan.window, total: plan.moves });
		log(`product: ${plan.moves} moves stored at ${Math.round(pushed.perSec)} updates/s`);
		const samples: number[] = [];
		for (let i = 0; i < plan.samples; i++) {
			await server.restart();
			const { syncMs } = await runJob({ kind: 'join', room, joins: 1, holder: false });
			samples.push(syncMs[0]);
		}
		figures['load.coldMs'] = median(samples);
		log(`product cold load after ${plan.moves} moves: ${samples.map((ms) => ms.toFixed(1)).join(', ')} ms`);
	});
}

interface CommitFigures {
	p50: number;
	p99: number;
	max: number;
}

/** A board append's commit, synced as shipped and (for comparison) not, on an idle machine and with every core busy. */
function commits(figures: Figures): void {
	const output = execFileSync(process.execPath, [join(BENCH_DIR, 'commit-bench.js')], {
		env: { ...process.env, BENCH_ROOT: ROOT },
		encoding: 'utf8'
	});
	const result = JSON.parse(output.trim().split('\n').at(-1)!) as Record<
		'fullIdle' | 'fullBusy' | 'normalIdle' | 'normalBusy',
		CommitFigures
	> & {
		commits: number;
	};
	figures['commit.fullIdleP99'] = result.fullIdle.p99;
	figures['commit.fullBusyP99'] = result.fullBusy.p99;
	figures['commit.normalBusyP99'] = result.normalBusy.p99;
	const described = (name: string, { p50, p99, max }: CommitFigures) =>
		`${name} p50 ${p50.toFixed(2)} p99 ${p99.toFixed(2)} max ${max.toFixed(2)} ms`;
	log(
		`product commit of one write (${result.commits} at 60/s): ` +
			[
				described('synced, idle', result.fullIdle),
				described('synced, every core busy', result.fullBusy),
				described('not synced, idle', result.normalIdle),
				described('not synced, every core busy', result.normalBusy)
			].join('; ')
	);
}

async function bigDoc(kind: ServerKind, figures: Figures): Promise<void> {
	const plan = PLAN.bigDoc;
	const journey = generateJourney(plan.touchpoints, { descriptionChars: plan.descriptionChars });
	await withServer(kind, async (server) => {
		const [room] = await server.createRooms(1, journey, 'big');
		const { syncMs, bytes, holderSyncMs } = await runJob({ kind: 'join', room, joins: plan.joins, holder: true });
		figures['load.sync10MBMs'] = median(syncMs);
		log(
			`${kind} initial sync of ${mb(bytes)} MB: ${syncMs.map((ms) => ms.toFixed(0)).join(', ')} ms (first client, loading the room: ${holderSyncMs.toFixed(0)} ms)`
		);
	});
}

function storage(figures: Figures): void {
	const output = execFileSync(process.execPath, [join(BENCH_DIR, 'storage-bench.js')], {
		env: { ...process.env, BENCH_ROOT: ROOT },
		encoding: 'utf8'
	});
	const result = JSON.parse(output.trim().split('\n').at(-1)!) as {
		logUpdates: number;
		compactColdMs: number;
		compactLiveMs: number;
		loadAfterCompactMs: number;
		snapshotBytes: number;
	};
	figures['storage.compactMs'] = result.compactColdMs;
	figures['storage.compactLiveMs'] = result.compactLiveMs;
	log(
		`product compaction of ${result.logUpdates} updates: ${result.compactColdMs.toFixed(1)} ms from the log, ${result.compactLiveMs.toFixed(1)} ms from a live doc; ` +
			`load after: ${result.loadAfterCompactMs.toFixed(1)} ms; snapshot ${result.snapshotBytes} bytes`
	);
}

async function browser(figures: Figures): Promise<void> {
	const plan = PLAN.browser;
	await withServer('product', async (server) => {
		const [room] = await server.createRooms(1, generateJourney(plan.touchpoints), 'browser');
		let result: BrowserFigures;
		try {
			result = await measureBrowser(server.origin, server.cookie, room, async () => {
				const writer = startWorker({ kind: 'writeRate', room, rate: plan.remoteRate, durationMs: plan.remoteMs });
				return { started: writer.ready.then(() => {}), done: writer.result };
			});
		} catch (error) {
			log(`browser benchmark failed: ${(error as Error).message}`);
			return;
		}
		figures['browser.shownMs'] = result.shownMs;
		figures['browser.dragFps'] = result.drag.fps;
		figures['browser.dragFrameMs'] = result.drag.meanMs;
		figures['browser.remoteFps'] = result.remote.fps;
		figures['browser.remoteFrameMs'] = result.remote.meanMs;
		log(
			`product browser: first card ${result.firstCardMs.toFixed(0)} ms, ${result.cardsShown} cards shown at ${result.shownMs.toFixed(0)} ms; ` +
				`drag ${result.drag.fps.toFixed(1)} fps (mean ${result.drag.meanMs.toFixed(1)}, p95 ${result.drag.p95Ms.toFixed(1)} ms, ${result.drag.frames} frames); ` +
				`remote 60/s ${result.remote.fps.toFixed(1)} fps (mean ${result.remote.meanMs.toFixed(1)}, p95 ${result.remote.p95Ms.toFixed(1)} ms)`
		);
	});
}

/** Product only: edit relay on one board while a crowd sends presence on another. */
async function presence(figures: Figures): Promise<void> {
	await withServer('product', (server) => measurePresence(server, runJob, log, figures, QUICK));
}

/** Product only: RSS while sockets that read nothing ask for a large board's whole state again and again. */
async function nonReaders(figures: Figures): Promise<void> {
	const journey = generateJourney(NON_READERS.touchpoints, { descriptionChars: NON_READERS.descriptionChars });
	await withServer('product', async (server) => {
		const [room] = await server.createRooms(1, journey, 'non-readers');
		const result = await measureNonReaders(server, room, () => settledRss(server));
		figures['budgets.nonReadersPeakMB'] = (result.peak - result.before) / 1024 / 1024;
		figures['budgets.nonReadersHeldMB'] = (result.settled - result.before) / 1024 / 1024;
		log(
			`product ${NON_READERS.sockets} non-reading sockets × ${NON_READERS.requests} whole-state requests of a ${NON_READERS.touchpoints}-touchpoint board: ` +
				`RSS ${mb(result.before)} → peak ${mb(result.peak)} → settled ${mb(result.settled)} MB; ${result.closed} sockets closed by the server`
		);
	});
}

function mb(bytes: number): string {
	return (bytes / 1024 / 1024).toFixed(1);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
	const started = Date.now();
	const loadAtStart = loadavg();
	const results = Object.fromEntries(SERVER_KINDS.map((kind) => [kind, {}])) as Record<ServerKind, Figures>;
	log(
		`${QUICK ? 'quick' : 'full'} run; servers: ${SERVERS.join(', ')}; load average ${loadavg()
			.map((n) => n.toFixed(2))
			.join(' ')}`
	);
	try {
		// Scenario by scenario, the servers taking turns, so background load hits them alike.
		if (runs('fanout')) await fanout(results);
		const perServer: [string, (kind: ServerKind, figures: Figures) => Promise<void>][] = [
			['saturation', saturation],
			['memory', memory],
			['persistence', persistence],
			['load', bigDoc]
		];
		for (const [part, scenario] of perServer) {
			if (!runs(part)) continue;
			for (const kind of SERVERS) await scenario(kind, results[kind]);
		}
		if (SERVERS.includes('product')) {
			if (runs('load')) await coldLoad(results.product);
			if (runs('storage')) storage(results.product);
			if (runs('commits')) commits(results.product);
			if (runs('browser')) await browser(results.product);
			if (runs('presence')) await presence(results.product);
			if (runs('nonreaders')) await nonReaders(results.product);
			if (runs('reads')) {
				const reads = await readsBesideWrites({ withProduct: (run) => withServer('product', run), runFanout: runJob, log });
				Object.assign(results.product, {
					'reads.idleP99': reads.idleP99,
					'reads.readingP99': reads.readingP99,
					'reads.p99Ratio': reads.readingP99 / reads.idleP99,
					'reads.served': reads.reads,
					'reads.refused': reads.refused
				});
			}
			if (runs('intake')) await intakeBesideEdits({ withProduct: (run) => withServer('product', run), runFanout: runJob, log });
			if (runs('scale')) {
				const unavailable = scaleUnavailable();
				if (unavailable && ONLY?.has('scale')) throw new Error(`scale: ${unavailable}`);
				if (unavailable) log(`scale: skipped, ${unavailable}`);
				else await measureScale(results.product, QUICK, log);
			}
		}
	} finally {
		await removeAppCopy();
	}
	const minutes = (Date.now() - started) / 60_000;
	const table = renderTable(results, SERVERS);
	console.log(`\n${table}\n`);
	log(`done in ${minutes.toFixed(1)} min`);
	const whole = !QUICK && !ONLY && !SHAPES && !process.env.BENCH_SERVERS;
	if (whole || process.env.BENCH_WRITE === '1') {
		const file = writeResults(join(ROOT, 'tests/bench/RESULTS.md'), table, {
			quick: QUICK,
			minutes,
			machine: {
				nproc: cpus().length,
				memoryGiB: totalmem() / 1024 ** 3,
				freeGiB: freemem() / 1024 ** 3,
				cpu: /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown',
				node: process.version,
				loadavg: loadavg(),
				loadavgStart: loadAtStart
			}
		});
		log(`wrote ${file}`);
	}
}

await main();
