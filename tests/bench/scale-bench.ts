/**
 * Scale (`BENCH_ONLY=scale`): how many clients one product process holds against two behind
 * HAProxy (deploy/haproxy.cfg as shipped, through tests/support/deploy-config.ts), each process
 * held to the same CPU quota by a cgroup of its own, so a 2-core machine can show what a second
 * process adds. The processes share PostgreSQL and talk through Redis (tests/support/engines.ts
 * starts both); with a build that does not read `DATABASE_URL` yet, or `BENCH_SCALE_STORE=sqlite`,
 * they share one SQLite file instead, which checks the harness but is not the cluster's figure.
 *
 * The load: boards of `CLIENTS_PER_BOARD` clients, every writer moving a card `RATE_PER_WRITER`
 * times a second from moves encoded before the measure; `START_BOARDS` boards first, then
 * `STEP_BOARDS` more per step, until the p99 of sender-to-peer latency passes `P99_LIMIT_MS` or a
 * write does not reach every peer (a step over the latency limit is measured once more, and fails
 * only twice: a lone spike is not the limit). The figure is the clients of the last step that held.
 *
 * Knobs (environment): BENCH_SCALE_CPU (cores per process, 0.2: at 0.4 two processes leave too
 * little of a 2-core machine for the generators, HAProxy, PostgreSQL and Redis, and the machine,
 * not the quota, sets their limit), BENCH_SCALE_PROCESSES (1,2), BENCH_SCALE_BOARDS (50),
 * BENCH_SCALE_STEP (25), BENCH_SCALE_MAX_BOARDS (3,000), BENCH_SCALE_RATE (writes/s per writer,
 * 0.2: at 0.2 core one process holds about 100 boards, so the ramp starts below that and reads
 * both counts to within 25 boards), BENCH_SCALE_WRITERS (writers per board, 5), BENCH_SCALE_P99_MS (250),
 * BENCH_SCALE_GENERATORS (load-generator processes, 1), BENCH_SCALE_STORE (auto, postgres, sqlite).
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { deployHaproxyConfig } from '../support/deploy-config';
import {
	missingEngines,
	startHaproxy,
	startPostgres,
	startRedis,
	type Engine,
	type PostgresEngine,
	type RedisEngine
} from '../support/engines';
import { cpuQuotaUnavailable, limitCpu, removeStaleQuotas, type CpuQuota } from './cpu-quota';
import type { LoadRoom } from './load-worker';
import type { Figures } from './report';
import type { ScaleCommand, ScaleResult, ScaleStep } from './scale-worker';
import { copyOfApp, createBoards, launch, LOAD_BUDGETS, processProbes, signUp, stopChild } from './servers';
import { percentile } from './stats';
import { generateJourney } from './workload';

const BENCH_DIR = import.meta.dirname;

function numberFrom(name: string, fallback: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a number above 0, not "${raw}"`);
	return value;
}

/** CPU each product process may use, in cores (CFS quota per 100 ms period). */
export const CPU_CORES_PER_PROCESS = numberFrom('BENCH_SCALE_CPU', 0.2);
const START_BOARDS = Math.round(numberFrom('BENCH_SCALE_BOARDS', 50));
const STEP_BOARDS = Math.round(numberFrom('BENCH_SCALE_STEP', 25));
const MAX_BOARDS = Math.round(numberFrom('BENCH_SCALE_MAX_BOARDS', 3_000));
const CLIENTS_PER_BOARD = 5;
const WRITERS_PER_BOARD = Math.min(CLIENTS_PER_BOARD, Math.round(numberFrom('BENCH_SCALE_WRITERS', CLIENTS_PER_BOARD)));
const RATE_PER_WRITER = numberFrom('BENCH_SCALE_RATE', 0.2);
/** Sender-to-peer latency p99 above which a step no longer holds. */
export const P99_LIMIT_MS = numberFrom('BENCH_SCALE_P99_MS', 250);
const GENERATORS = Math.round(numberFrom('BENCH_SCALE_GENERATORS', 1));
/** Event-loop delay of a generator above which its own lateness, not the servers', may set the latency. */
const GENERATOR_LAG_WARNING_MS = 50;
/** Cards on each board (small: the load is many boards, not big ones). */
const TOUCHPOINTS = 20;
/** Descriptors HAProxy keeps for itself (listeners, checks, the admin socket). */
const PROXY_SPARE_DESCRIPTORS = 200;

/** HAProxy's connection ceiling: two descriptors each, within the hard limit on open files it inherits. */
function proxyMaxConnections(): number {
	const hard = Number(spawnSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout.trim());
	return Number.isFinite(hard) ? Math.floor((hard - PROXY_SPARE_DESCRIPTORS) / 2) : 4_000;
}
/** How long HAProxy may take to see every process up. */
const PROXY_READY_MS = 30_000;

type Store = 'postgres' | 'sqlite';

export interface ScaleStepFigures {
	boards: number;
	clients: number;
	writes: number;
	lost: number;
	closed: number;
	deliveryP50: number;
	deliveryP99: number;
	completeP99: number;
	generatorLagP99: number;
	/** CPU seconds of all product processes in the measured window. */
	cpuSeconds: number;
	/** Each process's share of those. */
	cpuShares: number[];
	/** Sync sockets on each process (how evenly the proxy's hash spread the boards). */
	sockets: number[];
	/** RSS of each product process at the end of the window, in bytes. */
	rss: number[];
	/** Share of CFS periods in which a process ran out of its quota (the highest of the processes). */
	throttledShare: number;
	/** Redis PUBLISH (and SPUBLISH) calls per second, and every command per second; NaN without Redis. */
	redisPublishPerSec: number;
	redisCommandsPerSec: number;
	seconds: number;
}

export interface ScaleRun {
	processes: number;
	store: Store;
	steps: ScaleStepFigures[];
	/** The last step that held, or null when even the first did not. */
	held: ScaleStepFigures | null;
	/** True when the ramp stopped at BENCH_SCALE_MAX_BOARDS still holding: the figure is a lower bound. */
	lowerBound: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Engines and processes

/** Sends one command to Redis and reads its whole bulk-string reply (enough for INFO). */
function redisInfo(port: number, section: string): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = createConnection({ host: '127.0.0.1', port });
		let reply = Buffer.alloc(0);
		socket.setTimeout(5_000, () => socket.destroy(new Error('Redis did not answer INFO')));
		socket.once('error', reject);
		socket.on('data', (chunk: Buffer) => {
			reply = Buffer.concat([reply, chunk]);
			const headerEnd = reply.indexOf('\r\n');
			if (headerEnd < 0) return;
			const header = reply.subarray(0, headerEnd).toString();
			if (!header.startsWith('$')) {
				socket.end();
				reject(new Error(`Redis INFO: ${header}`));
				return;
			}
			const length = Number(header.slice(1));
			if (reply.length < headerEnd + 2 + length) return;
			socket.end();
			resolve(reply.subarray(headerEnd + 2, headerEnd + 2 + length).toString());
		});
		socket.write(`*2\r\n$4\r\nINFO\r\n$${section.length}\r\n${section}\r\n`);
	});
}

/** Redis's counts so far: PUBLISH and SPUBLISH calls, and all commands processed. */
async function redisCounts(port: number): Promise<{ publish: number; commands: number }> {
	const commandStats = await redisInfo(port, 'commandstats');
	const calls = (name: string) => Number(new RegExp(`^cmdstat_${name}:calls=(\\d+)`, 'm').exec(commandStats)?.[1] ?? 0);
	const stats = await redisInfo(port, 'stats');
	return {
		publish: calls('publish') + calls('spublish'),
		commands: Number(/^total_commands_processed:(\d+)/m.exec(stats)?.[1] ?? 0)
	};
}

/** HAProxy's `show stat` rows of its sync backend's servers (app1, app2, …), through its admin socket; [] when it does not answer. */
function proxySyncRows(socketPath: string): Promise<string[][]> {
	return new Promise((resolve) => {
		const socket = createConnection(socketPath);
		let text = '';
		socket.once('error', () => resolve([]));
		socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
		socket.on('end', () =>
			resolve(
				text
					.split('\n')
					.filter((line) => line.startsWith('journey_sync,app'))
					.map((line) => line.split(','))
			)
		);
		socket.write('show stat\n');
	});
}

/** `show stat` columns: 4 current sessions, 17 status. */
const STAT_CURRENT_SESSIONS = 4;
const STAT_STATUS = 17;

interface ProductProcess {
	pid: number;
	port: number;
	quota: CpuQuota;
	cpuSeconds(): number;
	rss(): number;
	stop(): Promise<void>;
}

interface Cluster {
	store: Store;
	processes: ProductProcess[];
	redis: RedisEngine | null;
	/** Sync sockets HAProxy holds open to each process now. */
	syncSockets(): Promise<number[]>;
	createRooms(count: number): Promise<LoadRoom[]>;
	stop(): Promise<void>;
}

/** Whether the product, started with `DATABASE_URL`, made its tables in PostgreSQL (a build that reads it). */
async function usesPostgres(engine: PostgresEngine): Promise<boolean> {
	const client = new pg.Client({ connectionString: engine.url });
	await client.connect();
	try {
		const { rows } = await client.query<{ found: string | null }>("SELECT to_regclass('public.boards')::text AS found");
		return rows[0]?.found !== null && rows[0]?.found !== undefined;
	} finally {
		await client.end();
	}
}

async function startCluster(count: number, store: Store, log: (message: string) => void): Promise<Cluster> {
	const appDir = await copyOfApp();
	const stops: (() => Promise<void>)[] = [];
	const stopAll = async () => {
		for (const stop of stops.reverse()) await stop().catch((error: unknown) => log(`stopping: ${(error as Error).message}`));
	};
	try {
		let database: PostgresEngine | null = null;
		let redis: RedisEngine | null = null;
		const sharedDir = await mkdtemp(join(tmpdir(), 'journey-bench-scale-'));
		stops.push(() => rm(sharedDir, { recursive: true, force: true }));
		if (store === 'postgres') {
			database = await startPostgres();
			stops.push(() => database!.stop());
			redis = await startRedis();
			stops.push(() => redis!.stop());
		}
		const processes: ProductProcess[] = [];
		// One after the other, so the first applies the migrations alone.
		for (let index = 0; index < count; index++) {
			const env: Record<string, string> = {
				...LOAD_BUDGETS,
				PORT: '0',
				HOST: '127.0.0.1',
				// SQLite: one shared file; PostgreSQL: a directory of its own for what stays local.
				DATA_DIR: store === 'sqlite' ? sharedDir : join(sharedDir, `process-${index + 1}`),
				...(database ? { DATABASE_URL: database.url } : {}),
				...(redis ? { REDIS_URL: redis.url } : {})
			};
			const { child, port, inspector } = await launch(['build/app-server.js'], appDir, env, /listening on http:\/\/127\.0\.0\.1:(\d+)/);
			const probes = processProbes(
				() => child.pid!,
				() => inspector
			);
			let quota: CpuQuota | null = null;
			const stop = async () => {
				await stopChild(child, 'SIGTERM');
				quota?.remove();
			};
			stops.push(stop);
			quota = limitCpu(child.pid!, CPU_CORES_PER_PROCESS, `app${index + 1}`);
			processes.push({ pid: child.pid!, port, quota, cpuSeconds: probes.cpuSeconds, rss: probes.rss, stop });
			if (index === 0 && database && !(await usesPostgres(database)))
				throw new Error('this build does not store in PostgreSQL when DATABASE_URL is set (run with BENCH_SCALE_STORE=sqlite)');
		}
		let adminSocket = '';
		const proxy: Engine = await startHaproxy((port) =>
			deployHaproxyConfig(
				port,
				processes.map((member) => member.port)
			).replace(/^global\n/m, () => {
				adminSocket = join(tmpdir(), `journey-bench-haproxy-${process.pid}-${port}.sock`);
				return `global\n\tmaxconn ${proxyMaxConnections()}\n\tstats socket ${adminSocket} mode 600 level admin\n`;
			})
		);
		stops.push(async () => {
			await proxy.stop();
			await rm(adminSocket, { force: true });
		});
		const until = Date.now() + PROXY_READY_MS;
		const serversUp = async () => (await proxySyncRows(adminSocket)).filter((row) => row[STAT_STATUS]?.startsWith('UP')).length === count;
		while (!(await serversUp())) {
			if (Date.now() > until) throw new Error(`HAProxy did not see ${count} processes up:\n${proxy.log()}`);
			await sleep(200);
		}
		const base = `http://127.0.0.1:${proxy.port}`;
		const cookie = await signUp(base);
		const journey = generateJourney(TOUCHPOINTS);
		return {
			store,
			processes,
			redis,
			syncSockets: async () => (await proxySyncRows(adminSocket)).map((row) => Number(row[STAT_CURRENT_SESSIONS])),
			async createRooms(rooms) {
				const ids = await createBoards(base, cookie, journey, rooms);
				return ids.map((id) => ({
					address: { url: `ws://127.0.0.1:${proxy.port}/sync/${id}`, dialect: 'y-websocket', docName: id, headers: { cookie } },
					touchpoints: TOUCHPOINTS
				}));
			},
			stop: stopAll
		};
	} catch (error) {
		await stopAll();
		throw error;
	}
}

// ---------------------------------------------------------------------------------------------
// The load generators

interface Generator {
	child: ChildProcess;
	send(command: ScaleCommand): void;
	next<T>(type: string): Promise<T>;
}

function startGenerator(): Generator {
	const child = fork(join(BENCH_DIR, 'scale-worker.js'), [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	const waiting: { type: string; resolve: (value: never) => void; reject: (error: Error) => void }[] = [];
	child.on('message', (message: { type: string; message?: string }) => {
		if (message.type === 'error') {
			for (const waiter of waiting.splice(0)) waiter.reject(new Error(`scale generator: ${message.message}`));
			return;
		}
		const index = waiting.findIndex((waiter) => waiter.type === message.type);
		if (index >= 0) waiting.splice(index, 1)[0].resolve(message as never);
	});
	child.once('exit', (code) => {
		for (const waiter of waiting.splice(0)) waiter.reject(new Error(`scale generator exited with ${code}`));
	});
	return {
		child,
		send: (command) => child.send(command),
		next: <T>(type: string) =>
			new Promise<T>((resolve, reject) => waiting.push({ type, resolve: resolve as (value: never) => void, reject }))
	};
}

function concat(arrays: Float64Array[]): Float64Array {
	const all = new Float64Array(arrays.reduce((sum, array) => sum + array.length, 0));
	let offset = 0;
	for (const array of arrays) {
		all.set(array, offset);
		offset += array.length;
	}
	return all;
}

// ---------------------------------------------------------------------------------------------
// The ramp

async function ramp(processes: number, store: Store, step: ScaleStep, log: (message: string) => void): Promise<ScaleRun> {
	const cluster = await startCluster(processes, store, log);
	const generators = Array.from({ length: GENERATORS }, startGenerator);
	/** Measures one window at the current size, logs it, and returns its figures. */
	const measureStep = async (boards: number, clients: number): Promise<ScaleStepFigures> => {
		const windowStart = generators[0].next('window');
		const windowEnd = windowStart.then(() => generators[0].next('window'));
		const measured = generators.map((generator) => {
			generator.send({ type: 'measure', ...step });
			return generator.next<{ result: ScaleResult }>('measured');
		});
		await windowStart;
		const cpuBefore = cluster.processes.map((member) => member.cpuSeconds());
		const throttleBefore = cluster.processes.map((member) => member.quota.throttling());
		const redisBefore = cluster.redis ? await redisCounts(cluster.redis.port) : null;
		const startedAt = performance.now();
		await windowEnd;
		const seconds = (performance.now() - startedAt) / 1000;
		const cpuUsed = cluster.processes.map((member, index) => member.cpuSeconds() - cpuBefore[index]);
		const cpuSeconds = cpuUsed.reduce((sum, used) => sum + used, 0);
		const rss = cluster.processes.map((member) => member.rss());
		const throttledShare = Math.max(
			...cluster.processes.map((member, index) => {
				const now = member.quota.throttling();
				const periods = now.periods - throttleBefore[index].periods;
				return periods > 0 ? (now.throttled - throttleBefore[index].throttled) / periods : 0;
			})
		);
		const redisAfter = cluster.redis ? await redisCounts(cluster.redis.port) : null;
		const sockets = await cluster.syncSockets();
		const results = (await Promise.all(measured)).map(({ result }) => result);
		const deliveries = concat(results.map((result) => result.deliveries));
		const completions = concat(results.map((result) => result.completions));
		const figures: ScaleStepFigures = {
			boards,
			clients,
			writes: results.reduce((sum, result) => sum + result.writes, 0),
			lost: results.reduce((sum, result) => sum + result.lost, 0),
			closed: results.reduce((sum, result) => sum + result.closed, 0),
			deliveryP50: percentile(deliveries, 50),
			deliveryP99: percentile(deliveries, 99),
			completeP99: percentile(completions, 99),
			generatorLagP99: Math.max(...results.map((result) => result.generatorLagP99)),
			cpuSeconds,
			sockets,
			cpuShares: cpuUsed.map((used) => (cpuSeconds > 0 ? used / cpuSeconds : 0)),
			rss,
			throttledShare,
			// The two INFO calls of each reading count as commands too.
			redisPublishPerSec: redisBefore && redisAfter ? (redisAfter.publish - redisBefore.publish) / seconds : Number.NaN,
			redisCommandsPerSec: redisBefore && redisAfter ? (redisAfter.commands - redisBefore.commands - 2) / seconds : Number.NaN,
			seconds
		};
		log(
			`scale ${processes} process${processes > 1 ? 'es' : ''} (${store}): ${boards} boards, ${clients} clients, ${figures.writes} writes, ` +
				`sender-to-peer p50 ${figures.deliveryP50.toFixed(1)} p99 ${figures.deliveryP99.toFixed(1)} ms, all-arrived p99 ${figures.completeP99.toFixed(1)} ms, ` +
				`lost ${figures.lost}, closed ${figures.closed}; CPU ${((figures.cpuSeconds / figures.writes) * 1000).toFixed(2)} s per 1,000 updates` +
				(figures.cpuShares.length > 1 ? ` (split ${figures.cpuShares.map((share) => `${(share * 100).toFixed(0)} %`).join(' / ')})` : '') +
				`, sockets ${sockets.join(' / ')}, ` +
				`throttled in ${(figures.throttledShare * 100).toFixed(0)} % of periods; RSS ${rss.map((bytes) => (bytes / 1024 / 1024).toFixed(0)).join(' + ')} MB` +
				(cluster.redis
					? `; Redis ${figures.redisPublishPerSec.toFixed(0)} published/s, ${figures.redisCommandsPerSec.toFixed(0)} commands/s`
					: '') +
				`; generator lag p99 ${figures.generatorLagP99.toFixed(1)} ms` +
				(figures.generatorLagP99 > GENERATOR_LAG_WARNING_MS
					? ' — the generator was late: more BENCH_SCALE_GENERATORS, or a quieter machine'
					: '')
		);
		const reasons = new Map<string, number>();
		for (const result of results)
			for (const [reason, count] of Object.entries(result.closeReasons)) reasons.set(reason, (reasons.get(reason) ?? 0) + count);
		if (reasons.size) log(`scale: sockets closed by ${[...reasons].map(([reason, count]) => `${reason} (${count})`).join(', ')}`);
		return figures;
	};
	const steps: ScaleStepFigures[] = [];
	let held: ScaleStepFigures | null = null;
	let boards = 0;
	try {
		for (let target = START_BOARDS; target <= MAX_BOARDS; target += STEP_BOARDS) {
			const rooms = await cluster.createRooms(target - boards);
			const grown = generators.map((generator, g) => {
				const mine = rooms.filter((_, index) => (boards + index) % GENERATORS === g);
				generator.send({ type: 'grow', rooms: mine, clientsPerRoom: CLIENTS_PER_BOARD, writersPerRoom: WRITERS_PER_BOARD });
				return generator.next<{ clients: number }>('grown');
			});
			let clients: number;
			try {
				clients = (await Promise.all(grown)).reduce((sum, { clients }) => sum + clients, 0);
			} catch (error) {
				// A client the proxy or a process refused, or that closed before it synced: this size does not hold.
				log(
					`scale ${processes} process${processes > 1 ? 'es' : ''}: growing to ${target} boards failed: ${(error as Error).message.split('\n')[0]}`
				);
				return { processes, store, steps, held, lowerBound: false };
			}
			boards = target;

			let figures = await measureStep(boards, clients);
			// A lone spike (a collection, the machine taking the core away) is not the size's limit: a
			// step over the latency limit, with nothing lost, is measured once more and fails only twice.
			if (figures.deliveryP99 > P99_LIMIT_MS && figures.lost === 0 && figures.closed === 0) {
				steps.push(figures);
				figures = await measureStep(boards, clients);
			}
			steps.push(figures);
			const holds = figures.deliveryP99 <= P99_LIMIT_MS && figures.lost === 0 && figures.closed === 0 && figures.writes > 0;
			if (!holds) return { processes, store, steps, held, lowerBound: false };
			held = figures;
		}
		return { processes, store, steps, held, lowerBound: true };
	} finally {
		for (const generator of generators) {
			if (generator.child.exitCode !== null || generator.child.signalCode !== null) continue;
			const exited = new Promise((resolve) => generator.child.once('exit', resolve));
			if (generator.child.connected) generator.send({ type: 'close' });
			else generator.child.kill('SIGKILL');
			await exited;
		}
		await cluster.stop();
	}
}

/** Which store to run on: PostgreSQL + Redis when the engines are here and the build reads DATABASE_URL. */
function wantedStore(): Store | 'auto' {
	const store = process.env.BENCH_SCALE_STORE ?? 'auto';
	if (store !== 'auto' && store !== 'postgres' && store !== 'sqlite')
		throw new Error(`BENCH_SCALE_STORE must be auto, postgres or sqlite, not "${store}"`);
	return store;
}

/** Why the scale benchmark cannot run here, or null. */
export function scaleUnavailable(): string | null {
	const quota = cpuQuotaUnavailable();
	if (quota) return quota;
	if (missingEngines('haproxy').length) return 'HAProxy is not installed';
	if (wantedStore() === 'postgres' && missingEngines('postgresql', 'redis').length)
		return `${missingEngines('postgresql', 'redis').join(' and ')} not installed`;
	return null;
}

/**
 * One process, then two (or BENCH_SCALE_PROCESSES), each ramped until it no longer holds; fills
 * `figures` with the clients held, CPU per 1,000 updates, RSS per process and Redis messages.
 */
export async function measureScale(figures: Figures, quick: boolean, log: (message: string) => void): Promise<ScaleRun[]> {
	removeStaleQuotas();
	const counts = (process.env.BENCH_SCALE_PROCESSES ?? '1,2').split(',').map((value) => {
		const count = Number(value);
		if (!Number.isInteger(count) || count < 1 || count > 3)
			throw new Error(`BENCH_SCALE_PROCESSES: 1 to 3 processes each (deploy/haproxy.cfg lists 3), not "${value}"`);
		return count;
	});
	const step: ScaleStep = { ratePerWriter: RATE_PER_WRITER, warmupMs: quick ? 1_000 : 3_000, durationMs: quick ? 3_000 : 10_000 };
	let store: Store = wantedStore() === 'sqlite' || missingEngines('postgresql', 'redis').length ? 'sqlite' : 'postgres';
	log(
		`scale: ${counts.map((count) => `${count} process${count > 1 ? 'es' : ''}`).join(' vs ')} at ${CPU_CORES_PER_PROCESS} core each behind HAProxy; boards of ${CLIENTS_PER_BOARD} clients ` +
			`(${WRITERS_PER_BOARD} writing ${RATE_PER_WRITER}/s each) from ${START_BOARDS}, ${STEP_BOARDS} more a step, until p99 > ${P99_LIMIT_MS} ms or a loss`
	);
	const runs: ScaleRun[] = [];
	for (const count of counts) {
		let run: ScaleRun;
		try {
			run = await ramp(count, store, step, log);
		} catch (error) {
			if (store !== 'postgres' || wantedStore() !== 'auto' || !/does not store in PostgreSQL/.test((error as Error).message)) throw error;
			log(
				'scale: this build does not store in PostgreSQL yet; running on one shared SQLite file (a check of the harness, not the cluster figure)'
			);
			store = 'sqlite';
			run = await ramp(count, store, step, log);
		}
		runs.push(run);
		const held = run.held;
		const key = `scale.${store}.${count}`;
		figures[`${key}.clients`] = held?.clients ?? 0;
		if (held) {
			figures[`${key}.cpuPer1000`] = (held.cpuSeconds / held.writes) * 1000;
			figures[`${key}.rssMB`] = Math.max(...held.rss) / 1024 / 1024;
			if (!Number.isNaN(held.redisPublishPerSec)) figures[`${key}.redisPerSec`] = held.redisPublishPerSec;
		}
		log(
			`scale ${count} process${count > 1 ? 'es' : ''}: ${held ? `held ${held.clients} clients (${held.boards} boards)` : 'the first step did not hold'}` +
				(run.lowerBound ? ` — still holding at BENCH_SCALE_MAX_BOARDS, a lower bound` : '')
		);
	}
	const one = runs.find((run) => run.processes === 1);
	const two = runs.find((run) => run.processes === 2);
	if (one?.held && two?.held) {
		// A run still holding at the largest size gives no ratio: raise BENCH_SCALE_MAX_BOARDS.
		if (one.lowerBound || two.lowerBound) log('scale: a run still held at BENCH_SCALE_MAX_BOARDS, so the ratio is not known');
		else figures[`scale.${store}.ratio`] = two.held.clients / one.held.clients;
	}
	return runs;
}
