/**
 * The process side of the engines the tests start (./engines.ts): finding binaries, free ports,
 * starting a process and waiting until it answers, stopping it by its PID, and making sure
 * nothing outlives the test process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

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

/** The path of an engine's binary; throws, naming the packages to install, when it is missing. */
export function requireBinary(name: string): string {
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

/** How to run one engine process and tell when it answers. */
export interface ProcessSpec {
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
export async function runEngine(name: string, dir: string, port: number, spec: ProcessSpec): Promise<Engine> {
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

/** A new temporary directory for an engine, removed with it (or by `removeDir`). */
export function makeDir(prefix: string): string {
	const dir = mkdtempSync(join(tmpdir(), `journey-${prefix}-`));
	directories.add(dir);
	return dir;
}

/** Removes an engine's directory now (an engine that failed before it ran). */
export function removeDir(dir: string): void {
	rmSync(dir, { recursive: true, force: true });
	directories.delete(dir);
}
