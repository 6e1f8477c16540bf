// `npm run bench`: builds the app when stale, bundles tests/bench/ (TypeScript) with esbuild and
// runs it. See tests/bench/main.ts for the knobs (BENCH_QUICK=1 for a short run).
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { buildIfStale } from './build-if-stale.js';

const OUT_DIR = 'node_modules/.cache/journey-bench';

buildIfStale();
await build({
	entryPoints: [
		'tests/bench/main.ts',
		'tests/bench/load-worker.ts',
		'tests/bench/scale-worker.ts',
		'tests/bench/storage-bench.ts',
		'tests/bench/commit-bench.ts'
	],
	outdir: OUT_DIR,
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	packages: 'external',
	sourcemap: true,
	logLevel: 'warning'
});
const result = spawnSync(process.execPath, ['--enable-source-maps', join(OUT_DIR, 'main.js')], {
	stdio: 'inherit',
	env: { ...process.env, BENCH_ROOT: resolve('.') }
});
process.exit(result.status ?? 1);
