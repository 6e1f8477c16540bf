/**
 * Real engines for the suites: PostgreSQL, Redis and HAProxy, each started on loopback in its own
 * temporary directory, waited for until it answers, and stopped by its PID (the directory removed
 * with it). An engine a test forgot is killed when the test process exits, and a watchdog kills
 * it (and removes its directory) when the test process is killed.
 *
 *   const pg = await startPostgres();      // pg.url: postgres://postgres@127.0.0.1:PORT/journey
 *   const redis = await startRedis();      // redis.url: redis://127.0.0.1:PORT
 *   const proxy = await startHaproxy((port) => configText);
 *   ...
 *   await pg.stop();
 *
 * Binaries are looked up on PATH, then where Debian installs them (`/usr/lib/postgresql/<version>/bin`,
 * `/usr/sbin`); `missingEngines()` names those absent so a suite can skip with a clear message.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, chownSync, constants, existsSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import pg from 'pg';

export type EngineName = 'postgresql' | 'redis' | 'haproxy';

const BINARIES: Record<EngineName, string[]> = {
	postgresql: ['initdb', 'postgres'],
	redis: ['redis-server'],
	haproxy: ['haproxy']
};

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

function executable(path: string): boolean {
	try {
		accessSync(path, constants.X_OK);
		return true;
	} catch {
		return false;
	}
}

/** Debian's PostgreSQL binary folders, newest version first. */
function postgresDirs(): string[] {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return [];
	return readdirSync(root)
		.filter((name) => /^\d+$/.test(name))
		.sort((a, b) => Number(b) - Number(a))
		.map((version) => join(root, version, 'bin'));
}

/** The path of an engine's binary, or null when it is not installed. */
export function findBinary(name: string): string | null {
	const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...postgresDirs(), '/usr/local/sbin', '/usr/sbin', '/sbin'];
	for (const dir of dirs) {
		const path = join(dir, name);
		if (executable(path)) return path;
	}
	return null;
}

/**
 * A PostgreSQL client tool (`pg_dump`, `pg_restore`, `psql`) of the same version as the server
 * `startPostgres` runs: from the server's own folder first, then as `findBinary` finds it.
 */
export function findPostgresTool(name: string): string | null {
	const server = findBinary('postgres');
	if (server) {
		const path = join(dirname(realpathSync(server)), name);
		if (executable(path)) return path;
	}
	return findBinary(name);
}

/** The engines among `names` whose binaries are missing, e.g. to `describe.skipIf(...)` with a message. */
export function missingEngines(...names: EngineName[]): EngineName[] {
	return names.filter((name) => BINARIES[name].some((binary) => !findBinary(binary)));
}

function requireBinary(name: string): string {
	const path = findBinary(name);
	if (!path) throw new Error(`${name} is not installed (apt-get install postgresql redis-server haproxy)`);
	return path;
}

/** A TCP port free on loopback now (the engine binds it right after). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/** A running engine process and its temporary directory. */
export interface Engine {
	/** The port it serves on 127.0.0.1. */
	port: number;
	/** Its temporary directory (data, configuration, log). */
	dir: string;
	/** The PID of the running process (changes with `restart`). */
	readonly pid: number;
	/** What it wrote to stdout and stderr so far. */
	log(): string;
	/** Kills it with SIGKILL, as a crash would (the directory stays; `start` or `stop` after). */
	crash(): Promise<void>;
	/** Stops it (its own clean shutdown signal, SIGKILL after 10 s), keeping its directory. */
	halt(): Promise<void>;
	/** Starts it again on the same port with the same data, once halted or crashed. */
	start(): Promise<void>;
	/** Halts it and starts it again. */
	restart(): Promise<void>;
	/** Stops it and removes its directory. Safe to call twice. */
	stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
const directories = new Set<string>();

// A backstop for engines whose test never stopped them: nothing outlives the test process.
process.once('exit', () => {
	for (const child of running) {
		try {
			if (child.pid) process.kill(child.pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
	for (const dir of directories) rmSync(dir, { recursive: true, force: true });
});

/**
 * A shell that waits for the test process to end and then kills the engine by its PID and
 * removes its directory: the test process may be killed (a worker torn down, a timeout) without
 * running its exit handlers. It is stopped with the engine.
 */
function startWatchdog(engine: ChildProcess, dir: string): ChildProcess | null {
	if (!engine.pid) return null;
	const script = 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; kill -9 "$2" 2>/dev/null; sleep 1; rm -rf "$3"';
	const watchdog = spawn('sh', ['-c', script, 'engine-watchdog', String(process.pid), String(engine.pid), dir], {
		detached: true,
		stdio: 'ignore'
	});
	watchdog.on('error', () => {});
	watchdog.unref();
	return watchdog;
}

function stopWatchdog(watchdog: ChildProcess | null): void {
	if (!watchdog?.pid) return;
	try {
		// Its own process group (detached): the shell and the `sleep` it may be in.
		process.kill(-watchdog.pid, 'SIGKILL');
	} catch {
		// already gone
	}
}

interface ProcessSpec {
	command: string;
	args: string[];
	/** Run as this user (uid, gid) when the tests run as root and the engine refuses root. */
	user?: { uid: number; gid: number };
	/** The signal that asks for a clean, fast shutdown. */
	stopSignal: NodeJS.Signals;
	/** Resolves once the engine answers; called again until it does or the time is up. */
	ready: () => Promise<boolean>;
}

function exited(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
	const gone = exited(child);
	try {
		process.kill(child.pid, signal);
	} catch {
		// already gone
	}
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), STOP_TIMEOUT_MS)));
	if ((await Promise.race([gone, late])) === 'late') {
		try {
			process.kill(child.pid, 'SIGKILL');
		} catch {
			// already gone
		}
		await gone;
	}
	clearTimeout(timer);
}

function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Starts and supervises one engine process in `dir`, answering on `port`. */
async function runEngine(name: string, dir: string, port: number, spec: ProcessSpec): Promise<Engine> {
	let child: ChildProcess | null = null;
	let output = '';
	let removed = false;

	async function start(): Promise<void> {
		if (child && child.exitCode === null && child.signalCode === null) throw new Error(`${name} is already running`);
		const started = spawn(spec.command, spec.args, {
			cwd: dir,
			stdio: ['ignore', 'pipe', 'pipe'],
			...(spec.user ? { uid: spec.user.uid, gid: spec.user.gid } : {})
		});
		child = started;
		running.add(started);
		const watchdog = startWatchdog(started, dir);
		started.once('exit', () => {
			running.delete(started);
			stopWatchdog(watchdog);
		});
		started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		let spawnFailure: Error | null = null;
		started.on('error', (error) => (spawnFailure ??= error));
		const deadline = Date.now() + READY_TIMEOUT_MS;
		for (;;) {
			if (started.exitCode !== null || started.signalCode !== null) {
				throw new Error(`${name} exited before it was ready (${started.exitCode ?? started.signalCode}):\n${output}`);
			}
			if (spawnFailure) throw new Error(`${name} could not be started: ${(spawnFailure as Error).message}`);
			if (await spec.ready().catch(() => false)) return;
			if (Date.now() > deadline) {
				await kill(started, 'SIGKILL');
				throw new Error(`${name} did not answer on port ${port} within ${READY_TIMEOUT_MS / 1000} s:\n${output}`);
			}
			await delay(100);
		}
	}

	async function halt(): Promise<void> {
		if (child) await kill(child, spec.stopSignal);
	}

	const engine: Engine = {
		port,
		dir,
		get pid() {
			return child?.pid ?? 0;
		},
		log: () => output,
		crash: async () => {
			if (child) await kill(child, 'SIGKILL');
		},
		halt,
		start,
		restart: async () => {
			await halt();
			await start();
		},
		stop: async () => {
			await halt();
			if (!removed) {
				removed = true;
				rmSync(dir, { recursive: true, force: true });
				directories.delete(dir);
			}
		}
	};
	try {
		await start();
	} catch (error) {
		await engine.stop();
		throw error;
	}
	return engine;
}

function makeDir(prefix: string): string {
	const dir = mkdtempSync(join(tmpdir(), `journey-${prefix}-`));
	directories.add(dir);
	return dir;
}

/** The `postgres` account's ids when running as root (PostgreSQL refuses to run as root). */
function postgresUser(): { uid: number; gid: number } | undefined {
	if (process.getuid?.() !== 0) return undefined;
	const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
	const uid = id('-u');
	const gid = id('-g');
	if (uid.status !== 0 || gid.status !== 0) throw new Error('running as root, and there is no postgres user to run PostgreSQL as');
	return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** A PostgreSQL server with an empty database `journey`. */
export interface PostgresEngine extends Engine {
	/** `postgres://postgres@127.0.0.1:PORT/journey` (trust authentication on loopback). */
	url: string;
	/** The URL of another database on the same server. */
	urlOf(database: string): string;
}

/**
 * Starts PostgreSQL: `initdb` into a temporary directory (as the `postgres` user when the tests
 * run as root), `postgres` listening on 127.0.0.1 only, and an empty database `journey`.
 * Durability settings are PostgreSQL's own, except that files are not flushed to the disk
 * (`fsync=off`): a killed server loses nothing it committed, only a power cut would.
 */
export async function startPostgres(): Promise<PostgresEngine> {
	const initdb = requireBinary('initdb');
	const postgres = requireBinary('postgres');
	const user = postgresUser();
	const dir = makeDir('postgres');
	if (user) chownSync(dir, user.uid, user.gid);
	const data = join(dir, 'data');
	const init = spawnSync(
		initdb,
		['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'],
		{
			encoding: 'utf8',
			...(user ? { uid: user.uid, gid: user.gid } : {})
		}
	);
	if (init.status !== 0) {
		rmSync(dir, { recursive: true, force: true });
		directories.delete(dir);
		throw new Error(`initdb failed:\n${init.stdout}${init.stderr}${init.error?.message ?? ''}`);
	}
	const port = await freePort();
	const urlOf = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
	const ready = async () => {
		const client = new pg.Client({ connectionString: urlOf('postgres'), connectionTimeoutMillis: 1000 });
		client.on('error', () => {});
		try {
			await client.connect();
			await client.query('SELECT 1');
			return true;
		} finally {
			await client.end().catch(() => {});
		}
	};
	const engine = await runEngine('PostgreSQL', dir, port, {
		command: postgres,
		args: ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`, '-c', 'fsync=off'],
		user,
		// Fast shutdown: rolls back open transactions, writes a checkpoint, exits.
		stopSignal: 'SIGINT',
		ready
	});
	const admin = new pg.Client({ connectionString: urlOf('postgres') });
	try {
		await admin.connect();
		await admin.query('CREATE DATABASE journey');
	} catch (error) {
		await engine.stop();
		throw error;
	} finally {
		await admin.end().catch(() => {});
	}
	return Object.assign(engine, { url: urlOf('journey'), urlOf });
}

/**
 * Sends one Redis command (RESP) to 127.0.0.1:`port` and resolves with the reply's first line,
 * e.g. `+PONG`, `$5` then the value for a bulk string: enough to check an engine, not a client.
 */
export function redisCommand(port: number, ...args: string[]): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = createConnection({ host: '127.0.0.1', port });
		let reply = '';
		socket.setTimeout(2000, () => socket.destroy(new Error('Redis did not answer')));
		socket.once('error', reject);
		socket.on('data', (chunk) => {
			reply += chunk.toString();
			const lines = reply.split('\r\n');
			if (lines.length < 2) return;
			// A bulk string: `$<length>` then the value on the next line (`$-1`: none).
			if (lines[0].startsWith('$') && lines[0] !== '$-1' && lines.length < 3) return;
			socket.end();
			resolve(lines[0].startsWith('$') && lines[0] !== '$-1' ? lines[1] : lines[0]);
		});
		socket.write(`*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`);
	});
}

/** A Redis server. */
export interface RedisEngine extends Engine {
	/** `redis://127.0.0.1:PORT` */
	url: string;
}

/** Starts Redis on 127.0.0.1 with nothing persisted (no RDB snapshots, no append-only file). */
export async function startRedis(): Promise<RedisEngine> {
	const redis = requireBinary('redis-server');
	const dir = makeDir('redis');
	const port = await freePort();
	const config = join(dir, 'redis.conf');
	writeFileSync(
		config,
		[
			`port ${port}`,
			'bind 127.0.0.1',
			'protected-mode yes',
			'save ""',
			'appendonly no',
			`dir ${dir}`,
			'daemonize no',
			'loglevel warning',
			''
		].join('\n')
	);
	const engine = await runEngine('Redis', dir, port, {
		command: redis,
		args: [config],
		stopSignal: 'SIGTERM',
		ready: async () => (await redisCommand(port, 'PING')) === '+PONG'
	});
	return Object.assign(engine, { url: `redis://127.0.0.1:${port}` });
}

/**
 * Starts HAProxy in the foreground with the configuration `render(port)` returns, `port` being
 * the free port its frontend must bind on 127.0.0.1; ready once that port accepts connections.
 */
export async function startHaproxy(render: (port: number) => string): Promise<Engine> {
	const haproxy = requireBinary('haproxy');
	const dir = makeDir('haproxy');
	const port = await freePort();
	const config = join(dir, 'haproxy.cfg');
	writeFileSync(config, render(port));
	return runEngine('HAProxy', dir, port, {
		command: haproxy,
		args: ['-db', '-f', config],
		// Hard stop: closes every connection at once, as a test wants.
		stopSignal: 'SIGTERM',
		ready: () =>
			new Promise((resolve) => {
				const socket = createConnection({ host: '127.0.0.1', port });
				socket.once('connect', () => {
					socket.destroy();
					resolve(true);
				});
				socket.once('error', () => resolve(false));
			})
	});
}

/** Checks a HAProxy configuration file with `haproxy -c`; resolves with its verdict and output. */
export function checkHaproxyConfig(path: string): { valid: boolean; output: string } {
	const result = spawnSync(requireBinary('haproxy'), ['-c', '-f', path], { encoding: 'utf8' });
	return { valid: result.status === 0, output: `${result.stdout}${result.stderr}` };
}
