/**
 * Several product processes on one PostgreSQL database and one Redis, as an operator runs them
 * (`DATABASE_URL`, `REDIS_URL`), for the cluster suite and the PostgreSQL run of the sync suite.
 *
 *   const cluster = await startCluster();            // 2 processes, a fresh database, its own Redis
 *   cluster.processes[0].kill9(); await cluster.processes[0].start();
 *   await cluster.redis.halt(); await cluster.redis.start();   // same port, same settings
 *   await clusterPostgres().then((pg) => pg.restart());
 *
 * PostgreSQL is started once per test file (initdb is the slow part), or once for the whole run
 * where a global setup started it (`sync-pg`: ./run-postgres.ts, handed over by `useRunPostgres`);
 * each cluster gets a fresh database of its own on it. Redis is started per cluster (it starts in
 * milliseconds), so rate-limit counts and messages of one cluster never reach another.
 * `stopClusterEngines()` stops the file's PostgreSQL, or drops the file's databases on the run's
 * (the suites' setup file calls it after each file); processes and Redis go with `runCleanups()`.
 */
import { randomBytes } from 'node:crypto';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { postgresUrl, startPostgres, startRedis, type PostgresEngine, type RedisEngine } from './engines';
import { registerCleanup, startProductProcess, type ProductProcess } from './product-process';

// ---------------------------------------------------------------------------------------------
// PostgreSQL, once per file or once per run

/** A PostgreSQL server a global setup started for the whole run (the `sync-pg` project). */
export interface RunPostgres {
	port: number;
	pid: number;
	dir: string;
}

let postgres: Promise<PostgresEngine> | null = null;
let runPostgres: RunPostgres | null = null;
/** The databases this file made, dropped after it when the server is the run's. */
const databases: string[] = [];

/** Has this file's clusters use the run's PostgreSQL server instead of starting one of their own. */
export function useRunPostgres(server: RunPostgres): void {
	runPostgres = server;
}

/**
 * The run's server as an engine a file may use but not stop: it serves the files after this one,
 * so halting or restarting it is refused (a test doing that belongs in the `cluster` suite).
 */
function engineOfRun({ port, pid, dir }: RunPostgres): PostgresEngine {
	const refuse = () =>
		Promise.reject(
			new Error('PostgreSQL is shared by every file of this run: a test that stops or restarts it belongs in the cluster suite')
		);
	return {
		port,
		pid,
		dir,
		url: postgresUrl(port, 'journey'),
		urlOf: (database) => postgresUrl(port, database),
		log: () => '',
		crash: refuse,
		halt: refuse,
		start: refuse,
		restart: refuse,
		stop: refuse
	};
}

/** The test file's PostgreSQL server: the run's, or one of the file's own started on first use. */
export function clusterPostgres(): Promise<PostgresEngine> {
	postgres ??= (runPostgres ? Promise.resolve(engineOfRun(runPostgres)) : startPostgres()).catch((error) => {
		postgres = null;
		throw error;
	});
	return postgres;
}

/** Runs `statements` in order on the `postgres` database of `engine`, on a connection of their own. */
async function administer(engine: PostgresEngine, statements: string[]): Promise<void> {
	const admin = new pg.Client({ connectionString: engine.urlOf('postgres') });
	admin.on('error', () => {});
	try {
		await admin.connect();
		for (const statement of statements) await admin.query(statement);
	} finally {
		await admin.end().catch(() => {});
	}
}

/**
 * After a file: stops its own PostgreSQL server (if one was started) and removes its directory,
 * or, on the run's server, drops the databases the file made (its processes are gone by then).
 */
export async function stopClusterEngines(): Promise<void> {
	const running = postgres;
	postgres = null;
	const engine = await running?.catch(() => null);
	const made = databases.splice(0);
	if (!engine) return;
	if (!runPostgres) await engine.stop();
	else
		await administer(
			engine,
			made.map((name) => `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
		);
}

/** A new, empty database on the file's PostgreSQL server; resolves with its URL. */
export async function freshDatabase(): Promise<string> {
	const engine = await clusterPostgres();
	// Unique across the files of a run sharing one server (a process id may come back).
	const name = `cluster_${process.pid}_${randomBytes(6).toString('hex')}`;
	databases.push(name);
	await administer(engine, [`CREATE DATABASE ${name}`]);
	return engine.urlOf(name);
}

/** PostgreSQL's 64-bit integers (counts, sequence numbers, times in ms) as JavaScript numbers. */
const INT8_OID = 20;
const numericTypes = {
	getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
		oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser
};

/** Runs one statement on `databaseUrl` on a connection of its own; 64-bit integers come back as numbers. */
export async function queryDatabase<Row = Record<string, unknown>>(
	databaseUrl: string,
	text: string,
	values: unknown[] = []
): Promise<{ rows: Row[]; rowCount: number }> {
	const client = new pg.Client({ connectionString: databaseUrl, types: numericTypes });
	client.on('error', () => {});
	try {
		await client.connect();
		const result = await client.query(text, values);
		return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
	} finally {
		await client.end().catch(() => {});
	}
}

// ---------------------------------------------------------------------------------------------
// A cluster

export interface Cluster {
	/** The cluster's own database on the file's PostgreSQL server. */
	readonly databaseUrl: string;
	/** The file's PostgreSQL server (the run's one in `sync-pg`, which refuses to be stopped). */
	readonly postgres: PostgresEngine;
	/** The cluster's own Redis (halt/start keep its port). */
	readonly redis: RedisEngine;
	readonly processes: ProductProcess[];
}

export interface ClusterOptions {
	/** How many product processes (2). */
	processes?: number;
	/** Environment of every process (e.g. `ORIGIN`, budgets). */
	env?: Record<string, string>;
	/** Ports for the processes, e.g. ones a proxy in front already lists; 0 or absent: any free one. */
	ports?: number[];
	/**
	 * Per process, a delay on every byte between it and Redis (0 or absent: none), as a loaded
	 * process or a slow link would have: what the others publish reaches it that much later.
	 */
	redisDelayMs?: number[];
}

/**
 * Starts `processes` product processes with `DATABASE_URL` (a fresh database) and `REDIS_URL`
 * (a Redis of their own).
 */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
	const count = options.processes ?? 2;
	const [engine, databaseUrl, redis] = await Promise.all([clusterPostgres(), freshDatabase(), startRedis()]);
	registerCleanup(() => redis.stop());
	const redisUrlOf = async (index: number) => {
		const delayMs = options.redisDelayMs?.[index] ?? 0;
		return delayMs > 0 ? `redis://127.0.0.1:${(await startRoundRobinProxy([redis.port], { delayMs })).port}` : redis.url;
	};
	// Started together: the migrations run under an advisory lock, so one applies them and the others wait.
	const processes = await Promise.all(
		Array.from({ length: count }, async (_, index) =>
			startProductProcess(
				{ ...options.env, DATABASE_URL: databaseUrl, REDIS_URL: await redisUrlOf(index) },
				{ port: options.ports?.[index] ?? 0 }
			)
		)
	);
	return { databaseUrl, postgres: engine, redis, processes };
}

// ---------------------------------------------------------------------------------------------
// A round-robin TCP proxy

/** Passes what `from` reads to `to`, each chunk `delayMs` late (timers of one delay fire in order). */
function forward(from: Socket, to: Socket, delayMs: number): void {
	if (delayMs <= 0) {
		from.pipe(to);
		return;
	}
	from.on('data', (chunk) => setTimeout(() => to.writable && to.write(chunk), delayMs));
	from.once('end', () => setTimeout(() => to.end(), delayMs));
}

export interface TcpProxy {
	readonly port: number;
	/** `http://127.0.0.1:<port>` */
	readonly url: string;
	/** `ws://127.0.0.1:<port>/sync` */
	readonly syncUrl: string;
	/** How many connections went to each target port so far. */
	readonly connections: Map<number, number>;
	/** Replaces the target ports (new connections only). */
	setTargets(ports: number[]): void;
	/** Cuts every open connection through the proxy (clients see their sockets drop). */
	dropConnections(): void;
	close(): Promise<void>;
}

/** How long the proxy tries one target before it gives up on it for this connection. */
const TARGET_CONNECT_TIMEOUT_MS = 2_000;

/**
 * A TCP proxy on 127.0.0.1 that sends each new connection to the next of its targets in turn, as
 * a load balancer without routing would; a target that refuses (down, restarting) is passed over
 * for the next one. Bytes are passed through untouched, so HTTP and WebSocket upgrades work as
 * they do on the process itself; with `delayMs`, each chunk `delayMs` late, in order, both ways.
 */
export async function startRoundRobinProxy(targets: number[] = [], { delayMs = 0 } = {}): Promise<TcpProxy> {
	let ports = [...targets];
	let next = 0;
	const open = new Set<Socket>();
	const connections = new Map<number, number>();

	function connectTo(client: Socket, tried: number): void {
		if (ports.length === 0 || tried >= ports.length) {
			client.destroy();
			return;
		}
		const port = ports[next++ % ports.length];
		const upstream = createConnection({ host: '127.0.0.1', port });
		let connected = false;
		upstream.setTimeout(TARGET_CONNECT_TIMEOUT_MS, () => upstream.destroy(new Error('connect timeout')));
		upstream.on('error', () => {
			// Refused before it connected: the next target; once connected, the client's connection ends with it.
			if (!connected) connectTo(client, tried + 1);
			else client.destroy();
		});
		upstream.once('connect', () => {
			connected = true;
			upstream.setTimeout(0);
			connections.set(port, (connections.get(port) ?? 0) + 1);
			open.add(upstream);
			upstream.once('close', () => open.delete(upstream));
			// One side closing ends the other once what it sent is written (a WebSocket's close frame
			// must arrive); an error cuts it at once.
			client.on('error', () => upstream.destroy());
			client.once('close', () => upstream.end());
			upstream.once('close', (hadError) => (hadError ? client.destroy() : client.end()));
			forward(client, upstream, delayMs);
			forward(upstream, client, delayMs);
			client.resume();
		});
	}

	const server: Server = createServer({ pauseOnConnect: true }, (client) => {
		open.add(client);
		client.once('close', () => open.delete(client));
		client.on('error', () => {});
		connectTo(client, 0);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as { port: number }).port;
	const proxy: TcpProxy = {
		port,
		url: `http://127.0.0.1:${port}`,
		syncUrl: `ws://127.0.0.1:${port}/sync`,
		connections,
		setTargets(newPorts) {
			ports = [...newPorts];
		},
		dropConnections() {
			for (const socket of open) socket.destroy();
		},
		close: () =>
			new Promise<void>((resolve) => {
				proxy.dropConnections();
				server.close(() => resolve());
			})
	};
	registerCleanup(() => proxy.close());
	return proxy;
}
