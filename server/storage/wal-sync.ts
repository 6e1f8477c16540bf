import { fdatasync, openSync } from 'node:fs';
import type { Database } from 'better-sqlite3';

/**
 * Durable board appends without syncing on the event loop. The SQLite connection commits with
 * `synchronous = FULL`: every commit waits for the disk, on the thread that relays edits (a few
 * milliseconds per commit here, tens under load). A board append instead commits with `NORMAL`
 * (the frames reach the write-ahead log, not yet the disk) and is synced by `fdatasync` of the log
 * on libuv's thread pool; the append resolves, and its changes are relayed, only after that sync.
 * So "stored before relayed" still holds for a power cut, the event loop takes the next frames
 * meanwhile, and the turns that arrive during one sync share the next.
 *
 * Every other commit on the connection (accounts, comments, versions, compaction) stays `FULL`.
 * Without a log file to open (an in-memory database), appends commit `FULL` as before.
 */
export class WalSync {
	#fd: number | null = null;
	#running: Promise<void> | null = null;
	#queued: Promise<void> | null = null;

	constructor(private readonly sqlite: Database) {}

	/** Runs `commit` (one SQLite transaction) so that it is on disk once the returned promise resolves. */
	async commitDurably(commit: () => void): Promise<void> {
		const fd = this.#logFile();
		if (fd === null) return commit();
		this.sqlite.pragma('synchronous = NORMAL');
		try {
			commit();
		} finally {
			this.sqlite.pragma('synchronous = FULL');
		}
		await this.#synced(fd);
	}

	/** Resolves after an `fdatasync` that started after this call (so it covers every commit before it). */
	#synced(fd: number): Promise<void> {
		if (!this.#running) return this.#start(fd);
		this.#queued ??= this.#running
			.catch(() => {})
			.then(() => {
				this.#queued = null;
				return this.#start(fd);
			});
		return this.#queued;
	}

	#start(fd: number): Promise<void> {
		const run = new Promise<void>((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve()))).finally(() => {
			if (this.#running === run) this.#running = null;
		});
		this.#running = run;
		return run;
	}

	/** The write-ahead log, opened once it exists (SQLite creates it with the first write). */
	#logFile(): number | null {
		if (this.#fd !== null) return this.#fd;
		if (this.sqlite.memory) return null;
		try {
			this.#fd = openSync(`${this.sqlite.name}-wal`, 'r+');
		} catch {
			return null;
		}
		return this.#fd;
	}
}
