import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';

/** Debian's Chromium when present (Playwright cannot download its own here); Playwright's otherwise. */
const SYSTEM_CHROMIUM = '/usr/bin/chromium';
/** How long the built server may take to print its "listening" line. */
const SERVER_START_TIMEOUT_MS = 30_000;
/** How long the server may take to close its sockets and database when the run ends. */
const SERVER_STOP_TIMEOUT_MS = 10_000;

/**
 * The port is captured from the server's start-up line into E2E_PORT (Playwright copies named
 * groups of `wait.stdout` into the environment before workers start). Set E2E_PORT to pin a port;
 * by default the server takes any free one, so parallel runs on one machine cannot collide.
 * The base URL uses `localhost`, the server's default ORIGIN, which the CSRF and WebSocket origin
 * checks compare against.
 */
const baseURL = process.env.E2E_PORT && process.env.E2E_PORT !== '0' ? `http://localhost:${process.env.E2E_PORT}` : undefined;

export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: 'test-results',
	timeout: 60_000,
	expect: { timeout: 10_000 },
	fullyParallel: false,
	workers: 1,
	forbidOnly: !!process.env.CI,
	retries: 0,
	reporter: [['list']],
	webServer: {
		command: 'node tests/e2e/serve.mjs',
		wait: { stdout: /Journey workspace listening on http:\/\/127\.0\.0\.1:(?<e2e_port>\d+)/ },
		timeout: SERVER_START_TIMEOUT_MS,
		gracefulShutdown: { signal: 'SIGTERM', timeout: SERVER_STOP_TIMEOUT_MS },
		stdout: 'ignore',
		stderr: 'pipe'
	},
	use: {
		baseURL,
		locale: 'en-US',
		viewport: { width: 1280, height: 800 },
		screenshot: 'only-on-failure',
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath: existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--disable-quic',
				'--no-first-run'
			]
		}
	}
});
