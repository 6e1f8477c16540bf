/**
 * Shared pieces of the reliability and security battery (`battery-*.test.ts`): a seeded PRNG,
 * the CI/soak scale, document fingerprints, reading a board straight from a server's database
 * file, server memory, y-websocket frame builders and a raw socket that can tell whether the
 * server accepted a frame.
 */
import Database from 'better-sqlite3';
import * as encoding from 'lib0/encoding';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { MESSAGE_AWARENESS, MESSAGE_QUERY_AWARENESS, MESSAGE_SYNC, SYNC_STEP1, SYNC_STEP2, SYNC_UPDATE } from '../../server/protocol';
import { putItem } from '../../src/lib/journey/document';
import { queryDatabase } from '../support/cluster';
import { touchpoint, type TestServer } from './helpers';

// ---------------------------------------------------------------------------------------------
// Scale and seeds

/** `SOAK=1` (or a larger factor) runs the long variants: `npm run test:soak`. */
export const SOAK = Number(process.env.SOAK || 0);

/** The CI count, or the soak count when SOAK is set. */
export function scaled(ci: number, soak: number): number {
	return SOAK > 0 ? Math.round(soak * SOAK) : ci;
}

/** A test timeout that grows with the soak factor. */
export function scaledTimeout(ciMs: number, soakMs: number): number {
	return SOAK > 0 ? Math.round(soakMs * SOAK) : ciMs;
}

/**
 * The base seed of a randomised suite: `BATTERY_SEED` when set, a fresh one otherwise. Printed,
 * so a failure can be replayed with `BATTERY_SEED=<seed>`.
 */
export function batterySeed(suite: string): number {
	const fromEnv = process.env.BATTERY_SEED;
	const seed = fromEnv ? Number(fromEnv) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
	console.log(`[battery] ${suite}: seed ${seed} (replay with BATTERY_SEED=${seed})`);
	return seed;
}

/** A small, fast, seeded PRNG (sfc32), so every random choice of a run can be replayed. */
export class Rng {
	#a: number;
	#b: number;
	#c: number;
	#d: number;

	constructor(readonly seed: number) {
		this.#a = 0x9e3779b9;
		this.#b = 0x243f6a88;
		this.#c = 0xb7e15162;
		this.#d = seed >>> 0;
		for (let i = 0; i < 16; i++) this.next();
	}

	/** A float in [0, 1). */
	next(): number {
		const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
		this.#d = (this.#d + 1) | 0;
		this.#a = this.#b ^ (this.#b >>> 9);
		this.#b = (this.#c + (this.#c << 3)) | 0;
		this.#c = (this.#c << 21) | (this.#c >>> 11);
		this.#c = (this.#c + t) | 0;
		return (t >>> 0) / 4294967296;
	}

	/** An integer in [0, n). */
	int(n: number): number {
		return Math.floor(this.next() * n);
	}

	/** An integer in [min, max]. */
	between(min: number, max: number): number {
		return min + this.int(max - min + 1);
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	pick<T>(items: readonly T[]): T {
		return items[this.int(items.length)];
	}

	/** Picks by weight: `[[weight, value], ...]`. */
	weighted<T>(choices: readonly (readonly [number, T])[]): T {
		const total = choices.reduce((sum, [weight]) => sum + weight, 0);
		let roll = this.next() * total;
		for (const [weight, value] of choices) {
			roll -= weight;
			if (roll < 0) return value;
		}
		return choices[choices.length - 1][1];
	}

	bytes(length: number): Uint8Array {
		const out = new Uint8Array(length);
		for (let i = 0; i < length; i++) out[i] = this.int(256);
		return out;
	}

	/** A derived generator, so adding draws in one place does not shift another's sequence. */
	fork(): Rng {
		return new Rng((this.next() * 2 ** 32) >>> 0);
	}
}

// ---------------------------------------------------------------------------------------------
// Documents

/** JSON with object keys sorted, so equal values give equal strings whatever their key order. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(value, (_key, inner) => {
		if (inner && typeof inner === 'object' && !Array.isArray(inner) && !(inner instanceof Uint8Array)) {
			return Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
		}
		if (inner instanceof Uint8Array) return { bytes: Buffer.from(inner).toString('base64') };
		if (typeof inner === 'bigint') return { bigint: inner.toString() };
		return inner;
	});
}

/** Visible content of any shared type: its keyed entries and its sequence, nested types included. */
function dumpType(type: Y.AbstractType<any>): unknown {
	const map: Record<string, unknown> = {};
	for (const [key, item] of type._map) {
		if (item.deleted) continue;
		const content = item.content.getContent();
		map[key] = dumpValue(content[content.length - 1]);
	}
	const list: unknown[] = [];
	for (let item = type._start; item !== null; item = item.right) {
		if (item.deleted || !item.countable) continue;
		for (const value of item.content.getContent()) list.push(dumpValue(value));
	}
	return { map, list };
}

function dumpValue(value: unknown): unknown {
	return value instanceof Y.AbstractType ? dumpType(value) : value;
}

/**
 * A document's fingerprint: its state vector and the visible content of every shared type,
 * derived from `Y.encodeStateAsUpdate` (a fresh copy), so two documents with equal fingerprints
 * hold the same data whatever the internal order of their maps.
 */
export function fingerprint(doc: Y.Doc): string {
	const copy = new Y.Doc();
	try {
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
		const content: Record<string, unknown> = {};
		for (const [name, type] of copy.share) {
			const dumped = dumpType(type) as { map: object; list: unknown[] };
			if (Object.keys(dumped.map).length > 0 || dumped.list.length > 0) content[name] = dumped;
		}
		const stateVector = [...Y.decodeStateVector(Y.encodeStateVector(copy))].sort(([a], [b]) => a - b);
		return canonicalJson({ stateVector, content });
	} finally {
		copy.destroy();
	}
}

/** The first few paths where two fingerprints (or any JSON texts) differ, for failure messages. */
export function differences(expected: string, actual: string, limit = 5): string[] {
	const found: string[] = [];
	const walk = (a: unknown, b: unknown, path: string) => {
		if (found.length >= limit) return;
		if (a && b && typeof a === 'object' && typeof b === 'object') {
			for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
				walk((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}/${key}`);
			}
		} else if (JSON.stringify(a) !== JSON.stringify(b)) {
			found.push(`${path}: expected ${JSON.stringify(a)?.slice(0, 80)}, got ${JSON.stringify(b)?.slice(0, 80)}`);
		}
	};
	walk(JSON.parse(expected), JSON.parse(actual), '');
	return found;
}

/** A board as its database file has it: integrity check, log length, and the loaded document. */
export interface StoredBoard {
	integrity: string;
	logRows: number;
	hasSnapshot: boolean;
	doc: Y.Doc;
}

/**
 * Opens `DATA_DIR/journey.db` of a server (running in WAL mode, or stopped) from this process,
 * runs `PRAGMA integrity_check` and loads the board the way the server does: snapshot (V1, or V2
 * when written before V1 snapshots), then the log (V1) in order.
 */
export function readStoredBoard(dataDir: string, boardId: string): StoredBoard {
	const db = new Database(join(dataDir, 'journey.db'));
	try {
		db.pragma('busy_timeout = 5000');
		const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check).join('; ');
		// One read transaction: a compaction the server commits meanwhile is seen whole or not at all.
		const { snapshot, log } = db.transaction(() => ({
			snapshot: db.prepare('SELECT state, format FROM board_snapshots WHERE board_id = ?').get(boardId) as
				{ state: Buffer; format: 'v1' | 'v2' } | undefined,
			log: db.prepare('SELECT "update" AS u FROM board_updates WHERE board_id = ? ORDER BY id').all(boardId) as { u: Buffer }[]
		}))();
		const doc = new Y.Doc();
		doc.transact(() => {
			if (snapshot?.format === 'v1') Y.applyUpdate(doc, snapshot.state);
			else if (snapshot) Y.applyUpdateV2(doc, snapshot.state);
			for (const row of log) Y.applyUpdate(doc, row.u);
		});
		return { integrity, logRows: log.length, hasSnapshot: snapshot !== undefined, doc };
	} finally {
		db.close();
	}
}

/**
 * A board as a server stored it: from its SQLite file (`readStoredBoard`), or on PostgreSQL from
 * the cluster's database, where `integrity` is 'ok' when the log's sequence numbers follow the
 * snapshot's without a gap or a repeat.
 */
export async function storedBoard(server: TestServer, boardId: string): Promise<StoredBoard> {
	if (!server.databaseUrl) return readStoredBoard(server.dataDir, boardId);
	// The log before the snapshot, as the server loads a board: a compaction that commits between
	// the two reads leaves updates in both (applying one twice changes nothing), never in neither.
	const log = await queryDatabase<{ u: Buffer; seq: number | null }>(
		server.databaseUrl,
		'SELECT "update" AS u, seq FROM board_updates WHERE board_id = $1 ORDER BY seq, id',
		[boardId]
	);
	const snapshots = await queryDatabase<{ state: Buffer; format: 'v1' | 'v2'; seq: number }>(
		server.databaseUrl,
		'SELECT state, format, seq FROM board_snapshots WHERE board_id = $1',
		[boardId]
	);
	const snapshot = snapshots.rows[0];
	const problems: string[] = [];
	let expected = (snapshot?.seq ?? 0) + 1;
	// Rows at or before the snapshot's number are folded into it already (harmless to apply twice).
	for (const row of log.rows.filter((row) => row.seq === null || row.seq >= expected)) {
		if (row.seq !== expected) problems.push(`log row numbered ${row.seq} where ${expected} was due`);
		expected = (row.seq ?? expected) + 1;
	}
	const doc = new Y.Doc();
	doc.transact(() => {
		if (snapshot?.format === 'v1') Y.applyUpdate(doc, snapshot.state);
		else if (snapshot) Y.applyUpdateV2(doc, snapshot.state);
		for (const row of log.rows) Y.applyUpdate(doc, row.u);
	});
	return {
		integrity: problems.length === 0 ? 'ok' : problems.join('; '),
		logRows: log.rows.length,
		hasSnapshot: snapshot !== undefined,
		doc
	};
}

/** Resident memory of a process in KiB, from /proc/<pid>/status. */
export function rssKb(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const match = /VmRSS:\s+(\d+) kB/.exec(status);
	if (!match) throw new Error(`no VmRSS for pid ${pid}`);
	return Number(match[1]);
}

/** Whether a process is still alive. */
export function isAlive(pid: number | undefined): boolean {
	if (pid === undefined) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

// ---------------------------------------------------------------------------------------------
// Frames (y-websocket protocol)

function frameOf(write: (encoder: encoding.Encoder) => void): Uint8Array {
	const encoder = encoding.createEncoder();
	write(encoder);
	return encoding.toUint8Array(encoder);
}

export const syncStep1 = (stateVector: Uint8Array) =>
	frameOf(
		(e) => (encoding.writeVarUint(e, MESSAGE_SYNC), encoding.writeVarUint(e, SYNC_STEP1), encoding.writeVarUint8Array(e, stateVector))
	);
export const syncStep2 = (update: Uint8Array) =>
	frameOf((e) => (encoding.writeVarUint(e, MESSAGE_SYNC), encoding.writeVarUint(e, SYNC_STEP2), encoding.writeVarUint8Array(e, update)));
export const syncUpdate = (update: Uint8Array) =>
	frameOf((e) => (encoding.writeVarUint(e, MESSAGE_SYNC), encoding.writeVarUint(e, SYNC_UPDATE), encoding.writeVarUint8Array(e, update)));
/** An update that adds one touchpoint, made against the board's current state. */
export function addition(base: Y.Doc, id: string): Uint8Array {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
	const before = Y.encodeStateVector(doc);
	putItem(doc, 'touchpoints', touchpoint(id, { title: `Written by ${id}` }));
	const update = Y.encodeStateAsUpdate(doc, before);
	doc.destroy();
	return update;
}

export const queryAwareness = () => frameOf((e) => encoding.writeVarUint(e, MESSAGE_QUERY_AWARENESS));

/** An awareness update body (y-protocols format) from explicit entries. */
export function awarenessUpdate(entries: { clientId: number; clock: number; state: unknown }[]): Uint8Array {
	return frameOf((e) => {
		encoding.writeVarUint(e, entries.length);
		for (const { clientId, clock, state } of entries) {
			encoding.writeVarUint(e, clientId);
			encoding.writeVarUint(e, clock);
			encoding.writeVarString(e, JSON.stringify(state));
		}
	});
}

/** An awareness frame around an awareness update body. */
export const awarenessFrame = (update: Uint8Array) =>
	frameOf((e) => (encoding.writeVarUint(e, MESSAGE_AWARENESS), encoding.writeVarUint8Array(e, update)));

// ---------------------------------------------------------------------------------------------
// A raw socket that learns what the server did with each frame

export type FrameOutcome = { closed: false } | { closed: true; code: number };

/**
 * A raw `ws` socket on `/sync/:boardId`. `deliver` sends one frame, then a WebSocket ping: the
 * server handles frames in order and stops answering pings once it has closed the socket, so a
 * pong means the frame was taken and a close means it was refused.
 */
export class ProbeSocket {
	readonly received: Uint8Array[] = [];
	closeCode: number | null = null;
	#waiters: ((outcome: FrameOutcome) => void)[] = [];

	private constructor(readonly socket: WebSocket) {
		socket.on('message', (data: Buffer) => this.received.push(new Uint8Array(data)));
		socket.on('pong', () => this.#settle({ closed: false }));
		socket.on('close', (code) => {
			this.closeCode = code;
			this.#settle({ closed: true, code });
		});
		socket.on('error', () => {});
	}

	/** Opens an authenticated socket; rejects with the HTTP status when the upgrade is refused. */
	static open(server: TestServer, cookie: string, boardId: string): Promise<ProbeSocket> {
		return new Promise((resolveOpen, rejectOpen) => {
			const socket = new WebSocket(`${server.syncUrl}/${boardId}`, { headers: { cookie } });
			socket.once('open', () => resolveOpen(new ProbeSocket(socket)));
			socket.once('unexpected-response', (_request, response) => {
				rejectOpen(new Error(`upgrade refused: ${response.statusCode}`));
				response.resume();
			});
			socket.once('error', (error) => rejectOpen(error));
		});
	}

	get open(): boolean {
		return this.closeCode === null && this.socket.readyState === WebSocket.OPEN;
	}

	/** Sends a frame (binary unless `text`) and resolves with what the server did with it. */
	deliver(frame: Uint8Array | string, options: { text?: boolean; timeoutMs?: number } = {}): Promise<FrameOutcome> {
		if (!this.open) return Promise.resolve({ closed: true, code: this.closeCode ?? 0 });
		const outcome = new Promise<FrameOutcome>((resolveOutcome, rejectOutcome) => {
			const timer = setTimeout(
				() => rejectOutcome(new Error('the server answered neither with a pong nor a close: is it hung?')),
				options.timeoutMs ?? 15_000
			);
			this.#waiters.push((result) => {
				clearTimeout(timer);
				resolveOutcome(result);
			});
		});
		this.socket.send(frame, { binary: !options.text });
		this.socket.ping();
		return outcome;
	}

	close(): void {
		this.socket.terminate();
	}

	#settle(outcome: FrameOutcome): void {
		if (outcome.closed) {
			for (const waiter of this.#waiters.splice(0)) waiter(outcome);
		} else {
			this.#waiters.shift()?.(outcome);
		}
	}
}
