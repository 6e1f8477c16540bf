/**
 * Global setup of the `sync-pg` project: one PostgreSQL server for the whole run, started before
 * its first file and stopped (by its PID, its directory removed) after the last, instead of one
 * initdb and start per file. Files stay independent: each cluster still gets a fresh database of
 * its own, and the file's databases are dropped after it (./cluster.ts). Redis stays per cluster:
 * it starts in milliseconds, and one Redis would mix the clusters' counters and messages.
 * Where PostgreSQL is not installed nothing is started, and each file reports it as before.
 */
import type { TestProject } from 'vitest/node';
import type { RunPostgres } from './cluster';
import { missingEngines, startPostgres } from './engines';

declare module 'vitest' {
	export interface ProvidedContext {
		/** The run's PostgreSQL server (`sync-pg`); absent where each file starts its own. */
		runPostgres?: RunPostgres;
	}
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	if (missingEngines('postgresql').length > 0) return async () => {};
	const engine = await startPostgres();
	project.provide('runPostgres', { port: engine.port, pid: engine.pid, dir: engine.dir });
	return () => engine.stop();
}
