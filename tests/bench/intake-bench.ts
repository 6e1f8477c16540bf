/**
 * `BENCH_ONLY=intake`: a survey tool sends `BENCH_INTAKE_RESPONSES` (default 100,000) responses in
 * batches of 1,000 to one board through `POST /api/intake` while the edit relay of that same board
 * is measured; prints responses per second and the relay's p50 and p99 beside the same measure
 * when nothing is sent. Figures only: nothing here passes or fails.
 */
import type { Job, JobResult } from './load-worker';
import { RELAY, relayOnce } from './relay-measure';
import type { BenchServer } from './servers';
import { generateJourney } from './workload';

const QUICK = process.env.BENCH_QUICK === '1';

/** Responses sent in all, and per request (the contract's largest batch). */
const RESPONSES = Number(process.env.BENCH_INTAKE_RESPONSES ?? (QUICK ? 20_000 : 100_000));
const BATCH = 1_000;
/** Batches the sender keeps in flight, as a survey tool's retrying queue might. */
const IN_FLIGHT = Number(process.env.BENCH_INTAKE_IN_FLIGHT ?? 2);
/** Budgets the figures are printed against (not asserted): the relay p99 while intake runs, and the intake rate. */
const RELAY_P99_BUDGET_MS = Number(process.env.BENCH_INTAKE_P99_BUDGET_MS ?? 50);
const RESPONSES_PER_SEC_BUDGET = Number(process.env.BENCH_INTAKE_RATE_BUDGET ?? 5_000);
/** The per-token request budget is lifted, so the server itself is what holds the sender back. */
const UNRATED_INTAKE_PER_MINUTE = '1000000';
const METRICS = [
	{ metric: 'nps', min: 0, max: 10 },
	{ metric: 'csat', min: 1, max: 5 },
	{ metric: 'ces', min: 1, max: 7 },
	{ metric: 'emotion', min: -5, max: 5 }
] as const;

/** What the scenario needs of the suite: a fresh product server and a load-generator job. */
export interface IntakeBench {
	withProduct<T>(run: (server: BenchServer) => Promise<T>): Promise<T>;
	runFanout(job: Extract<Job, { kind: 'fanout' }>): Promise<Extract<JobResult, { kind: 'fanout' }>>;
	log(message: string): void;
}

export interface IntakeFigures {
	responses: number;
	responsesPerSec: number;
	idleP50: number;
	idleP99: number;
	intakeP50: number;
	intakeP99: number;
	/** Answers by HTTP status. */
	statuses: Record<number, number>;
}

/** One batch of distinct responses: every metric, cards and scores cycling, a comment on every tenth. */
function batch(index: number): unknown[] {
	return Array.from({ length: BATCH }, (_, i) => {
		const n = index * BATCH + i;
		const { metric, min, max } = METRICS[n % METRICS.length];
		return {
			id: `bench-${n}`,
			touchpointId: `tp-${n % RELAY.touchpoints}`,
			metric,
			score: min + (n % (max - min + 1)),
			...(n % 10 === 0 ? { comment: `Bench comment ${n}` } : {})
		};
	});
}

/** Creates an intake token for the board with the benchmark account. */
async function intakeToken(server: BenchServer, boardId: string): Promise<string> {
	const response = await fetch(`http://127.0.0.1:${server.port}/api/boards/${boardId}/intake-tokens`, {
		method: 'POST',
		headers: { cookie: server.cookie, 'content-type': 'application/json' },
		body: JSON.stringify({ name: 'bench' })
	});
	if (response.status !== 201) throw new Error(`intake token: ${response.status} ${await response.text()}`);
	return ((await response.json()) as { token: string }).token;
}

/**
 * Runs the scenario on a product server of its own and logs the figures: the relay idle, then the
 * relay while the responses are sent (the sender goes on past `RESPONSES` until the relay measure
 * ends, so the whole measure is under load; the rate counts the first `RESPONSES`).
 */
export async function intakeBesideEdits(bench: IntakeBench): Promise<IntakeFigures> {
	const previousRate = process.env.INTAKE_MAX_PER_MINUTE;
	process.env.INTAKE_MAX_PER_MINUTE = UNRATED_INTAKE_PER_MINUTE; // inherited by the server started next
	try {
		return await bench.withProduct(async (server) => {
			const [room] = await server.createRooms(1, generateJourney(RELAY.touchpoints), 'intake-relay');
			const boardId = room.address.docName;
			const token = await intakeToken(server, boardId);
			const idle = await relayOnce(bench, room);

			const statuses: Record<number, number> = {};
			let next = 0;
			let measuring = true;
			let firstDoneAt = 0;
			const started = performance.now();
			const sender = async () => {
				while (next * BATCH < RESPONSES || measuring) {
					const body = JSON.stringify({ responses: batch(next++) });
					const response = await fetch(`http://127.0.0.1:${server.port}/api/intake`, {
						method: 'POST',
						headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
						body
					});
					await response.arrayBuffer();
					statuses[response.status] = (statuses[response.status] ?? 0) + 1;
					if (next * BATCH >= RESPONSES && firstDoneAt === 0) firstDoneAt = performance.now();
				}
			};
			const senders = Array.from({ length: IN_FLIGHT }, sender);
			const loaded = await relayOnce(bench, room);
			measuring = false;
			await Promise.all(senders);
			const seconds = ((firstDoneAt || performance.now()) - started) / 1000;
			const figures: IntakeFigures = {
				responses: RESPONSES,
				responsesPerSec: RESPONSES / seconds,
				idleP50: idle.completeP50,
				idleP99: idle.completeP99,
				intakeP50: loaded.completeP50,
				intakeP99: loaded.completeP99,
				statuses
			};
			bench.log(
				`product intake beside edits (${RESPONSES} responses in batches of ${BATCH}, ${IN_FLIGHT} in flight, onto the board ${RELAY.clients} clients edit at ${RELAY.rate} writes/s): ` +
					`${figures.responsesPerSec.toFixed(0)} responses/s (budget ${RESPONSES_PER_SEC_BUDGET}); ` +
					`relay idle p50 ${figures.idleP50.toFixed(2)} p99 ${figures.idleP99.toFixed(2)} ms, lost ${idle.lost}; ` +
					`during intake p50 ${figures.intakeP50.toFixed(2)} p99 ${figures.intakeP99.toFixed(2)} ms (budget ${RELAY_P99_BUDGET_MS}), lost ${loaded.lost}; ` +
					`ratio p99 ${(figures.intakeP99 / figures.idleP99).toFixed(2)}×; answers ${JSON.stringify(statuses)}; ` +
					`sent ${next * BATCH} responses in all`
			);
			return figures;
		});
	} finally {
		if (previousRate === undefined) delete process.env.INTAKE_MAX_PER_MINUTE;
		else process.env.INTAKE_MAX_PER_MINUTE = previousRate;
	}
}
