import { sveltekit } from '@sveltejs/kit/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/** In `vite dev`, the same sync server attaches to Vite's HTTP server, so dev syncs live too. */
function syncInDev(): Plugin {
	return {
		name: 'journey-sync-dev',
		apply: 'serve',
		async configureServer(server) {
			const httpServer = server.httpServer;
			if (!httpServer) return;
			const { initDb } = await import('./src/lib/server/db');
			const { registerSyncHub } = await import('./src/lib/server/sync-hub');
			const { attachSync, createSyncServer } = await import('./server/sync');
			const sync = createSyncServer(await initDb());
			registerSyncHub(sync.hub);
			attachSync(httpServer as import('node:http').Server, sync);
			httpServer.once('listening', () => {
				const address = httpServer.address();
				if (!process.env.ORIGIN && address && typeof address === 'object') {
					process.env.ORIGIN = `http://localhost:${address.port}`;
				}
			});
			httpServer.once('close', () => void sync.close());
		}
	};
}

export default defineConfig({
	plugins: [sveltekit(), syncInDev()],
	test: {
		// A test that asserts nothing cannot fail: every test must make at least one assertion.
		expect: { requireAssertions: true },
		projects: [
			{
				extends: true,
				test: { name: 'unit', include: ['src/**/*.test.ts', 'server/**/*.test.ts'], environment: 'node' }
			},
			{
				extends: true,
				test: {
					name: 'sync',
					include: ['tests/sync/**/*.test.ts'],
					environment: 'node',
					testTimeout: 60_000,
					hookTimeout: 120_000,
					fileParallelism: false
				}
			},
			{
				// The sync suite again, each server being two processes on PostgreSQL + Redis behind a
				// round-robin proxy (tests/sync/helpers.ts `newServer`); one PostgreSQL server for the
				// whole run, a fresh database on it for each cluster.
				extends: true,
				test: {
					name: 'sync-pg',
					include: ['tests/sync/**/*.test.ts'],
					environment: 'node',
					env: { SYNC_ON_POSTGRES: '1' },
					globalSetup: ['tests/support/run-postgres.ts'],
					setupFiles: ['tests/support/cluster-setup.ts'],
					testTimeout: 90_000,
					hookTimeout: 120_000,
					fileParallelism: false
				}
			},
			{
				extends: true,
				test: {
					name: 'cluster',
					include: ['tests/cluster/**/*.test.ts'],
					environment: 'node',
					setupFiles: ['tests/support/cluster-setup.ts'],
					testTimeout: 120_000,
					hookTimeout: 120_000,
					fileParallelism: false
				}
			}
		]
	}
});
