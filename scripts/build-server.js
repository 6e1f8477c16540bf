// Bundles server/index.ts into build/app-server.js beside the SvelteKit handler, and the render
// worker's entry into build/render-worker.js next to it (the server starts it from there).
import { build } from 'esbuild';

await build({
	entryPoints: { 'app-server': 'server/index.ts', 'render-worker': 'src/lib/server/reads/render-worker.ts' },
	outdir: 'build',
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	packages: 'external',
	external: ['./handler.js'],
	sourcemap: true,
	logLevel: 'warning'
});
