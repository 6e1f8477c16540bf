import { expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

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
export async function signUp(browser: Browser, label: string, name: string): Promise<Person> {
	const context = await browser.newContext();
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
	await expect(dialog.getByRole('listitem').filter({ hasText: member.email })).toBeVisible();
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
	const transform = await target.evaluate((element) => (element.closest('.svelte-flow__node') as HTMLElement | null)?.style.transform ?? '');
	const match = /translate\((-?[\d.]+)px,\s*(-?[\d.]+)px\)/.exec(transform);
	return match ? { x: Number(match[1]), y: Number(match[2]) } : null;
}
