/**
 * The edit relay the side-by-side scenarios (reads, intake) measure: a small room of collaborators
 * editing steadily, one step of warm-up and measurement at a time.
 */
import type { Job, JobResult, LoadRoom, StepResult } from './load-worker';

const QUICK = process.env.BENCH_QUICK === '1';

/** The measured board: a small room of collaborators editing steadily. */
export const RELAY = { touchpoints: 200, clients: 10, writers: 2, rate: 20 };
const WARMUP_MS = QUICK ? 1_000 : 2_000;
const DURATION_MS = QUICK ? 5_000 : 10_000;

/** What measuring needs of the suite: its load-generator job. */
export interface RelayRunner {
	runFanout(job: Extract<Job, { kind: 'fanout' }>): Promise<Extract<JobResult, { kind: 'fanout' }>>;
}

/** One measured step of the room's edit relay. */
export function relayOnce(bench: RelayRunner, room: LoadRoom): Promise<StepResult> {
	return bench
		.runFanout({
			kind: 'fanout',
			rooms: [room],
			clientsPerRoom: RELAY.clients,
			writersPerRoom: RELAY.writers,
			steps: [{ rate: RELAY.rate, warmupMs: WARMUP_MS, durationMs: DURATION_MS }]
		})
		.then(({ steps }) => steps[0]);
}
