import type { Duplex } from 'node:stream';
import { CLOSE_CODES } from './close-codes';
import type { Connection } from './connection';
import { cut } from './cut';

/** The most often frames in progress are checked against their time limit. */
export const FRAME_SWEEP_MAX_MS = 1_000;

/** Bytes of the frame a socket is receiving, since when it has been arriving (performance.now()), and whether it was cut. */
interface Arriving {
	raw: Duplex;
	bytes: number;
	since: number;
	cut: boolean;
}

/**
 * Bounds frames still in transit. `ws` keeps a frame's bytes until the frame is complete (up to
 * `SYNC_MAX_MESSAGE_MB` per socket, where it closes with 1009), so a client that sends most of a
 * large frame and stops holds that memory for as long as its socket lives. The guard counts the
 * raw bytes each socket receives since its last complete frame (message, ping or pong): past the
 * total for all sockets, the socket with the most such bytes is cut; a frame in progress for
 * longer than the time limit is cut. Both close with 4001 and read nothing more; a cut socket's
 * bytes count until its TCP socket is destroyed and they are freed.
 */
export class FrameGuard {
	readonly #arriving = new Map<Connection, Arriving>();
	readonly #sweeper: NodeJS.Timeout;
	#bytes = 0;

	constructor(
		/** Bytes of unfinished frames on all sockets together (`SYNC_MAX_PARTIAL_TOTAL_MB`). */
		private readonly totalBytes: number,
		/** How long one frame may take to arrive (`SYNC_FRAME_TIMEOUT_SECONDS`). */
		private readonly timeoutMs: number
	) {
		this.#sweeper = setInterval(() => this.#sweep(), Math.min(FRAME_SWEEP_MAX_MS, timeoutMs / 2));
		this.#sweeper.unref();
	}

	/** Watches a new socket; `raw` is its TCP socket, read before `ws` parses it. */
	watch(connection: Connection, raw: Duplex): void {
		raw.prependListener('data', (chunk: Buffer) => this.#received(connection, raw, chunk.length));
		const complete = () => this.#settle(connection);
		connection.socket.on('message', complete).on('ping', complete).on('pong', complete);
		connection.socket.on('close', () => this.#forget(connection));
	}

	stop(): void {
		clearInterval(this.#sweeper);
	}

	#received(connection: Connection, raw: Duplex, bytes: number): void {
		if (connection.socket.readyState !== connection.socket.OPEN) return;
		let arriving = this.#arriving.get(connection);
		if (!arriving) this.#arriving.set(connection, (arriving = { raw, bytes: 0, since: 0, cut: false }));
		if (arriving.bytes === 0) arriving.since = performance.now();
		arriving.bytes += bytes;
		this.#bytes += bytes;
		if (this.#bytes > this.totalBytes) this.#cut(this.#largest(), 'Too many unfinished frames on the server');
	}

	/** The socket holding most unfinished bytes and not cut yet (the one just counted, at least). */
	#largest(): Connection {
		let largest: [Connection, Arriving] | null = null;
		for (const entry of this.#arriving) if (!entry[1].cut && (!largest || entry[1].bytes > largest[1].bytes)) largest = entry;
		return largest![0];
	}

	#sweep(): void {
		const before = performance.now() - this.timeoutMs;
		for (const [connection, arriving] of this.#arriving) {
			if (!arriving.cut && arriving.bytes > 0 && arriving.since < before) this.#cut(connection, 'Frame not finished in time');
		}
	}

	#cut(connection: Connection, reason: string): void {
		const arriving = this.#arriving.get(connection)!;
		arriving.cut = true;
		// Nothing more is read from it: what is still on its way stays in the kernel until it is destroyed.
		arriving.raw.pause();
		cut(connection.socket, CLOSE_CODES.incompleteFrame, reason);
	}

	/**
	 * A frame is complete: its bytes no longer count. The socket keeps its entry (zeroed), so a
	 * crowd's small frames do not add and delete one each; a cut socket's bytes count until it closes.
	 */
	#settle(connection: Connection): void {
		const arriving = this.#arriving.get(connection);
		if (!arriving || arriving.cut) return;
		this.#bytes -= arriving.bytes;
		arriving.bytes = 0;
	}

	#forget(connection: Connection): void {
		const arriving = this.#arriving.get(connection);
		if (!arriving) return;
		this.#bytes -= arriving.bytes;
		this.#arriving.delete(connection);
	}
}
