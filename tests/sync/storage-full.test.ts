/**
 * Storage trouble is told, not hidden: on a really full disk (a small tmpfs over DATA_DIR) a
 * writer's socket closes with `storageUnavailable` (4503), the board client backs off instead of
 * reconnecting five times a second, HTTP writes answer 507 with a JSON error and a failed upload
 * leaves no file; once space returns, the client's pending edit is stored.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { putItem, readJourney } from '../../src/lib/journey/document';
import { jitterReconnects, MAX_RECONNECT_BACKOFF_MS } from '../../src/lib/board/reconnect-jitter';
import { backOffOnStorageTrouble } from '../../src/lib/board/storage-backoff';
import { CLOSE_CODES } from '../../server/close-codes';
import {
	api,
	cleanup,
	connectClient,
	loadFresh,
	PASSWORD,
	touchpoint,
	waitFor,
	type Account,
	type Client,
	type TestServer,
	onPostgres
} from './helpers';
import { TINY_PNG, upload } from './http-helpers';
import { setupBoard } from './setup';
import { canMount, emptyDisk, fillDisk, mountSmallDisk, unmountSmallDisk } from './small-disk';

/** Size of the disk under DATA_DIR: room for the database, too small for the filler. */
const DISK_MB = 16;
/** One edit larger than whatever the write-ahead log has room for already: many long descriptions. */
const LARGE_EDIT_TOUCHPOINTS = 32;
const LONG_TEXT = 'x'.repeat(9_000);
const KEPT_IDS = Array.from({ length: LARGE_EDIT_TOUCHPOINTS }, (_, i) => `tp-kept-${i}`);
/** Free space left for the upload, smaller than the file, so its write stops half-way. */
const UPLOAD_ROOM_BYTES = 64 * 1024;
/** How long the client is watched on the full disk. */
const FULL_DISK_WATCH_MS = 6_000;
/** At most this many reconnects in that window (the stock provider made about thirty). */
const MAX_RETRIES_WHILE_FULL = 4;

const mountAllowed = await canMount();

// A small disk under DATA_DIR, where SQLite keeps everything; on PostgreSQL the data is elsewhere.
describe.skipIf(!mountAllowed || onPostgres)('a full disk', () => {
	let server: TestServer;
	let owner: Account;
	let boardId: string;
	let writer: Client;
	let mounted = false;

	beforeAll(async () => {
		({ server, owner, boardId } = await setupBoard());
		// A first upload makes the uploads folder, so the failing one below gets as far as writing.
		expect((await upload(server, owner.cookie, boardId, { bytes: TINY_PNG, name: 'a.png' })).status).toBe(201);
		await server.stop();
		await mountSmallDisk(server.dataDir, DISK_MB);
		mounted = true;
		await server.restart();
		writer = connectClient(server, owner.cookie, boardId);
		jitterReconnects(writer.provider, MAX_RECONNECT_BACKOFF_MS);
		backOffOnStorageTrouble(writer.provider, () => {});
		await writer.synced;
	});

	afterAll(async () => {
		await server?.kill9();
		if (mounted) unmountSmallDisk(server.dataDir);
		await cleanup();
	});

	test('an upload answers 507 with a JSON error and leaves no partial file', async () => {
		await fillDisk(server.dataDir, UPLOAD_ROOM_BYTES);
		const bytes = new Uint8Array(1024 * 1024);
		bytes.set(TINY_PNG);
		const response = await upload(server, owner.cookie, boardId, { bytes, name: 'big.png', type: 'image/png' });
		expect(response.status).toBe(507);
		expect(response.json.error).toMatch(/cannot save/);
		const files = await readdir(join(server.dataDir, 'uploads'));
		expect(files.filter((name) => name.endsWith('.part'))).toEqual([]);
		expect(files).toHaveLength(1);
	});

	test('sign-up answers 507 with a JSON error', async () => {
		await fillDisk(server.dataDir);
		const response = await api(server, 'POST', '/api/auth/signup', {
			body: { email: 'late@example.test', password: PASSWORD, name: 'Late' }
		});
		expect(response.status).toBe(507);
		expect(response.body.error).toMatch(/cannot save/);
	});

	test('a page request gets the 507 as a page in the reader’s language, not a JSON error', async () => {
		await fillDisk(server.dataDir);
		const response = await fetch(`${server.url}/boards?/create`, {
			method: 'POST',
			headers: {
				cookie: `${owner.cookie}; locale=zh-CN`,
				origin: server.origin,
				accept: 'text/html,application/xhtml+xml',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({ title: 'Full disk board', template: 'blank' })
		});
		expect(response.status).toBe(507);
		expect(response.headers.get('content-type')).toMatch(/^text\/html/);
		const page = await response.text();
		expect(page).toContain('<html lang="zh-CN">');
		expect(page).toContain('服务器暂时无法保存');
	});

	test('a writer gets 4503, backs off, and its edit is stored once space returns', async () => {
		writer.doc.transact(() => {
			for (const id of KEPT_IDS) putItem(writer.doc, 'touchpoints', touchpoint(id, { description: LONG_TEXT }));
		});
		await waitFor(() => writer.closeCodes.includes(CLOSE_CODES.storageUnavailable), 'the writer to be told storage is unavailable');
		const firstClose = writer.closeCodes.length;
		await new Promise((resolve) => setTimeout(resolve, FULL_DISK_WATCH_MS));
		const retries = writer.closeCodes.length - firstClose;
		expect(retries).toBeLessThanOrEqual(MAX_RETRIES_WHILE_FULL);
		expect(writer.closeCodes.every((code) => code === CLOSE_CODES.storageUnavailable)).toBe(true);

		await emptyDisk(server.dataDir);
		await waitFor(async () => {
			const fresh = await loadFresh(server, owner, boardId);
			return readJourney(fresh).touchpoints.length === KEPT_IDS.length;
		}, 'the pending edit to be stored after space returned');
		// And it survives a restart: it is in SQLite, not only in the live room.
		await server.restart();
		const reloaded = await loadFresh(server, owner, boardId);
		const kept = readJourney(reloaded).touchpoints;
		expect(kept.map((item) => item.id).sort()).toEqual([...KEPT_IDS].sort());
		expect(kept.every((item) => item.description === LONG_TEXT)).toBe(true);
	});
});
