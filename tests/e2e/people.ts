import {
	expect,
	type Browser,
	type BrowserContext,
	type BrowserContextOptions,
	type Locator,
	type Page,
	type WebSocketRoute
} from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

/** Step screenshots land here (gitignored) for a person to look at. */
export const SCREENSHOT_DIR = join(import.meta.dirname, 'screenshots');
const PASSWORD = 'correct horse battery';

export type Role = 'owner' | 'editor' | 'commenter' | 'viewer';

/** One person at the board: their own browser context (cookies, IndexedDB), page and account. */
export interface Person {
	label: string;
	name: string;
	email: string;
	context: BrowserContext;
	page: Page;
}

/** A touchpoint as the journey API reports it (only the fields these tests read). */
export interface JourneyTouchpoint {
	id: string;
	title: string;
	kind: string;
	x: number;
	y: number;
}

/** Opens a fresh browser context for someone and signs them up through the sign-up page. */
export async function signUp(browser: Browser, label: string, name: string, options: BrowserContextOptions = {}): Promise<Person> {
	const context = await browser.newContext(options);
	const page = await context.newPage();
	const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
	await page.goto('/signup');
	const form = page.locator('form', { has: page.locator('input[name=password]') });
	await form.locator('input[name=name]').fill(name);
	await form.locator('input[name=email]').fill(email);
	await form.locator('input[name=password]').fill(PASSWORD);
	await form.locator('button[type=submit]').click();
	await expect(page).toHaveURL(/\/boards$/);
	return { label, name, email, context, page };
}

/**
 * Opens a fresh browser context for someone and signs them up through the API (quicker, for
 * suites that are not about signing up); the page is left blank until the test navigates.
 */
export async function signUpViaApi(browser: Browser, label: string, name: string, options: BrowserContextOptions = {}): Promise<Person> {
	const context = await browser.newContext(options);
	const page = await context.newPage();
	const email = `${label}-${randomUUID().slice(0, 8)}@example.com`;
	const response = await page.request.post('/api/auth/signup', { data: { email, password: PASSWORD, name } });
	expect(response.status(), await response.text()).toBe(201);
	return { label, name, email, context, page };
}

/** Creates a board from the /boards page form; returns its id once its page is open. */
export async function createBoard(owner: Person, title: string, template: 'blank' | 'lifecycle' | 'bank-branch'): Promise<string> {
	const { page } = owner;
	const form = page.locator('form.create');
	await form.locator('input[name=title]').fill(title);
	await form.locator(`input[name=template][value="${template}"]`).check();
	await form.locator('button[type=submit]').click();
	await expect(page).toHaveURL(/\/boards\/[^/]+$/);
	return new URL(page.url()).pathname.split('/').pop()!;
}

/** Adds a member through the owner's Share dialog (opening it if needed) and waits until the member list shows them. */
export async function share(owner: Person, member: Person, role: Role): Promise<void> {
	const { page } = owner;
	const dialog = page.getByTestId('share-dialog');
	if (!(await dialog.isVisible())) await page.getByTestId('share').click();
	await expect(dialog).toBeVisible();
	await dialog.getByTestId('share-email').fill(member.email);
	await dialog.getByTestId('share-role').selectOption(role);
	await dialog.getByRole('button', { name: 'Add' }).click();
	// Without mail nobody's address is confirmed: the dialog hands over a personal invite link, which the member opens.
	await acceptPersonalInvite(member, await dialog.getByTestId('invite-offer-link').inputValue());
	await expect(dialog.getByRole('listitem').filter({ hasText: member.email })).toBeVisible();
}

/** The member accepts a personal invite link through the API (what "Join" on its page does). */
export async function acceptPersonalInvite(member: Person, url: string): Promise<void> {
	const token = new URL(url).pathname.split('/').pop();
	const response = await member.page.request.post('/api/invites/accept', { data: { token } });
	expect(response.status(), await response.text()).toBe(200);
}

/** Closes the owner's Share dialog. */
export async function closeShareDialog(owner: Person): Promise<void> {
	const dialog = owner.page.getByTestId('share-dialog');
	await dialog.getByRole('button', { name: 'Close' }).click();
	await expect(dialog).toBeHidden();
}

/** Goes to the board through the person's board list (as a member would) and waits for sync. */
export async function openFromBoardList(person: Person, boardId: string): Promise<void> {
	await person.page.goto('/boards');
	await person.page.locator(`a[href="/boards/${boardId}"]`).click();
	await expect(person.page).toHaveURL(new RegExp(`/boards/${boardId}$`));
	await expectSynced(person.page);
}

export async function expectSynced(page: Page): Promise<void> {
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'synced');
}

/** The touchpoint card with this title. */
export function card(page: Page, title: string): Locator {
	return page.locator(`[data-testid=touchpoint][data-title="${title}"]`);
}

/** The board as the server has it, read through the person's session. */
export async function serverTouchpoints(person: Person, boardId: string): Promise<JourneyTouchpoint[]> {
	const response = await person.page.request.get(`/api/boards/${boardId}/journey`);
	expect(response.status()).toBe(200);
	return (await response.json()).touchpoints;
}

/** Presses on the card's middle and drags it by (dx, dy) screen pixels in small moves. */
export async function dragCard(page: Page, target: Locator, dx: number, dy: number): Promise<void> {
	const pane = await page.locator('.svelte-flow__pane').boundingBox();
	const seen = await target.boundingBox();
	// A card beyond the view (boards open at a readable zoom on their start) is scrolled to first.
	if (
		pane &&
		seen &&
		(seen.x < pane.x || seen.y < pane.y || seen.x + seen.width > pane.x + pane.width || seen.y + seen.height > pane.y + pane.height)
	) {
		await revealOnCanvas(page, target);
	}
	const box = await target.boundingBox();
	if (!box) throw new Error('card is not visible');
	const x = box.x + box.width / 2;
	const y = box.y + box.height / 2;
	await page.mouse.move(x, y);
	await page.mouse.down();
	await page.mouse.move(x + dx, y + dy, { steps: 12 });
	await page.mouse.up();
}

/** Saves a full-page screenshot of everyone's view, named by step, into SCREENSHOT_DIR. */
export async function screenshotAll(step: string, people: Person[]): Promise<void> {
	mkdirSync(SCREENSHOT_DIR, { recursive: true });
	for (const person of people) {
		await person.page.screenshot({ path: join(SCREENSHOT_DIR, `${step}-${person.label}.png`), fullPage: false });
	}
}

/**
 * Where the card sits on the canvas in flow coordinates (Svelte Flow's node transform), which
 * panning or zooming the view does not change; `null` while the card is not there.
 */
export async function flowPosition(target: Locator): Promise<{ x: number; y: number } | null> {
	const transform = await target.evaluate(
		(element) => (element.closest('.svelte-flow__node') as HTMLElement | null)?.style.transform ?? ''
	);
	const match = /translate\((-?[\d.]+)px,\s*(-?[\d.]+)px\)/.exec(transform);
	return match ? { x: Number(match[1]), y: Number(match[2]) } : null;
}

// ── helpers for the canvas, comments and summary suites ──────────────────────────────────────

export type Template = 'blank' | 'lifecycle' | 'bank-branch';

/** The journey JSON (`journey-map/v1`) as the server has it, read through the person's session. */
export interface Journey {
	format: string;
	title: string;
	stages: { id: string; name: string; order: number }[];
	lanes: { id: string; name: string; order: number; type: string }[];
	touchpoints: (JourneyTouchpoint & Record<string, unknown>)[];
	links: Record<string, unknown>[];
	evidence: { id: string; touchpointId: string; type: string; text: string; count: number | null; fileId: string; url: string }[];
}

/** Creates a board through the API (from a template, or from journey JSON); returns its id. */
export async function createBoardViaApi(owner: Person, title: string, from: Template | { journey: unknown }): Promise<string> {
	const data = typeof from === 'string' ? { title, template: from } : { title, journey: from.journey };
	const response = await owner.page.request.post('/api/boards', { data });
	expect(response.status(), await response.text()).toBe(201);
	return (await response.json()).id;
}

/** Adds a member through the API (what the Share dialog does), for suites that are not about sharing. */
export async function shareViaApi(owner: Person, boardId: string, member: Person, role: Role): Promise<void> {
	const response = await owner.page.request.post(`/api/boards/${boardId}/members`, { data: { email: member.email, role } });
	if (response.status() === 202) {
		await acceptPersonalInvite(member, (await response.json()).invite.url);
		return;
	}
	expect(response.status(), await response.text()).toBe(201);
}

/** Opens the board page directly and waits until it is synced with the server. */
export async function openBoard(person: Person, boardId: string): Promise<void> {
	await person.page.goto(`/boards/${boardId}`);
	await expectSynced(person.page);
}

/** The whole board as journey JSON, as the server has it, read through the person's session. */
export async function serverJourney(person: Person, boardId: string): Promise<Journey> {
	const response = await person.page.request.get(`/api/boards/${boardId}/journey`);
	expect(response.status()).toBe(200);
	return (await response.json()) as Journey;
}

/** Stage names in board order, as the canvas headers show them. */
export async function stageNames(page: Page): Promise<string[]> {
	return (
		await page
			.getByTestId('stage-header')
			.evaluateAll((headers) =>
				headers.map((header) => ({ name: header.getAttribute('data-stage') ?? '', left: parseFloat((header as HTMLElement).style.left) }))
			)
	)
		.sort((a, b) => a.left - b.left)
		.map((header) => header.name);
}

/** Lane names top to bottom, as the canvas headers show them. */
export async function laneNames(page: Page): Promise<string[]> {
	return (
		await page
			.getByTestId('lane-header')
			.evaluateAll((headers) =>
				headers.map((header) => ({ name: header.getAttribute('data-lane') ?? '', top: parseFloat((header as HTMLElement).style.top) }))
			)
	)
		.sort((a, b) => a.top - b.top)
		.map((header) => header.name);
}

/** Titles of the touchpoint cards the canvas renders, sorted. */
export async function cardTitles(page: Page): Promise<string[]> {
	return (await page.getByTestId('touchpoint').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-title') ?? ''))).sort();
}

/** Renames a stage or lane by double-clicking its name and typing into the field that appears. */
async function renameHeader(page: Page, header: Locator, name: string): Promise<void> {
	const pane = await page.locator('.svelte-flow__pane').boundingBox();
	const box = await header.boundingBox();
	// A header beyond the view (boards open at a readable zoom on their start) is scrolled to first.
	if (pane && box && (box.x < pane.x || box.x + box.width > pane.x + pane.width)) await revealOnCanvas(page, header.locator('.name'));
	await header.locator('.name').dblclick();
	const input = header.locator('input');
	await expect(input).toBeFocused();
	await input.fill(name);
	await input.press('Enter');
	await expect(input).toHaveCount(0);
}

export async function renameStage(page: Page, from: string, to: string): Promise<void> {
	await renameHeader(page, page.locator(`[data-testid=stage-header][data-stage="${from}"]`), to);
}

export async function renameLane(page: Page, from: string, to: string): Promise<void> {
	await renameHeader(page, page.locator(`[data-testid=lane-header][data-lane="${from}"]`), to);
}

/** Fits the whole grid into view (the F shortcut), so every card is rendered. */
export async function fitView(page: Page): Promise<void> {
	// The shortcut is ignored while a form field has the focus.
	await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
	await page.keyboard.press('f');
}

/** Selects a touchpoint by clicking its card (fitting the grid first if it is not rendered). */
export async function selectCard(page: Page, title: string): Promise<void> {
	if ((await card(page, title).count()) === 0) await fitView(page);
	await card(page, title).click();
	await expect(page.getByTestId('inspector').getByTestId('touchpoint-title')).toHaveValue(title);
}

/** Evidence as typed into the inspector's evidence form. */
export interface EvidenceInput {
	type: 'quote' | 'metric' | 'observation' | 'link' | 'file';
	text?: string;
	value?: number;
	unit?: string;
	count?: number;
	source?: string;
	url?: string;
	file?: { name: string; mimeType: string; buffer: Buffer };
}

/** Adds one evidence item to the selected touchpoint through the inspector's form. */
export async function addEvidence(page: Page, evidence: EvidenceInput): Promise<void> {
	const panel = page.getByTestId('evidence-panel');
	const before = await panel.getByTestId('evidence-item').count();
	await panel.getByTestId('add-evidence').click();
	const form = panel.getByTestId('evidence-form');
	await form.getByTestId('evidence-type').selectOption(evidence.type);
	if (evidence.file) {
		await form.getByTestId('evidence-file').setInputFiles(evidence.file);
		await expect(form.getByTestId('evidence-save')).toBeEnabled();
		await expect(form.getByText('✓')).toBeVisible();
	}
	if (evidence.text !== undefined) await form.getByTestId('evidence-text').fill(evidence.text);
	if (evidence.value !== undefined) await form.getByTestId('evidence-value').fill(String(evidence.value));
	if (evidence.unit !== undefined) await form.getByTestId('evidence-unit').fill(evidence.unit);
	if (evidence.count !== undefined) await form.getByTestId('evidence-count-input').fill(String(evidence.count));
	if (evidence.source !== undefined) await form.getByTestId('evidence-source').fill(evidence.source);
	if (evidence.url !== undefined) await form.getByTestId('evidence-url').fill(evidence.url);
	await form.getByTestId('evidence-save').click();
	await expect(form).toHaveCount(0);
	await expect(panel.getByTestId('evidence-item')).toHaveCount(before + 1);
}

/**
 * Saves a screenshot of one page into SCREENSHOT_DIR; returns its path. With `whole`, the window
 * is made tall enough for everything in it first: the app scrolls inside its <main>, not the
 * document, so Playwright's `fullPage` alone would stop at the window's edge.
 */
export async function screenshotPage(page: Page, name: string, whole = false): Promise<string> {
	mkdirSync(SCREENSHOT_DIR, { recursive: true });
	const path = join(SCREENSHOT_DIR, `${name}.png`);
	const viewport = page.viewportSize();
	if (whole && viewport) {
		const height = await page.evaluate(() => {
			const main = document.querySelector('main');
			return document.documentElement.scrollHeight + (main ? main.scrollHeight - main.clientHeight : 0);
		});
		await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
		try {
			await page.screenshot({ path, fullPage: true });
		} finally {
			await page.setViewportSize(viewport);
		}
	} else {
		await page.screenshot({ path });
	}
	return path;
}

/** Closes everyone's browser context (for afterEach). */
export async function closeAll(people: Person[]): Promise<void> {
	for (const person of people) await person.context.close();
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(bytes: Buffer): number {
	let crc = 0xffffffff;
	for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([length, body, crc]);
}

/** A small, valid RGB PNG of one colour (a real image the browser can decode). */
export function tinyPng(width = 8, height = 8, rgb: [number, number, number] = [194, 37, 92]): Buffer {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, truecolour, deflate, no filter, no interlace
	const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
	const pixels = Buffer.concat(Array.from({ length: height }, () => row));
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', header),
		pngChunk('IDAT', deflateSync(pixels)),
		pngChunk('IEND', Buffer.alloc(0))
	]);
}

/**
 * The person's line to the sync server, which a test can cut and restore. Chromium's offline
 * emulation (`context.setOffline`) refuses new requests but leaves an open WebSocket alone, so
 * "going offline" here also closes the board's sync sockets and refuses new ones until the
 * person is back online (what a real network drop does, sooner or later). Attach before the
 * board page opens: it routes the context's `/sync/` WebSockets through Playwright.
 */
export class SyncLine {
	#blocked = false;
	readonly #open = new Set<WebSocketRoute>();

	private constructor(private readonly person: Person) {}

	static async attach(person: Person): Promise<SyncLine> {
		const line = new SyncLine(person);
		await person.context.routeWebSocket(/\/sync\//, (socket) => line.#route(socket));
		return line;
	}

	#route(socket: WebSocketRoute): void {
		if (this.#blocked) {
			void socket.close({ code: 4000, reason: 'offline (test)' }).catch(() => {});
			return;
		}
		this.#open.add(socket);
		socket.connectToServer();
	}

	/** Cuts the sync line: sockets close and reconnects fail. `network` also takes the whole context offline. */
	async cut({ network }: { network: boolean }): Promise<void> {
		this.#blocked = true;
		if (network) await this.person.context.setOffline(true);
		for (const socket of this.#open) await socket.close({ code: 4000, reason: 'offline (test)' }).catch(() => {});
		this.#open.clear();
	}

	/** Restores the network (if it was taken away) and lets the next reconnect through. */
	async restore(): Promise<void> {
		await this.person.context.setOffline(false);
		this.#blocked = false;
	}
}

/** Whether the board's IndexedDB copy in this page holds `text` (Yjs stores strings as plain UTF-8). */
export async function localCopyHas(page: Page, boardId: string, text: string): Promise<boolean> {
	return page.evaluate(
		({ name, text }) =>
			new Promise<boolean>((resolve, reject) => {
				const request = indexedDB.open(name);
				request.onerror = () => reject(request.error);
				request.onsuccess = () => {
					const db = request.result;
					if (!db.objectStoreNames.contains('updates')) return resolve(false);
					const all = db.transaction('updates').objectStore('updates').getAll();
					all.onerror = () => reject(all.error);
					all.onsuccess = () => {
						const needle = new TextEncoder().encode(text);
						const contains = (bytes: Uint8Array) => {
							outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
								for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
								return true;
							}
							return false;
						};
						resolve((all.result as Uint8Array[]).some((update) => contains(new Uint8Array(update))));
						db.close();
					};
				};
			}),
		{ name: `journey-board-${boardId}`, text }
	);
}

/** A small journey (two stages, one lane) with the given touchpoints, for boards made through the API. */
export function smallJourney(title: string, touchpoints: { id: string; title: string; kind?: string; emotion?: number }[]) {
	return {
		format: 'journey-map/v1',
		title,
		stages: [
			{ id: 'stage-a', name: 'Arrival', order: 1 },
			{ id: 'stage-b', name: 'Service', order: 2 }
		],
		lanes: [{ id: 'lane-t', name: 'Touchpoints', order: 1, type: 'touchpoints' }],
		touchpoints: touchpoints.map((touchpoint, index) => ({
			stageId: index % 2 === 0 ? 'stage-a' : 'stage-b',
			laneId: 'lane-t',
			description: '',
			kind: 'neutral',
			channel: '',
			owner: '',
			x: 40 + (index % 2) * 640 + Math.floor(index / 2) * 160,
			y: 40,
			...touchpoint
		})),
		links: [],
		evidence: []
	};
}

/**
 * Drags the canvas background by (dx, dy) screen pixels, as a person pans the view. The drag
 * starts on a spot of bare background (no card, header or button), found with elementFromPoint.
 */
export async function panCanvas(page: Page, dx: number, dy: number): Promise<void> {
	const start = await page.evaluate(
		({ dx, dy }) => {
			const pane = document.querySelector('.svelte-flow__pane');
			if (!pane) return null;
			const box = pane.getBoundingClientRect();
			const inside = (x: number, y: number) => x > box.left + 40 && x < box.right - 40 && y > box.top + 40 && y < box.bottom - 40;
			for (let fy = 0.1; fy < 0.95; fy += 0.05) {
				for (let fx = 0.1; fx < 0.95; fx += 0.05) {
					const x = box.left + box.width * fx;
					const y = box.top + box.height * fy;
					if (document.elementFromPoint(x, y) === pane && inside(x + dx, y + dy)) return { x, y };
				}
			}
			return null;
		},
		{ dx, dy }
	);
	if (!start) throw new Error(`no bare canvas background to drag by (${dx}, ${dy})`);
	await page.mouse.move(start.x, start.y);
	await page.mouse.down();
	await page.mouse.move(start.x + dx, start.y + dy, { steps: 10 });
	await page.mouse.up();
}

/** How close to the canvas's middle `revealOnCanvas` brings an element, in screen pixels. */
const REVEAL_TOLERANCE_PX = 24;

/**
 * Scrolls the canvas (the wheel pans it) until the element (a card, a grid button, a header) sits
 * near the middle of the canvas, however far along the journey it is.
 */
export async function revealOnCanvas(page: Page, target: Locator): Promise<void> {
	const pane = await page.locator('.svelte-flow__pane').boundingBox();
	if (!pane) throw new Error('canvas is not there');
	await page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 2);
	for (let attempt = 0; attempt < 8; attempt++) {
		const box = await target.boundingBox();
		if (!box) throw new Error('element is not there');
		const dx = pane.x + pane.width / 2 - (box.x + box.width / 2);
		const dy = pane.y + pane.height / 2 - (box.y + box.height / 2);
		if (Math.abs(dx) <= REVEAL_TOLERANCE_PX && Math.abs(dy) <= REVEAL_TOLERANCE_PX) return;
		// Svelte Flow pans half a pixel per wheel unit (its default pan-on-scroll speed).
		await page.mouse.wheel(-2 * dx, -2 * dy);
	}
}

/**
 * Types a comment into the comments panel's box: `before` (ending in "@" and the start of a
 * name), picks `mention` from the suggestions, types `after`, and sends it.
 */
export async function writeComment(page: Page, before: string, mention: string | null, after = ''): Promise<void> {
	const panel = page.getByTestId('comments-panel');
	const input = panel.getByTestId('comment-input').first();
	await input.click();
	await input.pressSequentially(before);
	if (mention) {
		await panel
			.getByTestId('mention-option')
			.filter({ hasText: `@${mention}` })
			.click();
		await expect(input).toBeFocused();
	}
	if (after) await input.pressSequentially(after);
	await panel.getByTestId('comment-send').first().click();
	await expect(input).toHaveValue('');
}

/** Posts a comment through the API as this person; returns its id. */
export async function postComment(
	person: Person,
	boardId: string,
	comment: { body: string; touchpointId?: string; parentId?: string; mentions?: string[] }
): Promise<string> {
	const response = await person.page.request.post(`/api/boards/${boardId}/comments`, { data: { mentions: [], ...comment } });
	expect(response.status(), await response.text()).toBe(201);
	return (await response.json()).comment.id;
}

/**
 * Waits until the app's service worker controls the page, then reloads once while online so the
 * worker keeps this page for offline use (it caches board pages as they are fetched).
 */
export async function keepForOffline(page: Page): Promise<void> {
	await expect
		.poll(() => page.evaluate(() => navigator.serviceWorker?.controller !== null && navigator.serviceWorker?.controller !== undefined))
		.toBe(true);
	await page.reload();
	await expectSynced(page);
}

/** Saves a screenshot of one element (scrolled into view) into SCREENSHOT_DIR. */
export async function screenshotElement(target: Locator, name: string): Promise<void> {
	mkdirSync(SCREENSHOT_DIR, { recursive: true });
	await target.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}
