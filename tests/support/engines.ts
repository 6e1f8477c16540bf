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
import { spawnSync } from 'node:child_process';
import { chownSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, makeDir, removeDir, requireBinary, runEngine, type Engine } from './engine-process';

export { findBinary, findPostgresTool, freePort, missingEngines, type Engine, type EngineName } from './engine-process';

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

/** The URL of `database` on a PostgreSQL server started here on `port` (trust authentication on loopback). */
export function postgresUrl(port: number, database: string): string {
	return `postgres://postgres@127.0.0.1:${port}/${database}`;
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
		removeDir(dir);
		throw new Error(`initdb failed:\n${init.stdout}${init.stderr}${init.error?.message ?? ''}`);
	}
	const port = await freePort();
	const urlOf = (database: string) => postgresUrl(port, database);
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
