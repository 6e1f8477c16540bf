/**
 * `BENCH_ONLY=reads`: a viewer loops reads and exports (journey, analysis, SVG, PNG, PDF) of the
 * largest board the server renders while the edit relay of an unrelated board is measured; the
 * p50 and p99 of that relay are compared with the same measure when nobody reads.
 */
import type { Job, JobResult, LoadRoom, StepResult } from './load-worker';
import { RELAY, relayOnce } from './relay-measure';
import type { BenchServer } from './servers';
import { median } from './stats';
import { generateJourney } from './workload';

const QUICK = process.env.BENCH_QUICK === '1';

/** The largest board rendered by default: 2,000 cards (`EXPORT_MAX_CARDS`) within 4 MB of journey JSON. */
const LARGE = { touchpoints: 2_000, descriptionChars: 1_500 };
/** Idle and reading measures, taking turns. */
const ROUNDS = QUICK ? 1 : 3;
/** Reads the viewer keeps in flight, as three open tabs would. */
const READERS = 3;
const READ_PATHS = ['journey', 'analysis', 'export/svg', 'export/png', 'export/pdf'];
/** How often the server's memory is sampled while the viewer reads. */
const RSS_SAMPLE_MS = 100;
/**
 * The per-person export rate is lifted, so renders keep the pool busy; the viewer's share of reads
 * (`READS_PER_MINUTE`) stays at its default, as for anyone: past it their reads wait, then are 429.
 */
const UNRATED_EXPORTS_PER_MINUTE = '1000000';

/** What the scenario needs of the suite: a fresh product server and a load-generator job. */
export interface ReadsBench {
	withProduct<T>(run: (server: BenchServer) => Promise<T>): Promise<T>;
	runFanout(job: Extract<Job, { kind: 'fanout' }>): Promise<Extract<JobResult, { kind: 'fanout' }>>;
	log(message: string): void;
}

/** Relay p50/p99 of the other board, idle and while the viewer reads, in milliseconds. */
export interface ReadsFigures {
	idleP50: number;
	idleP99: number;
	readingP50: number;
	readingP99: number;
	/** Reads answered 200, and refused (429 past the viewer's share, 503 with the render queue full). */
	reads: number;
	refused: number;
	/** Server resident memory while idle and at its peak while the viewer read, in bytes. */
	idleRss: number;
	peakRss: number;
}

/** Reads and exports of one board by the viewer's loops while the relay is measured. */
async function readingRound(bench: ReadsBench, server: BenchServer, large: LoadRoom, room: LoadRoom) {
	let peakRss = server.rss();
	const sampler = setInterval(() => (peakRss = Math.max(peakRss, server.rss())), RSS_SAMPLE_MS);
	let reading = true;
	const statuses = new Map<number, number>();
	const loop = async (reader: number) => {
		for (let i = reader; reading; i++) {
			const path = `http://127.0.0.1:${server.port}/api/boards/${large.address.docName}/${READ_PATHS[i % READ_PATHS.length]}`;
			const response = await fetch(path, { headers: { cookie: server.cookie } });
			await response.arrayBuffer();
			statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
		}
	};
	const readers = Array.from({ length: READERS }, (_, reader) => loop(reader));
	try {
		return { step: await relayOnce(bench, room), statuses, peakRss };
	} finally {
		reading = false;
		await Promise.all(readers);
		clearInterval(sampler);
	}
}

/**
 * Runs the scenario on a product server of its own and logs the figures: `ROUNDS` times idle then
 * reading, taking turns so load from elsewhere on the machine hits both alike, each reading round
 * on a new large board so its renders are not already kept. The figures are the medians.
 */
export async function readsBesideWrites(bench: ReadsBench): Promise<ReadsFigures> {
	const previousRate = process.env.EXPORTS_PER_MINUTE;
	process.env.EXPORTS_PER_MINUTE = UNRATED_EXPORTS_PER_MINUTE; // inherited by the server started next
	try {
		return await bench.withProduct(async (server) => {
			const largeJourney = generateJourney(LARGE.touchpoints, { descriptionChars: LARGE.descriptionChars });
			const [room] = await server.createRooms(1, generateJourney(RELAY.touchpoints), 'reads-relay');
			const idleRss = server.rss();
			const idle: StepResult[] = [];
			const loaded: StepResult[] = [];
			const statuses = new Map<number, number>();
			let peakRss = idleRss;
			for (let round = 0; round < ROUNDS; round++) {
				const [large] = await server.createRooms(1, largeJourney, `reads-large-${round}`);
				idle.push(await relayOnce(bench, room));
				const reading = await readingRound(bench, server, large, room);
				loaded.push(reading.step);
				peakRss = Math.max(peakRss, reading.peakRss);
				for (const [status, n] of reading.statuses) statuses.set(status, (statuses.get(status) ?? 0) + n);
				bench.log(`reads round ${round + 1}: idle ${describe(idle[round])}; reading ${describe(reading.step)}`);
			}
			const figures = {
				idleP50: median(idle.map((step) => step.completeP50)),
				idleP99: median(idle.map((step) => step.completeP99)),
				readingP50: median(loaded.map((step) => step.completeP50)),
				readingP99: median(loaded.map((step) => step.completeP99)),
				reads: statuses.get(200) ?? 0,
				refused: (statuses.get(429) ?? 0) + (statuses.get(503) ?? 0),
				idleRss,
				peakRss
			};
			bench.log(
				`product reads beside writes (${LARGE.touchpoints} cards read by ${READERS} loops; ${RELAY.clients} clients, ${RELAY.rate} writes/s on another board; median of ${ROUNDS}): ` +
					`idle p50 ${figures.idleP50.toFixed(2)} p99 ${figures.idleP99.toFixed(2)} ms; ` +
					`reading p50 ${figures.readingP50.toFixed(2)} p99 ${figures.readingP99.toFixed(2)} ms; ` +
					`ratio p50 ${(figures.readingP50 / figures.idleP50).toFixed(2)}× p99 ${(figures.readingP99 / figures.idleP99).toFixed(2)}×; ` +
					`reads ${JSON.stringify(Object.fromEntries(statuses))}; ` +
					`server RSS idle ${(idleRss / 1024 / 1024).toFixed(0)} MB, peak ${(peakRss / 1024 / 1024).toFixed(0)} MB`
			);
			return figures;
		});
	} finally {
		if (previousRate === undefined) delete process.env.EXPORTS_PER_MINUTE;
		else process.env.EXPORTS_PER_MINUTE = previousRate;
	}
}

function describe(step: StepResult): string {
	return `p50 ${step.completeP50.toFixed(2)} p99 ${step.completeP99.toFixed(2)} ms, lost ${step.lost}`;
}
