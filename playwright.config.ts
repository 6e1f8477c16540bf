import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';

/** Debian's Chromium when present (Playwright cannot download its own here); Playwright's otherwise. */
const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export default defineConfig({
	testDir: 'tests/e2e',
	timeout: 60_000,
	expect: { timeout: 10_000 },
	fullyParallel: false,
	workers: 1,
	retries: process.env.CI ? 1 : 0,
	reporter: [['list']],
	globalSetup: './tests/e2e/global-setup.ts',
	use: {
		baseURL: process.env.E2E_BASE_URL,
		screenshot: 'only-on-failure',
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
