// Adds package-lock.json entries for rollup's optional per-platform binaries that the npm
// registry reachable from this workplace does not serve. `npm install` then leaves them out of
// the lock, and `npm ci` refuses a lock that lacks any optional dependency — even one for a
// platform it would skip. The entries carry `os`/`cpu`/`libc`, so npm skips them here and never
// fetches them. Idempotent; run after changing dependencies (and by .ci/run before `npm ci`).
import { readFileSync, writeFileSync } from 'node:fs';

const LOCK = 'package-lock.json';
const CPUS = ['arm64', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x', 'arm'];
const PLATFORM_PACKAGE = /^@rollup\/rollup-([a-z0-9]+)-(.+)$/;

const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
const packages = lock.packages;
const added = [];
for (const [path, meta] of Object.entries(packages)) {
	for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
		const top = `node_modules/${name}`;
		if (packages[top] || packages[`${path}/node_modules/${name}`]) continue;
		const match = PLATFORM_PACKAGE.exec(name);
		if (!match) continue;
		const [, os, rest] = match;
		const cpu = CPUS.find((candidate) => rest === candidate || rest.startsWith(`${candidate}-`));
		const libc = rest.includes('musl') ? { libc: ['musl'] } : rest.includes('gnu') ? { libc: ['glibc'] } : {};
		const entry = { version, cpu: [cpu], ...(meta.dev ? { dev: true } : {}), ...libc, license: 'MIT', optional: true, os: [os] };
		packages[top] = entry;
		added.push(name);
	}
}
if (added.length > 0) {
	lock.packages = Object.fromEntries(
		Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0))
	);
	writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
}
console.log(`complete-lockfile: ${added.length} entries added`);
