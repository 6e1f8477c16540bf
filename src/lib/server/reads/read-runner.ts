import { deriveRead, type ReadResult, type ReadTask } from './derive';

/** Where reads are done: the production server's worker pool, or this thread when none is registered. */
export interface ReadRunner {
	run(task: ReadTask): Promise<ReadResult>;
}

const RUNNER_KEY = Symbol.for('journey-workspace.read-runner');
type GlobalWithRunner = typeof globalThis & { [RUNNER_KEY]?: ReadRunner };

/**
 * Registers the worker pool. The production server and the SvelteKit handler are bundled apart
 * but share a process, so the server registers its pool on `globalThis` (like the sync hub).
 */
export function registerReadRunner(runner: ReadRunner): void {
	(globalThis as GlobalWithRunner)[RUNNER_KEY] = runner;
}

/**
 * The registered pool; without one (`vite dev`, unit tests) reads are done in-process, still
 * cached and still within the size and rate limits, but on the event loop.
 */
export function readRunner(): ReadRunner {
	return (globalThis as GlobalWithRunner)[RUNNER_KEY] ?? IN_PROCESS;
}

const IN_PROCESS: ReadRunner = { run: deriveRead };
