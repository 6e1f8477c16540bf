// Builds the app (`npm run build`) when build/app-server.js is missing or older than the sources.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const SOURCES = ['src', 'server', 'static', 'drizzle', 'package.json', 'svelte.config.js', 'vite.config.ts', 'scripts/build-server.js'];
export const BUILT = 'build/app-server.js';

/** @param {string} path */
function newestChange(path) {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
	return newest;
}

/** Runs `npm run build` in the current directory when the build is stale; exits the process if it fails. */
export function buildIfStale() {
	const stale = !existsSync(BUILT) || Math.max(...SOURCES.map(newestChange)) > statSync(BUILT).mtimeMs;
	if (!stale) return;
	console.log('Building the app…');
	const result = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

// `node scripts/build-if-stale.js`: the test scripts build first, so a run never exercises an old build.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) buildIfStale();
