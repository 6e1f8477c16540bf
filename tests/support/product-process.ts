/**
 * The built product (`build/app-server.js`) as a child process of a test: started on a loopback
 * port (0 picks one), stopped gracefully, killed with SIGKILL, restarted on the same port. Used by
 * the sync suite's `newServer()` and by the cluster suite (./cluster.ts). Everything started here
 * is torn down by `runCleanups()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const SERVER_ENTRY = 'build/app-server.js';
const LISTENING = /listening on http:\/\/127\.0\.0\.1:(\d+) \(origin (\S+),/;
/** How long a server may take to print its listening line (a cluster process also migrates PostgreSQL). */
const START_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------------------------------------
// Teardown

const cleanups: (() => Promise<void> | void)[] = [];

/** Registers a teardown step; `last` steps run after every other (e.g. removing the build copy). */
export function registerCleanup(step: () => Promise<void> | void, options: { last?: boolean } = {}): void {
	if (options.last) cleanups.unshift(step);
	else cleanups.push(step);
}

/** Runs every registered teardown step, newest first; a failing step is logged, the rest still run. */
export async function runCleanups(): Promise<void> {
	while (cleanups.length > 0) {
		const step = cleanups.pop()!;
		try {
			await step();
		} catch (error) {
			console.error('cleanup step failed', error);
		}
	}
}

// ---------------------------------------------------------------------------------------------
// The build

let buildCopy: Promise<string> | null = null;

/**
 * A private copy of build/, drizzle/ and drizzle-pg/ (with a link to node_modules), made once per
 * test file, so a `npm run build` running meanwhile cannot swap the server out mid-test, and a
 * restart runs the very same build as the start.
 */
export function copyOfBuild(): Promise<string> {
	buildCopy ??= (async () => {
		if (!existsSync(join(ROOT, SERVER_ENTRY))) {
			throw new Error(`${SERVER_ENTRY} is missing: run \`npm run build\` before the sync suite`);
		}
		const dir = await mkdtemp(join(tmpdir(), 'journey-sync-build-'));
		registerCleanup(
			async () => {
				buildCopy = null;
				await rm(dir, { recursive: true, force: true }); // does not follow the node_modules link
			},
			{ last: true }
		);
		await cp(join(ROOT, 'build'), join(dir, 'build'), { recursive: true });
		for (const migrations of ['drizzle', 'drizzle-pg']) {
			if (existsSync(join(ROOT, migrations))) await cp(join(ROOT, migrations), join(dir, migrations), { recursive: true });
		}
		await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
		await writeFile(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
		for (const file of [SERVER_ENTRY, 'build/handler.js']) {
			if (!existsSync(join(dir, file))) throw new Error(`${file} is missing: was a build running? Run \`npm run build\`.`);
		}
		return dir;
	})();
	return buildCopy;
}

/** The test process's environment without the server's own settings, which each test sets. */
function inheritedEnv(): NodeJS.ProcessEnv {
	const {
		ORIGIN: _origin,
		PORT: _port,
		HOST: _host,
		DATA_DIR: _dataDir,
		DATABASE_URL: _databaseUrl,
		REDIS_URL: _redisUrl,
		...rest
	} = process.env;
	return rest;
}

// ---------------------------------------------------------------------------------------------
// One process

/** One running (or stopped) product process. */
export interface ProductProcess {
	/** `http://127.0.0.1:<port>` */
	readonly url: string;
	/** `ws://127.0.0.1:<port>/sync`, the provider's server URL. */
	readonly syncUrl: string;
	readonly port: number;
	/** The origin the process printed (its `ORIGIN`, or `http://localhost:<port>`). */
	readonly origin: string;
	readonly dataDir: string;
	/** Its `DATABASE_URL`, or null when it keeps its data in SQLite in `dataDir`. */
	readonly databaseUrl: string | null;
	/** The current process's exit code once it has exited (null while running or when killed). */
	readonly exitCode: number | null;
	/** Whether the current process is running. */
	readonly running: boolean;
	/** The current process's id. */
	readonly pid: number | undefined;
	/** The ids of the processes serving (this one's while it runs), for reading each one's memory. */
	readonly pids: number[];
	/** Everything it has written to stderr since it was created, across restarts. */
	readonly stderr: string;
	/** Everything it has written to stdout and stderr, across restarts. */
	readonly log: string;
	/** Graceful stop: SIGTERM, then waits for the exit. */
	stop(): Promise<void>;
	/** Hard stop: SIGKILL, then waits for the exit. */
	kill9(): Promise<void>;
	/** Starts it again (after a stop or kill) on the same port, DATA_DIR and environment. */
	start(): Promise<void>;
	/** Graceful stop, then start. */
	restart(): Promise<void>;
}

/**
 * Starts the built product on 127.0.0.1 with `env` (over the test process's environment and the
 * suite's defaults) and a fresh temporary DATA_DIR; `port` 0 picks a free one, kept across restarts.
 */
export async function startProductProcess(env: Record<string, string> = {}, options: { port?: number } = {}): Promise<ProductProcess> {
	const appDir = await copyOfBuild();
	const dataDir = await mkdtemp(join(tmpdir(), 'journey-sync-data-'));
	let log = '';
	let stderr = '';
	let child: ChildProcess | null = null;
	let exited: Promise<void> = Promise.resolve();
	let exitCode: number | null = null;
	let port = options.port ?? 0;
	let origin = '';

	async function start(requestedPort: number): Promise<void> {
		const proc = spawn(process.execPath, [SERVER_ENTRY], {
			cwd: appDir, // migrations are read from ./drizzle and ./drizzle-pg
			env: { ...inheritedEnv(), ...env, PORT: String(requestedPort), HOST: '127.0.0.1', DATA_DIR: dataDir },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		child = proc;
		exitCode = null;
		exited = new Promise((resolveExit) => proc.once('exit', (code) => ((exitCode = code), resolveExit())));
		proc.stderr!.on('data', (chunk) => ((log += chunk), (stderr += chunk)));
		let stdout = '';
		await new Promise<void>((resolveStart, rejectStart) => {
			const timer = setTimeout(() => rejectStart(new Error(`server did not start:\n${log}`)), START_TIMEOUT_MS);
			proc.stdout!.on('data', (chunk) => {
				log += chunk;
				stdout += chunk;
				const match = LISTENING.exec(stdout);
				if (!match) return;
				clearTimeout(timer);
				port = Number(match[1]);
				origin = match[2];
				resolveStart();
			});
			// 'close' comes after the output is drained, so the message carries the server's last words.
			proc.once('close', (code, signalName) => {
				clearTimeout(timer);
				rejectStart(new Error(`server exited during start-up (${signalName ?? code}):\n${log}`));
			});
		});
	}

	function isRunning(): boolean {
		const proc = child as ChildProcess | null;
		return proc !== null && proc.exitCode === null && proc.signalCode === null;
	}

	async function signal(name: NodeJS.Signals): Promise<void> {
		const proc = child;
		if (!proc || !isRunning()) return;
		proc.kill(name);
		await exited;
	}

	registerCleanup(async () => {
		await signal('SIGKILL');
		await rm(dataDir, { recursive: true, force: true });
	});
	await start(port);
	return {
		get url() {
			return `http://127.0.0.1:${port}`;
		},
		get syncUrl() {
			return `ws://127.0.0.1:${port}/sync`;
		},
		get port() {
			return port;
		},
		get origin() {
			return origin;
		},
		dataDir,
		databaseUrl: env.DATABASE_URL ?? null,
		get exitCode() {
			return exitCode;
		},
		get running() {
			return isRunning();
		},
		get pid() {
			return (child as ChildProcess | null)?.pid;
		},
		get pids() {
			const pid = (child as ChildProcess | null)?.pid;
			return pid === undefined ? [] : [pid];
		},
		get stderr() {
			return stderr;
		},
		get log() {
			return log;
		},
		stop: () => signal('SIGTERM'),
		kill9: () => signal('SIGKILL'),
		async start() {
			if (isRunning()) throw new Error('the process is already running');
			log += '--- start ---\n';
			await start(port);
		},
		async restart() {
			await signal('SIGTERM');
			log += '--- restart ---\n';
			await start(port);
		}
	};
}
