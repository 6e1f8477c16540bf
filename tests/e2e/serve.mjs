// Starts the built app for the browser tests, loopback only, in one temporary directory that is
// removed again when Playwright stops the server:
//   app/           a copy of build/, so a `npm run build` running meanwhile (another terminal, a
//                  watcher) cannot swap the client assets out from under a test run
//   node_modules   a link to the project's, for the packages the server bundle leaves external
//   data/          a fresh DATA_DIR
// Playwright's `webServer` runs this file and reads the "listening on" line for the port
// (E2E_PORT; default 0 = any free port). The working directory stays the project root, where
// the server finds drizzle/ for its migrations.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BUILD_DIR = 'build';
const APP_SERVER = 'app-server.js';

if (!existsSync(join(BUILD_DIR, APP_SERVER))) {
	console.error(`${BUILD_DIR}/${APP_SERVER} is missing: run \`npm run build\` before the browser tests.`);
	process.exit(1);
}

const root = mkdtempSync(join(tmpdir(), 'journey-e2e-'));
const removeRoot = () => rmSync(root, { recursive: true, force: true }); // does not follow the link
let server;
try {
	cpSync(BUILD_DIR, join(root, 'app'), { recursive: true });
	symlinkSync(resolve('node_modules'), join(root, 'node_modules'), 'dir');
	const env = { ...process.env, PORT: process.env.E2E_PORT || '0', HOST: '127.0.0.1', DATA_DIR: join(root, 'data') };
	env.SIGNUP_MAX_PER_HOUR ||= '100000'; // every person of the browser tests signs up from loopback
	env.INVITES_MAX_PER_HOUR ||= '100000'; // suites' owners share with many people, through personal invites
	delete env.ORIGIN; // the default, http://localhost:<port>, is the base URL the tests use
	server = spawn(process.execPath, [join(root, 'app', APP_SERVER)], { stdio: 'inherit', env });
} catch (error) {
	removeRoot();
	throw error;
}

// Playwright signals the whole process group; the server shuts itself down on the same signal,
// and this process only waits for that to finish before removing the directory.
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.kill(signal));

server.on('exit', (code, signal) => {
	removeRoot();
	process.exit(code ?? (signal ? 1 : 0));
});
