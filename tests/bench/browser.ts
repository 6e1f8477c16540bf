/**
 * The canvas in headless Chromium against the product: how long a 1,000-touchpoint board takes to
 * show its cards, and the frame times while a card is dragged and while remote moves arrive.
 */
import { chromium, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import type { LoadRoom } from './load-worker';
import { percentile } from './stats';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** The board counts as shown once its card count has not changed for this long. */
const SHOWN_STABLE_MS = 1_000;
const SHOWN_TIMEOUT_MS = 30_000;
/** Drag: this many pointer moves, one per frame at 60 Hz. */
const DRAG_STEPS = 90;
const FRAME_MS = 1000 / 60;

export interface FrameFigures {
	meanMs: number;
	p95Ms: number;
	fps: number;
	frames: number;
}

export interface BrowserFigures {
	firstCardMs: number;
	shownMs: number;
	cardsShown: number;
	drag: FrameFigures;
	remote: FrameFigures;
}

/** Records the page's card count changes from navigation start (installed before any page script). */
const SHOWN_PROBE = `(() => {
	const probe = (window.__bench = { first: 0, last: 0, count: 0 });
	const check = () => {
		const count = document.querySelectorAll('[data-testid=touchpoint]').length;
		if (count !== probe.count) {
			const now = performance.now();
			if (!probe.first && count > 0) probe.first = now;
			probe.count = count;
			probe.last = now;
		}
	};
	new MutationObserver(check).observe(document, { childList: true, subtree: true });
})();`;

async function startFrames(page: Page): Promise<void> {
	await page.evaluate(() => {
		const w = window as unknown as { __frames: number[]; __framesOn: boolean };
		w.__frames = [];
		w.__framesOn = true;
		const tick = (time: number) => {
			w.__frames.push(time);
			if (w.__framesOn) requestAnimationFrame(tick);
		};
		requestAnimationFrame(tick);
	});
}

async function stopFrames(page: Page): Promise<FrameFigures> {
	const times = await page.evaluate(() => {
		const w = window as unknown as { __frames: number[]; __framesOn: boolean };
		w.__framesOn = false;
		return w.__frames;
	});
	const intervals = times.slice(1).map((time, index) => time - times[index]);
	const mean = intervals.reduce((sum, value) => sum + value, 0) / Math.max(1, intervals.length);
	return { meanMs: mean, p95Ms: percentile(intervals, 95), fps: 1000 / mean, frames: intervals.length };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Opens the board as its owner and measures. `remoteMoves` starts 60 moves/s from another client
 * and resolves when they are done.
 */
export async function measureBrowser(
	origin: string,
	cookie: string,
	room: LoadRoom,
	remoteMoves: () => Promise<{ started: Promise<void>; done: Promise<unknown> }>
): Promise<BrowserFigures> {
	const browser = await chromium.launch({
		headless: true,
		executablePath: existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined,
		args: CHROMIUM_ARGS
	});
	try {
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
		const [name, value] = cookie.split('=');
		await context.addCookies([{ name, value, url: origin, httpOnly: true, sameSite: 'Lax' }]);
		await context.addInitScript(SHOWN_PROBE);
		const page = await context.newPage();
		await page.goto(`${origin}/boards/${room.address.docName}`);
		await page.waitForFunction(
			(stableMs) => {
				const probe = (window as unknown as { __bench: { count: number; last: number } }).__bench;
				return probe.count > 0 && performance.now() - probe.last > stableMs;
			},
			SHOWN_STABLE_MS,
			{ timeout: SHOWN_TIMEOUT_MS, polling: 100 }
		);
		const shown = await page.evaluate(() => (window as unknown as { __bench: { first: number; last: number; count: number } }).__bench);

		// Drag the card nearest the middle of the screen, one pointer move per frame.
		const card = page.locator('[data-testid=touchpoint]').nth(Math.floor(shown.count / 2));
		const box = (await card.boundingBox())!;
		const startX = box.x + box.width / 2;
		const startY = box.y + box.height / 2;
		await page.mouse.move(startX, startY);
		await startFrames(page);
		await page.mouse.down();
		const dragStarted = performance.now();
		for (let step = 1; step <= DRAG_STEPS; step++) {
			await page.mouse.move(startX + step * 3, startY + Math.sin(step / 10) * 40);
			const due = dragStarted + step * FRAME_MS;
			const wait = due - performance.now();
			if (wait > 0) await sleep(wait);
		}
		await page.mouse.up();
		const drag = await stopFrames(page);

		// Remote moves arrive at 60/s while the page just shows them.
		const remote = await remoteMoves();
		await remote.started;
		await startFrames(page);
		await remote.done;
		const remoteFrames = await stopFrames(page);
		return { firstCardMs: shown.first, shownMs: shown.last, cardsShown: shown.count, drag, remote: remoteFrames };
	} finally {
		await browser.close();
	}
}
