/**
 * Setup file of the test projects that start clusters (`sync-pg`, `cluster`): the file's clusters
 * use the run's PostgreSQL server where a global setup started one (./run-postgres.ts); after each
 * test file, whatever it left running is torn down, then the file's PostgreSQL server is stopped
 * (or its databases on the run's server are dropped).
 */
import { afterAll, inject } from 'vitest';
import { stopClusterEngines, useRunPostgres } from './cluster';
import { runCleanups } from './product-process';

const runPostgres = inject('runPostgres');
if (runPostgres) useRunPostgres(runPostgres);

afterAll(async () => {
	await runCleanups();
	await stopClusterEngines();
});
