// Bundles server/index.ts into build/app-server.js beside the SvelteKit handler.
import { build } from 'esbuild';

await build({
	entryPoints: ['server/index.ts'],
	outfile: 'build/app-server.js',
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	packages: 'external',
	external: ['./handler.js'],
	sourcemap: true,
	logLevel: 'warning'
});
