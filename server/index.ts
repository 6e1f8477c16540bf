import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readConfig } from '../src/lib/server/config';
import { connectSharedCounters, COUNTERS_START_WAIT_MS } from '../src/lib/server/counters/process-counters';
import { closeDb, initDb } from '../src/lib/server/db';
import type { FoldedSnapshot } from '../src/lib/server/doc-store';
import { registerReadRunner } from '../src/lib/server/reads/read-runner';
import { RenderPool } from '../src/lib/server/reads/render-pool';
import { registerSyncHub } from '../src/lib/server/sync-hub';
import { RedisPresenceOwners } from './cluster/presence-owners';
import { RedisBoardBus } from './cluster/redis-board-bus';
import { SocketLeases } from './cluster/socket-leases';
import { attachSync, createSyncServer } from './sync';

/**
 * Request bodies adapter-node reads at most; past it, it answers 413 itself. Kept well above the
 * upload limit so the upload route can answer an oversized file with its own JSON 413.
 */
const MIN_BODY_SIZE_LIMIT_BYTES = 16 * 1024 * 1024;
/** How long a graceful shutdown may take before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 5_000;
/** Live rooms' compactions waiting for the fold worker at most; past it a room encodes its own document. */
const FOLD_QUEUE_MAX = 1_000;

const config = readConfig();
// Opens PostgreSQL (DATABASE_URL) or DATA_DIR/journey.db and applies migrations before anything is served.
const db = await initDb();
// With REDIS_URL, rate limits count with the other processes from the first request.
await connectSharedCounters();
// With REDIS_URL, socket budgets count every process's sockets from the first upgrade (a Redis
// that does not answer in time: this process's own, until it does).
const socketLeases = config.redisUrl ? new SocketLeases(config.redisUrl, { leaseMs: config.syncSocketLeaseMs }) : null;
await socketLeases?.connected(COUNTERS_START_WAIT_MS);
// With REDIS_URL, processes serving the same database exchange updates, presence and events, and
// a presence client id belongs to the same person on every process.
// A live room's compaction is folded on a worker thread of its own: never on the event loop that
// relays edits, and never queued behind exports.
const folds = new RenderPool(new URL('./render-worker.js', import.meta.url), {
	size: 1,
	queueMax: FOLD_QUEUE_MAX,
	heapMb: config.renderWorkerHeapMb
});
// Started now: loading the worker costs a few hundred milliseconds of CPU, better spent before
// the first socket than beside the first live compaction.
void folds.run({ kind: 'snapshot', updates: [] }).catch(() => {});
const sync = createSyncServer(db, {
	fold: (updates) => folds.run({ kind: 'snapshot', updates }) as Promise<FoldedSnapshot>,
	bus: config.redisUrl ? new RedisBoardBus(config.redisUrl, config.clusterEventAckMs) : null,
	socketLeases,
	presenceOwners: config.redisUrl ? new RedisPresenceOwners(config.redisUrl) : null
});
registerSyncHub(sync.hub);
// Journeys and exports are derived on worker threads bundled next to this file, never on the event loop.
registerReadRunner(
	new RenderPool(new URL('./render-worker.js', import.meta.url), {
		size: config.renderWorkers,
		queueMax: config.renderQueueMax,
		heapMb: config.renderWorkerHeapMb
	})
);

let handler: RequestListener | null = null;
const server = createServer((request, response) => {
	if (handler) return handler(request, response);
	response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
	response.end(JSON.stringify({ error: 'Starting up' }));
});
attachSync(server, sync);

server.listen(config.port, config.host, async () => {
	const { port } = server.address() as AddressInfo;
	// adapter-node reads ORIGIN when its handler is loaded, so it must be known first (PORT may be 0).
	process.env.ORIGIN ||= `http://localhost:${port}`;
	process.env.BODY_SIZE_LIMIT ||= String(Math.max(MIN_BODY_SIZE_LIMIT_BYTES, 2 * config.uploadLimitBytes));
	// @ts-expect-error built by `vite build`, resolved at run time next to this bundle
	({ handler } = (await import('./handler.js')) as { handler: RequestListener });
	console.log(`Journey workspace listening on http://${config.host}:${port} (origin ${process.env.ORIGIN}, data ${config.dataDir})`);
});

let stopping = false;
function shutdown(signal: string): void {
	if (stopping) return;
	stopping = true;
	console.log(`${signal}: shutting down`);
	setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
	// Every room's changes are stored and compacted before the database closes.
	const syncClosed = sync.close();
	server.close(() => {
		void syncClosed
			.finally(() => closeDb(db))
			.catch((error: unknown) => console.error('closing the database:', error))
			.finally(() => process.exit(0));
	});
	server.closeAllConnections();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
