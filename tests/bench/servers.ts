/**
 * The servers under test, each in its own process on a loopback port: this product's built server
 * (authentication and persistence on), `@y/websocket-server` 0.1.1 (the reference) and
 * `@hocuspocus/server` 3, both with their defaults (nothing stored), and the same two with their
 * own persistence on: the reference with its LevelDB store (`YPERSISTENCE`, y-leveldb 0.1.2) and
 * Hocuspocus with its SQLite extension, each in a temporary directory. One runs at a time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { Journey } from '../../src/lib/journey/schema';
import type { LoadRoom } from './load-worker';
import { journeyUpdate } from './workload';

export const ROOT = process.env.BENCH_ROOT ?? process.cwd();
/** Where the product's build/ and drizzle/ come from: this checkout, or another (to compare builds). */
const PRODUCT_DIR = process.env.BENCH_PRODUCT_DIR ?? ROOT;
export const SERVER_KINDS = ['product', 'reference', 'hocuspocus', 'reference-leveldb', 'hocuspocus-sqlite'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

export const SERVER_LABELS: Record<ServerKind, string> = {
	product: 'this product',
	reference: '@y/websocket-server 0.1.1',
	hocuspocus: '@hocuspocus/server 3',
	'reference-leveldb': '@y/websocket-server + LevelDB',
	'hocuspocus-sqlite': '@hocuspocus/server + SQLite'
};

/** The peers that store what they relay, as the product does (the fair comparison). */
export const PERSISTENT_PEERS: readonly ServerKind[] = ['reference-leveldb', 'hocuspocus-sqlite'];

/** How long a server may take to print its listening line. */
const START_TIMEOUT_MS = 30_000;
/** Boards created at once through the API. */
const CREATE_CONCURRENCY = 4;
const PASSWORD = 'benchmark password';
/** Linux reports CPU time in clock ticks of 1/100 s. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface BenchServer {
	readonly kind: ServerKind;
	readonly port: number;
	readonly pid: number;
	/** `http://localhost:<port>`, the product's origin. */
	readonly origin: string;
	readonly dataDir: string | null;
	/** The session cookie of the product's benchmark account. */
	readonly cookie: string;
	/** Resident set size in bytes. */
	rss(): number;
	/** Runs a full garbage collection in the server process. */
	collectGarbage(): Promise<void>;
	/** User + system CPU seconds used so far. */
	cpuSeconds(): number;
	/** Bytes the process caused to be written to storage (/proc/<pid>/io write_bytes). */
	writeBytes(): number;
	/** `count` rooms holding `journey`, ready for the load generator. */
	createRooms(count: number, journey: Journey, name: string): Promise<LoadRoom[]>;
	stop(): Promise<void>;
	kill9(): Promise<void>;
	/** Starts again on the same port and data (product only). */
	restart(): Promise<void>;
}

let appCopy: Promise<string> | null = null;

/**
 * A private copy of build/, drizzle/ and drizzle-pg/ with a link to node_modules, so a `npm run build` running
 * meanwhile cannot swap the server out mid-run.
 */
export function copyOfApp(): Promise<string> {
	appCopy ??= (async () => {
		if (!existsSync(join(PRODUCT_DIR, 'build/app-server.js')))
			throw new Error(`${PRODUCT_DIR}/build/app-server.js is missing: run \`npm run build\``);
		const dir = await mkdtemp(join(tmpdir(), 'journey-bench-app-'));
		await cp(join(PRODUCT_DIR, 'build'), join(dir, 'build'), { recursive: true });
		await cp(join(PRODUCT_DIR, 'drizzle'), join(dir, 'drizzle'), { recursive: true });
		// PostgreSQL's migrations, for the scale benchmark's processes started with DATABASE_URL.
		if (existsSync(join(PRODUCT_DIR, 'drizzle-pg')))
			await cp(join(PRODUCT_DIR, 'drizzle-pg'), join(dir, 'drizzle-pg'), { recursive: true });
		await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
		await writeFile(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
		return dir;
	})();
	return appCopy;
}

/** Removes the private app copy (end of the run). */
export async function removeAppCopy(): Promise<void> {
	if (!appCopy) return;
	const dir = await appCopy;
	appCopy = null;
	await rm(dir, { recursive: true, force: true });
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => resolve(port));
		});
	});
}

export interface Launched {
	child: ChildProcess;
	port: number;
	/** The process's inspector WebSocket URL. */
	inspector: string;
}

export function launch(command: string[], cwd: string, env: Record<string, string>, listening: RegExp): Promise<Launched> {
	const {
		ORIGIN: _o,
		PORT: _p,
		HOST: _h,
		DATA_DIR: _d,
		YPERSISTENCE: _y,
		HOCUSPOCUS_SQLITE: _s,
		DATABASE_URL: _db,
		REDIS_URL: _r,
		...inherited
	} = process.env;
	// The inspector (loopback, any port) lets the suite run a full GC before reading memory.
	const nodeArgs = ['--inspect=127.0.0.1:0', ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [])];
	const child = spawn(process.execPath, [...nodeArgs, ...command], {
		cwd,
		env: { ...inherited, ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let log = '';
	let started = false;
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), START_TIMEOUT_MS);
		const onData = (chunk: Buffer) => {
			if (started) return;
			log += chunk;
			const match = listening.exec(log);
			const inspector = /Debugger listening on (ws:\/\/\S+)/.exec(log);
			if (!match || !inspector) return;
			started = true;
			clearTimeout(timer);
			resolve({ child, port: Number(match[1] ?? env.PORT), inspector: inspector[1] });
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', (chunk) => {
			onData(chunk);
			if (started && /Error/.test(String(chunk))) process.stderr.write(`[${command.at(-1)}] ${chunk}`);
		});
		child.once('exit', (code, signal) => {
			clearTimeout(timer);
			reject(new Error(`server exited during start-up (${signal ?? code}):\n${log}`));
		});
	});
}

export function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		child.once('exit', () => resolve());
		child.kill(signal);
	});
}

function procFile(pid: number, name: string): string {
	return readFileSync(`/proc/${pid}/${name}`, 'utf8');
}

/** A full garbage collection in the server, through its inspector (HeapProfiler.collectGarbage). */
async function collectGarbage(inspectorUrl: string): Promise<void> {
	const socket = new WebSocket(inspectorUrl);
	await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
	for (let id = 1; id <= 2; id++) {
		socket.send(JSON.stringify({ id, method: 'HeapProfiler.collectGarbage' }));
		await new Promise<void>((resolve) => {
			const onMessage = (data: Buffer) => {
				if ((JSON.parse(String(data)) as { id?: number }).id !== id) return;
				socket.off('message', onMessage);
				resolve();
			};
			socket.on('message', onMessage);
		});
	}
	socket.close();
}

export function processProbes(pid: () => number, inspector: () => string) {
	return {
		collectGarbage: () => collectGarbage(inspector()),
		rss: () => Number(/VmRSS:\s+(\d+) kB/.exec(procFile(pid(), 'status'))![1]) * 1024,
		cpuSeconds: () => {
			// Fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15.
			const stat = procFile(pid(), 'stat');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
		},
		writeBytes: () => Number(/write_bytes:\s+(\d+)/.exec(procFile(pid(), 'io'))![1])
	};
}

/** Starts one server of `kind` on a free loopback port. */
export async function startServer(kind: ServerKind): Promise<BenchServer> {
	if (kind === 'product') return startProduct();
	const port = await freePort();
	const dialect = kind === 'reference' || kind === 'reference-leveldb' ? 'y-websocket' : 'hocuspocus';
	const dataDir = PERSISTENT_PEERS.includes(kind) ? await mkdtemp(join(tmpdir(), `journey-bench-${kind}-`)) : null;
	const launched =
		dialect === 'y-websocket'
			? launch(
					[join(ROOT, 'node_modules/@y/websocket-server/src/server.js')],
					ROOT,
					{ HOST: '127.0.0.1', PORT: String(port), ...(dataDir ? { YPERSISTENCE: join(dataDir, 'leveldb') } : {}) },
					/running at '127\.0\.0\.1' on port (\d+)/
				)
			: launch(
					[join(ROOT, 'tests/bench/hocuspocus-server.mjs')],
					ROOT,
					{ PORT: String(port), ...(dataDir ? { HOCUSPOCUS_SQLITE: join(dataDir, 'documents.sqlite') } : {}) },
					/listening on http:\/\/127\.0\.0\.1:(\d+)/
				);
	const { child, inspector } = await launched.catch(async (error: unknown) => {
		if (dataDir) await rm(dataDir, { recursive: true, force: true });
		throw error;
	});
	const seeds = new Map<Journey, Uint8Array>();
	return {
		kind,
		port,
		pid: child.pid!,
		origin: `http://localhost:${port}`,
		dataDir,
		cookie: '',
		...processProbes(
			() => child.pid!,
			() => inspector
		),
		async createRooms(count, journey, name) {
			let seed = seeds.get(journey);
			if (!seed) seeds.set(journey, (seed = journeyUpdate(journey)));
			return Array.from({ length: count }, (_, index) => {
				const docName = `${name}-${index}`;
				return {
					address: {
						url: dialect === 'y-websocket' ? `ws://127.0.0.1:${port}/${docName}` : `ws://127.0.0.1:${port}/`,
						dialect,
						docName,
						headers: {}
					},
					touchpoints: journey.touchpoints.length,
					seed
				} satisfies LoadRoom;
			});
		},
		async stop() {
			await stopChild(child, 'SIGTERM');
			if (dataDir) await rm(dataDir, { recursive: true, force: true });
		},
		kill9: () => stopChild(child, 'SIGKILL'),
		restart: () => Promise.reject(new Error(`${kind} is not restarted by the benchmark`))
	};
}

/**
 * The benchmarks' clients are all one account from one address, thousands of them on a board: the
 * socket budgets per person, per address, per board and per process are lifted.
 */
export const LOAD_BUDGETS = {
	SYNC_MAX_SOCKETS_PER_USER_BOARD: '100000',
	SYNC_MAX_SOCKETS_PER_USER: '100000',
	SYNC_MAX_SOCKETS_PER_ADDRESS: '1000000',
	SYNC_MAX_SOCKETS_PER_BOARD: '1000000',
	SYNC_MAX_SOCKETS: '1000000'
};

/** Signs the benchmark's account up on the product at `base` (`http://127.0.0.1:<port>`); returns its session cookie. */
export async function signUp(base: string): Promise<string> {
	const signup = await fetch(`${base}/api/auth/signup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email: `bench-${process.pid}@example.test`, password: PASSWORD, name: 'Benchmark' })
	});
	if (signup.status !== 201) throw new Error(`signup failed: ${signup.status} ${await signup.text()}`);
	const cookie = signup.headers
		.getSetCookie()
		.map((header) => header.split(';')[0])
		.find((pair) => pair.startsWith('session='));
	if (!cookie) throw new Error('signup set no session cookie');
	return cookie;
}

/** Creates `count` boards holding `journey` through the product's API, a few at a time; returns their ids. */
export async function createBoards(base: string, cookie: string, journey: Journey, count: number): Promise<string[]> {
	const ids: string[] = new Array(count);
	let next = 0;
	const lane = async () => {
		while (next < count) {
			const index = next++;
			const response = await fetch(`${base}/api/boards`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', cookie },
				body: JSON.stringify({ title: journey.title, journey })
			});
			if (response.status !== 201) throw new Error(`create board failed: ${response.status} ${await response.text()}`);
			ids[index] = ((await response.json()) as { id: string }).id;
		}
	};
	await Promise.all(Array.from({ length: Math.min(CREATE_CONCURRENCY, count) }, lane));
	return ids;
}

async function startProduct(): Promise<BenchServer> {
	const appDir = await copyOfApp();
	const dataDir = await mkdtemp(join(tmpdir(), 'journey-bench-data-'));
	const listening = /listening on http:\/\/127\.0\.0\.1:(\d+)/;
	let { child, port, inspector } = await launch(
		['build/app-server.js'],
		appDir,
		{ ...LOAD_BUDGETS, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir },
		listening
	);
	const base = () => `http://127.0.0.1:${port}`;

	const cookie = await signUp(base());

	const server: BenchServer = {
		kind: 'product',
		get port() {
			return port;
		},
		get pid() {
			return child.pid!;
		},
		get origin() {
			return `http://localhost:${port}`;
		},
		dataDir,
		cookie,
		...processProbes(
			() => child.pid!,
			() => inspector
		),
		async createRooms(count, journey) {
			const ids = await createBoards(base(), cookie, journey, count);
			return ids.map((id) => ({
				address: { url: `ws://127.0.0.1:${port}/sync/${id}`, dialect: 'y-websocket', docName: id, headers: { cookie: cookie! } },
				touchpoints: journey.touchpoints.length
			}));
		},
		async stop() {
			await stopChild(child, 'SIGTERM');
		},
		async kill9() {
			await stopChild(child, 'SIGKILL');
		},
		async restart() {
			await stopChild(child, 'SIGTERM');
			({ child, port, inspector } = await launch(
				['build/app-server.js'],
				appDir,
				{ ...LOAD_BUDGETS, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir },
				listening
			));
		}
	};
	const stop = server.stop;
	server.stop = async () => {
		await stop();
		await rm(dataDir, { recursive: true, force: true });
	};
	return server;
}
