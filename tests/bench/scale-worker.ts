/**
 * The scale benchmark's load generator (scale-bench.ts): a process of its own holding many boards
 * of a few raw-protocol clients each, driven step by step over IPC. Boards are added between
 * steps; before each measure every writer encodes the moves it will send, so sending is a table
 * lookup and a socket write. Receivers read only the header of what arrives. Every client of a
 * board lives in the same generator, so a write and its arrivals are timed with one clock.
 *
 *   → { type: 'grow', rooms }                         ← { type: 'grown', clients }
 *   → { type: 'measure', ...ScaleStep }               ← { type: 'window', edge: 'start' | 'end' } twice,
 *                                                       then { type: 'measured', result }
 *   → { type: 'close' }                               ← (exits)
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { FanoutTracker } from './fanout-tracker';
import { openClients, readSingleWrite, SyncClient } from './harness';
import type { LoadRoom } from './load-worker';
import { moveTouchpoint, random, SEED } from './workload';

export interface ScaleStep {
	/** Writes per second by each writer. */
	ratePerWriter: number;
	warmupMs: number;
	durationMs: number;
}

export interface ScaleResult {
	/** Writes sent in the measured window. */
	writes: number;
	/** Measured writes that had not reached every other client of their board when the drain ended. */
	lost: number;
	/** Sender-to-peer latency of every measured arrival, in ms. */
	deliveries: Float64Array;
	/** Time until a write had reached every other client of its board, in ms. */
	completions: Float64Array;
	/** This generator's own event-loop delay p99 (ms): when high, the generator, not the server, was the limit. */
	generatorLagP99: number;
	/** Clients whose socket closed (refused or dropped). */
	closed: number;
	/** How many closed with each close code and reason. */
	closeReasons: Record<string, number>;
}

export type ScaleCommand =
	| { type: 'grow'; rooms: LoadRoom[]; clientsPerRoom: number; writersPerRoom: number }
	| ({ type: 'measure' } & ScaleStep)
	| { type: 'close' };

/** How often the write scheduler runs. */
const TICK_MS = 2;
/** How long after a step's last write its missing arrivals are waited for. */
const DRAIN_MS = 2_000;
/** Boards connected at once while growing. */
const CONNECT_LANES = 16;
const CANVAS_EXTENT = 12_000;

interface Writer {
	client: SyncClient;
	next: () => number;
	touchpoints: number;
	frames: Uint8Array[];
	clocks: number[];
	sent: number;
}

const tracker = new FanoutTracker();
const clients: SyncClient[] = [];
const writers: Writer[] = [];
let expectedPerWrite = 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function grow(command: Extract<ScaleCommand, { type: 'grow' }>): Promise<number> {
	expectedPerWrite = command.clientsPerRoom - 1;
	let next = 0;
	const lane = async () => {
		while (next < command.rooms.length) {
			const room = command.rooms[next++];
			const opened = await openClients(
				command.clientsPerRoom,
				(index) => new SyncClient(room.address, { writer: index < command.writersPerRoom, onUpdate: tracker.arrive }),
				command.clientsPerRoom
			);
			clients.push(...opened);
			for (const client of opened.slice(0, command.writersPerRoom)) {
				writers.push({ client, next: random(SEED + writers.length), touchpoints: room.touchpoints, frames: [], clocks: [], sent: 0 });
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(CONNECT_LANES, command.rooms.length) }, lane));
	return clients.length;
}

/**
 * Each writer's moves for the whole step, encoded as whole messages before anything is sent: the
 * k-th write of the step goes to writer k mod n, so writer i sends exactly `frameCount(i)` moves.
 * Every encoded move is sent (a move encoded and not sent would leave a gap in the writer's clock,
 * and the server would refuse the writer's next moves as depending on content it never had).
 */
function encodeMoves(total: number): void {
	for (const [index, writer] of writers.entries()) {
		const count = index < total ? Math.floor((total - 1 - index) / writers.length) + 1 : 0;
		writer.frames = [];
		writer.clocks = [];
		writer.sent = 0;
		for (let i = 0; i < count; i++) {
			const id = `tp-${Math.floor(writer.next() * writer.touchpoints)}`;
			const x = Math.round(writer.next() * CANVAS_EXTENT);
			const y = Math.round(writer.next() * 1_000);
			const update = writer.client.prepare((doc) => moveTouchpoint(doc, id, x, y));
			if (!update) throw new Error(`writer has no touchpoint ${id}`);
			const head = readSingleWrite(update, 2);
			if (!head) throw new Error('a move must be one update of two structs');
			writer.frames.push(writer.client.encodeUpdate(update));
			writer.clocks.push(head.clock);
		}
	}
}

/**
 * Open loop at `ratePerWriter` for every writer, their turns interleaved evenly: the k-th write of
 * the whole generator goes to writer k mod n, so no two writers of a board send at the same instant.
 */
async function measure(step: ScaleStep): Promise<ScaleResult> {
	const rate = step.ratePerWriter * writers.length;
	const total = Math.floor(((step.warmupMs + step.durationMs) / 1000) * rate);
	encodeMoves(total);
	tracker.reset();
	const lag = monitorEventLoopDelay({ resolution: 1 });
	let sent = 0;
	let writes = 0;
	let measuring = false;
	const sendNext = () => {
		const writer = writers[sent % writers.length];
		sent++;
		if (writer.sent >= writer.frames.length || writer.client.closed) return;
		const index = writer.sent++;
		tracker.track(writer.client.clientId, writer.clocks[index], {
			sentAt: performance.now(),
			expected: expectedPerWrite,
			received: 0,
			measured: measuring
		});
		writer.client.sendFrame(writer.frames[index]);
		if (measuring) writes++;
	};
	const start = performance.now();
	const measureFrom = start + step.warmupMs;
	const end = measureFrom + step.durationMs;
	while (performance.now() < end) {
		const now = performance.now();
		if (!measuring && now >= measureFrom) {
			measuring = true;
			lag.enable();
			process.send!({ type: 'window', edge: 'start' });
		}
		const due = Math.min(total, Math.floor(((now - start) / 1000) * rate));
		while (sent < due) sendNext();
		await sleep(TICK_MS);
	}
	// The moves of the last tick's fraction, so every encoded move is sent.
	while (sent < total) sendNext();
	lag.disable();
	process.send!({ type: 'window', edge: 'end' });
	const drainUntil = performance.now() + DRAIN_MS;
	while (tracker.outstanding() > 0 && performance.now() < drainUntil) await sleep(10);
	const result: ScaleResult = {
		writes,
		lost: tracker.outstanding(),
		deliveries: Float64Array.from(tracker.deliveries),
		completions: Float64Array.from(tracker.completions),
		generatorLagP99: lag.percentile(99) / 1e6,
		closed: clients.filter((client) => client.closed).length,
		closeReasons: {}
	};
	for (const client of clients)
		if (client.closed) result.closeReasons[client.closedWith] = (result.closeReasons[client.closedWith] ?? 0) + 1;
	tracker.reset();
	for (const writer of writers) writer.frames = [];
	return result;
}

process.on('message', async (command: ScaleCommand) => {
	try {
		if (command.type === 'grow') process.send!({ type: 'grown', clients: await grow(command) });
		else if (command.type === 'measure') process.send!({ type: 'measured', result: await measure(command) });
		else {
			for (const client of clients) client.close();
			process.exit(0);
		}
	} catch (error) {
		process.send!({ type: 'error', message: (error as Error).stack ?? String(error) }, () => process.exit(1));
	}
});
