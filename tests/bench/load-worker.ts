/**
 * The load generator: a separate process from the server and from the orchestrator, running many
 * raw-protocol clients. It gets one job over IPC, answers with its figures and exits. Timings are
 * taken here with one clock (`performance.now()`), so a write and its arrivals compare directly.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { FanoutTracker } from './fanout-tracker';
import { openClients, readSingleWrite, SyncClient, type RoomAddress } from './harness';
import { percentile } from './stats';
import { moveTouchpoint, random, SEED } from './workload';

/** A room to load: its address and, for servers without an import API, its seed update. */
export interface LoadRoom {
	address: RoomAddress;
	/** Touchpoint ids writers move. */
	touchpoints: number;
	seed?: Uint8Array;
}

export interface RateStep {
	/** Writes per second in each room. */
	rate: number;
	warmupMs: number;
	durationMs: number;
}

export type Job =
	| {
			kind: 'fanout';
			rooms: LoadRoom[];
			clientsPerRoom: number;
			writersPerRoom: number;
			steps: RateStep[];
			/** Ends the ramp after `stopAfterFailures` steps in a row whose p99 passed this or lost writes. */
			stopAboveP99Ms?: number;
			stopAfterFailures?: number;
	  }
	| { kind: 'hold'; rooms: LoadRoom[]; clientsPerRoom: number }
	| { kind: 'throughput'; room: LoadRoom; writers: number; window: number; durationMs?: number; total?: number }
	| { kind: 'join'; room: LoadRoom; joins: number; holder: boolean }
	| { kind: 'writeRate'; room: LoadRoom; rate: number; durationMs: number };

export interface StepResult {
	rate: number;
	writes: number;
	/** Writes that reached every other client of their room. */
	completed: number;
	/** Writes that had not reached every client 2 s after the step ended. */
	lost: number;
	deliveries: number;
	deliveriesPerSec: number;
	/** Time from a write until it had arrived at every other client of its room. */
	completeP50: number;
	completeP99: number;
	/** Time from a write to its arrival at one other client, over all arrivals. */
	deliveryP50: number;
	deliveryP99: number;
	/** The generator's own event-loop delay p99, to tell when it, not the server, was the limit. */
	generatorLagP99: number;
}

export type JobResult =
	| { kind: 'fanout'; steps: StepResult[] }
	| { kind: 'hold'; connections: number }
	| { kind: 'throughput'; updates: number; sent: number; seconds: number; perSec: number }
	| { kind: 'join'; syncMs: number[]; bytes: number; holderSyncMs: number }
	| { kind: 'writeRate'; writes: number };

/** How often the write scheduler runs. */
const TICK_MS = 2;
/** How long after a step's last write its missing arrivals are waited for. */
const DRAIN_MS = 2_000;
/** Closed-loop throughput runs this long before counting starts. */
const THROUGHPUT_WARMUP_MS = 500;
/** Writers' moves stay on the canvas. */
const CANVAS_EXTENT = 12_000;

interface RoomLoad {
	room: LoadRoom;
	clients: SyncClient[];
	writers: SyncClient[];
	next: () => number;
	sent: number;
	turn: number;
}

/** Connects a room's clients: the first is the seeder (when the room needs one), writers next. */
async function connectRoom(room: LoadRoom, clients: number, writers: number, tracker: FanoutTracker | null): Promise<SyncClient[]> {
	const first = new SyncClient(room.address, { writer: writers > 0, seed: room.seed, onUpdate: tracker?.arrive });
	await first.synced;
	const rest = await openClients(
		clients - 1,
		(index) => new SyncClient(room.address, { writer: index + 1 < writers, onUpdate: tracker?.arrive })
	);
	return [first, ...rest];
}

/** One move by the room's next writer; returns it tracked. */
function writeOnce(load: RoomLoad, tracker: FanoutTracker, expected: number, measured: boolean): void {
	const writer = load.writers[load.turn++ % load.writers.length];
	const id = `tp-${Math.floor(load.next() * load.room.touchpoints)}`;
	const x = Math.round(load.next() * CANVAS_EXTENT);
	const y = Math.round(load.next() * 1_000);
	const update = writer.prepare((doc) => moveTouchpoint(doc, id, x, y));
	if (!update) throw new Error(`writer has no touchpoint ${id}`);
	const head = readSingleWrite(update, 2);
	if (!head) throw new Error('a move must be one update of two structs');
	tracker.track(head.client, head.clock, { sentAt: performance.now(), expected, received: 0, measured });
	writer.sendUpdate(update);
	load.sent += 1;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function fanout(job: Extract<Job, { kind: 'fanout' }>): Promise<JobResult> {
	const tracker = new FanoutTracker();
	const loads: RoomLoad[] = [];
	for (const [index, room] of job.rooms.entries()) {
		const clients = await connectRoom(room, job.clientsPerRoom, job.writersPerRoom, tracker);
		loads.push({ room, clients, writers: clients.slice(0, job.writersPerRoom), next: random(SEED + index), sent: 0, turn: 0 });
	}
	const expected = job.clientsPerRoom - 1;
	const steps: StepResult[] = [];
	const lag = monitorEventLoopDelay({ resolution: 1 });
	let failuresInRow = 0;
	try {
		for (const step of job.steps) {
			tracker.reset();
			lag.reset();
			lag.enable();
			const start = performance.now();
			const measureFrom = start + step.warmupMs;
			const end = measureFrom + step.durationMs;
			for (const load of loads) load.sent = 0;
			let measuredWrites = 0;
			while (performance.now() < end) {
				const now = performance.now();
				const due = Math.floor(((now - start) / 1000) * step.rate);
				const measured = now >= measureFrom;
				for (const load of loads) {
					while (load.sent < due) {
						writeOnce(load, tracker, expected, measured);
						if (measured) measuredWrites++;
					}
				}
				await sleep(TICK_MS);
			}
			lag.disable();
			const drainUntil = performance.now() + DRAIN_MS;
			while (tracker.outstanding() > 0 && performance.now() < drainUntil) await sleep(10);
			const lost = tracker.outstanding();
			const deliveries = tracker.deliveries.length;
			steps.push({
				rate: step.rate,
				writes: measuredWrites,
				completed: tracker.completions.length,
				lost,
				deliveries,
				deliveriesPerSec: deliveries / (step.durationMs / 1000),
				completeP50: percentile(tracker.completions, 50),
				completeP99: percentile(tracker.completions, 99),
				deliveryP50: percentile(tracker.deliveries, 50),
				deliveryP99: percentile(tracker.deliveries, 99),
				generatorLagP99: lag.percentile(99) / 1e6
			});
			const last = steps.at(-1)!;
			if (job.stopAboveP99Ms !== undefined) {
				failuresInRow = last.completeP99 > job.stopAboveP99Ms || last.lost > 0 ? failuresInRow + 1 : 0;
				if (failuresInRow >= (job.stopAfterFailures ?? 1)) break;
			}
			await sleep(300);
		}
	} finally {
		for (const load of loads) for (const client of load.clients) client.close();
	}
	return { kind: 'fanout', steps };
}

async function hold(job: Extract<Job, { kind: 'hold' }>): Promise<JobResult> {
	const clients: SyncClient[] = [];
	for (const room of job.rooms) clients.push(...(await connectRoom(room, job.clientsPerRoom, room.seed ? 1 : 0, null)));
	process.send!({ type: 'ready', connections: clients.length });
	await new Promise<void>((resolve) => process.once('message', () => resolve()));
	for (const client of clients) client.close();
	return { kind: 'hold', connections: clients.length };
}

/**
 * Closed loop: each writer keeps `window` moves in flight; a move is done when the observer has it.
 * With `durationMs`, counts what the observer receives in that time; with `total`, sends that many.
 */
async function throughput(job: Extract<Job, { kind: 'throughput' }>): Promise<JobResult> {
	const tracker = new FanoutTracker();
	const writers = await connectRoom(job.room, job.writers, job.writers, null);
	// Only the observer's arrivals count; the writers receive each other's moves and ignore them.
	const observer = new SyncClient(job.room.address, { onUpdate: tracker.arrive });
	await observer.synced;
	const load: RoomLoad = { room: job.room, clients: writers, writers, next: random(SEED), sent: 0, turn: 0 };
	const inFlight = new Map<number, number>(writers.map((writer) => [writer.clientId, 0]));
	const indexOf = new Map(writers.map((writer, index) => [writer.clientId, index]));
	const total = job.total ?? Number.POSITIVE_INFINITY;
	let received = 0;
	let counting = false;
	const send = (client: number): boolean => {
		if (load.sent >= total) return false;
		load.turn = indexOf.get(client)!;
		writeOnce(load, tracker, 1, false);
		inFlight.set(client, inFlight.get(client)! + 1);
		return true;
	};
	tracker.onArrival = (client) => {
		if (counting) received += 1;
		inFlight.set(client, inFlight.get(client)! - 1);
		while (inFlight.get(client)! < job.window && send(client));
	};
	for (const writer of writers) for (let i = 0; i < job.window; i++) send(writer.clientId);
	if (job.durationMs) await sleep(THROUGHPUT_WARMUP_MS);
	counting = true;
	const countFrom = performance.now();
	if (job.durationMs) await sleep(job.durationMs);
	else while (received < total) await sleep(5);
	const seconds = (performance.now() - countFrom) / 1000;
	counting = false;
	for (const client of [...writers, observer]) client.close();
	return { kind: 'throughput', updates: received, sent: load.sent, seconds, perSec: received / seconds };
}

/**
 * Fresh clients sync one after another. With `holder`, one client keeps the room loaded (and, for
 * servers without an import API, seeded) first; without, the first join loads the room.
 */
async function join(job: Extract<Job, { kind: 'join' }>): Promise<JobResult> {
	const holder = job.holder ? (await connectRoom(job.room, 1, job.room.seed ? 1 : 0, null))[0] : null;
	const syncMs: number[] = [];
	let bytes = 0;
	for (let i = 0; i < job.joins; i++) {
		const client = new SyncClient(job.room.address);
		await client.synced;
		syncMs.push(client.syncMs);
		bytes = client.syncBytes;
		client.close();
		await sleep(100);
	}
	holder?.close();
	return { kind: 'join', syncMs, bytes, holderSyncMs: holder?.syncMs ?? Number.NaN };
}

/** Open-loop writes at `rate` per second by one writer (remote edits for the browser benchmark). */
async function writeRate(job: Extract<Job, { kind: 'writeRate' }>): Promise<JobResult> {
	const tracker = new FanoutTracker();
	const [writer] = await connectRoom(job.room, 1, 1, null);
	const load: RoomLoad = { room: job.room, clients: [writer], writers: [writer], next: random(SEED), sent: 0, turn: 0 };
	process.send!({ type: 'ready' });
	const start = performance.now();
	while (performance.now() - start < job.durationMs) {
		const due = Math.floor(((performance.now() - start) / 1000) * job.rate);
		while (load.sent < due) writeOnce(load, tracker, 1, false);
		await sleep(TICK_MS);
	}
	writer.close();
	return { kind: 'writeRate', writes: load.sent };
}

process.once('message', async (job: Job) => {
	try {
		const run = { fanout, hold, throughput, join, writeRate }[job.kind] as (job: Job) => Promise<JobResult>;
		const result = await run(job);
		process.send!({ type: 'result', result }, () => process.exit(0));
	} catch (error) {
		process.send!({ type: 'error', message: (error as Error).stack ?? String(error) }, () => process.exit(1));
	}
});
