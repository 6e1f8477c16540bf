import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker folds the write-ahead log back into the database file. */
const CHECKPOINT_INTERVAL_MS = 1_000;
/** SQLite's own default, restored on the main connection if the worker stops. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1_000;

// A CommonJS worker of its own: the server is bundled, so the worker gets its code as text and
// the driver's resolved path rather than a module file next to the bundle.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
setInterval(() => {
	try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
}, workerData.intervalMs);
`;

/**
 * Moves WAL checkpoints off the main thread. SQLite runs a checkpoint inside whichever commit
 * fills the log past 1,000 pages, and that checkpoint syncs the file:
 * a stall of several milliseconds on the event loop that relays edits. Here a worker thread with
 * its own connection checkpoints every second (PASSIVE: it never blocks a writer), and the main
 * connection stops checkpointing. If the worker fails, the main connection takes over again. The
 * worker does not keep the process alive; the log it leaves is folded in at the next start.
 */
export function startWalCheckpointer(sqlite: Database.Database, file: string): void {
	const worker = new Worker(WORKER_SOURCE, {
		eval: true,
		workerData: { file, driver: createRequire(import.meta.url).resolve('better-sqlite3'), intervalMs: CHECKPOINT_INTERVAL_MS }
	});
	worker.unref();
	sqlite.pragma('wal_autocheckpoint = 0');
	const takeOver = () => {
		if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
	};
	worker.on('error', (error) => {
		console.error('WAL checkpoint worker failed; checkpointing on the main thread', error);
		takeOver();
	});
	worker.on('exit', takeOver);
}
