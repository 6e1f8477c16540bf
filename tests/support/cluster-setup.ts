/**
 * Setup file of the test projects that start clusters (`sync-pg`, `cluster`): after each test file,
 * whatever it left running is torn down, then the file's PostgreSQL server is stopped.
 */
import { afterAll } from 'vitest';
import { stopClusterEngines } from './cluster';
import { runCleanups } from './product-process';

afterAll(async () => {
	await runCleanups();
	await stopClusterEngines();
});
