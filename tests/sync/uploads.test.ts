import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
	addMember,
	api,
	cleanup,
	createBoard,
	PASSWORD,
	sessionCookie,
	signUp,
	type Account,
	type TestServer,
	onPostgres,
	queryServerDb
} from './helpers';
import {
	download,
	formWith,
	storedZip,
	tinyDocx,
	tinyPdf,
	tinyXlsx,
	TINY_GIF,
	TINY_PNG,
	upload,
	uploadRaw,
	OneConnection,
	type RawResponse,
	type UploadFile
} from './http-helpers';
import { setupBoard } from './setup';

const EVIL_ORIGIN = 'http://evil.example';
const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** What a 4xx from the files API must look like: JSON `{error}`. */
function expectJsonError(response: RawResponse, status: number): void {
	expect(response.status).toBe(status);
	expect(response.headers.get('content-type')).toMatch(/^application\/json/);
	expect(response.json).toEqual({ error: expect.any(String) });
	expect(response.json.error.length).toBeGreaterThan(0);
}

/** The stored files: in DATA_DIR/uploads (empty when the folder does not exist yet), or on PostgreSQL the rows of `files`. */
async function storedNames(server: TestServer): Promise<string[]> {
	if (onPostgres) return (await queryServerDb<{ id: string }>(server, 'SELECT id FROM files ORDER BY id')).rows.map((row) => row.id);
	try {
		return (await readdir(join(server.dataDir, 'uploads'))).sort();
	} catch {
		return [];
	}
}

const SVG_WITH_SCRIPT =
	'<?xml version="1.0" encoding="UTF-8"?>\n' +
	'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script>' +
	'<rect width="10" height="10"/></svg>\n';
const HTML_PAGE = '<!DOCTYPE html>\n<html><body><script>fetch("/api/me").then(r => r.text()).then(alert)</script></body></html>\n';

// Evidence files are recognised by their bytes, never by the name or type the client gives; only
// editors and owners upload; every member downloads, with headers that stop the file from running
// as a page in the product's origin (docs/api.md, Uploads).
describe('evidence uploads', () => {
	let server: TestServer;
	let owner: Account;
	let editor: Account;
	let commenter: Account;
	let viewer: Account;
	let outsider: Account;
	let boardId: string;
	let otherBoardId: string;

	beforeAll(async () => {
		({
			server,
			owner,
			members: { editor, commenter, viewer, outsider },
			boardId
		} = await setupBoard({
			members: { editor: 'editor', commenter: 'commenter', viewer: 'viewer', outsider: null },
			board: { title: 'Evidence' }
		}));
		otherBoardId = await createBoard(server, owner, { title: 'Other' });
	});
	afterAll(cleanup);

	describe('hostile files are refused with 415 and nothing is stored', () => {
		const hostile: [string, UploadFile][] = [
			['an SVG with a <script>', { bytes: SVG_WITH_SCRIPT, name: 'chart.svg', type: 'image/svg+xml' }],
			['an SVG with a <script> renamed .png', { bytes: SVG_WITH_SCRIPT, name: 'chart.png', type: 'image/png' }],
			[
				'an SVG without script (SVG is never allowed)',
				{ bytes: '<svg xmlns="http://www.w3.org/2000/svg"/>', name: 'a.svg', type: 'image/svg+xml' }
			],
			['HTML renamed .png and declared image/png', { bytes: HTML_PAGE, name: 'photo.png', type: 'image/png' }],
			['HTML renamed .csv', { bytes: HTML_PAGE, name: 'data.csv', type: 'text/csv' }],
			[
				'HTML with a BOM and leading blank lines renamed .csv',
				{ bytes: '\uFEFF\n\n  <html><body>hi</body></html>', name: 'data.csv', type: 'text/csv' }
			],
			['a CSV header followed by a <script>', { bytes: 'name,value\n<script>alert(1)</script>,1\n', name: 'data.csv', type: 'text/csv' }],
			['a CSV header followed by an inline <svg onload>', { bytes: 'a,b\n1,<svg onload=alert(1)>\n', name: 'data.csv', type: 'text/csv' }],
			['HTML declared application/pdf', { bytes: HTML_PAGE, name: 'report.pdf', type: 'application/pdf' }],
			[
				'a binary with control bytes renamed .csv',
				{ bytes: new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x2c]), name: 'x.csv', type: 'text/csv' }
			],
			[
				'invalid UTF-8 renamed .csv',
				{ bytes: new Uint8Array([0x61, 0x2c, 0x62, 0x0a, 0xff, 0xfe, 0x2c, 0x31]), name: 'x.csv', type: 'text/csv' }
			],
			['a plain ZIP renamed .docx', { bytes: storedZip({ 'index.html': HTML_PAGE }), name: 'notes.docx', type: DOCX_MIME }],
			[
				'a ZIP with [Content_Types].xml but no word/ or xl/ part',
				{ bytes: storedZip({ '[Content_Types].xml': '<Types/>', 'ppt/x.xml': '<x/>' }), name: 'deck.xlsx', type: XLSX_MIME }
			]
		];

		test.each(hostile)('%s → 415', async (_what, file) => {
			const before = await storedNames(server);
			const response = await upload(server, editor.cookie, boardId, file);
			expectJsonError(response, 415);
			expect(await storedNames(server)).toEqual(before);
		});
	});

	describe('allowed files', () => {
		test('a real PNG: 201 {fileId, url}; a member downloads the bytes inline, sandboxed and never sniffed', async () => {
			const response = await upload(server, editor.cookie, boardId, { bytes: TINY_PNG, name: 'photo.png', type: 'image/png' });
			expect(response.status).toBe(201);
			expect(response.json).toEqual({ fileId: expect.any(String), url: expect.any(String) });
			const { fileId, url } = response.json;
			expect(url).toBe(`/api/boards/${boardId}/files/${fileId}`);

			// Every member may read it, the viewer included.
			for (const member of [viewer, commenter, editor, owner]) {
				const file = await download(server, member.cookie, url);
				expect(file.status).toBe(200);
				expect(Buffer.from(file.bytes).equals(Buffer.from(TINY_PNG))).toBe(true);
				expect(file.headers.get('content-type')).toBe('image/png');
				expect(file.headers.get('x-content-type-options')).toBe('nosniff');
				expect(file.headers.get('content-security-policy')).toContain('sandbox');
				expect(file.headers.get('content-disposition')).toMatch(/^inline\b/);
			}
		});

		test('a GIF is an inline image too', async () => {
			const response = await upload(server, owner.cookie, boardId, { bytes: TINY_GIF, name: 'anim.gif', type: 'image/gif' });
			expect(response.status).toBe(201);
			const file = await download(server, viewer.cookie, response.json.url);
			expect(file.headers.get('content-type')).toBe('image/gif');
			expect(file.headers.get('content-disposition')).toMatch(/^inline\b/);
		});

		const documents: [string, UploadFile, string][] = [
			['PDF', { bytes: tinyPdf(), name: 'report.pdf', type: 'application/pdf' }, 'application/pdf'],
			['CSV', { bytes: 'channel,score\nbranch,7\napp,4\n', name: 'survey.csv', type: 'text/csv' }, 'text/csv'],
			['CSV in Chinese with a BOM', { bytes: '\uFEFF渠道,得分\n网点,7\n', name: '调查.csv', type: 'text/csv' }, 'text/csv'],
			['DOCX', { bytes: tinyDocx(), name: 'interview.docx', type: DOCX_MIME }, DOCX_MIME],
			['XLSX', { bytes: tinyXlsx(), name: 'metrics.xlsx', type: XLSX_MIME }, XLSX_MIME],
			// The declared type is not trusted in either direction: a PDF sent as image/png is a PDF.
			['PDF declared image/png and named .png', { bytes: tinyPdf(), name: 'not-an-image.png', type: 'image/png' }, 'application/pdf']
		];

		test.each(documents)('%s → 201, served as an attachment with its detected type', async (_what, file, mime) => {
			const response = await upload(server, editor.cookie, boardId, file);
			expect(response.status).toBe(201);
			const served = await download(server, commenter.cookie, response.json.url);
			expect(served.status).toBe(200);
			const sent = typeof file.bytes === 'string' ? new TextEncoder().encode(file.bytes) : file.bytes;
			expect(Buffer.from(served.bytes).equals(Buffer.from(sent))).toBe(true);
			expect(served.headers.get('content-type')?.split(';')[0]).toBe(mime);
			expect(served.headers.get('content-disposition')).toMatch(/^attachment\b/);
			expect(served.headers.get('x-content-type-options')).toBe('nosniff');
			expect(served.headers.get('content-security-policy')).toContain('sandbox');
		});

		test('the file is stored under DATA_DIR/uploads with a generated name, never the client’s', async () => {
			const hostileName = '../../../../tmp/evil"\r\nX-Injected: 1.png';
			const before = await storedNames(server);
			const response = await upload(server, editor.cookie, boardId, { bytes: TINY_PNG, name: hostileName, type: 'image/png' });
			expect(response.status).toBe(201);
			const { fileId } = response.json;
			const after = await storedNames(server);
			const added = after.filter((name) => !before.includes(name));
			expect(added).toEqual([fileId]);
			expect(fileId).not.toMatch(/evil|\.png|[/\\.]/);
			expect(after.some((name) => name.endsWith('.part'))).toBe(false);
			// On SQLite the bytes are a file of DATA_DIR/uploads by that name; on PostgreSQL they live in the database.
			if (!onPostgres)
				expect(Buffer.from(await readFile(join(server.dataDir, 'uploads', fileId))).equals(Buffer.from(TINY_PNG))).toBe(true);

			// The client's name is only a label, and a harmless one.
			const served = await download(server, owner.cookie, response.json.url);
			expect(served.status).toBe(200);
			expect(served.headers.get('x-injected')).toBeNull();
			const disposition = served.headers.get('content-disposition')!;
			expect(disposition).not.toMatch(/[/\\\r\n]/);
			expect(disposition).toMatch(/filename="[^"]*\.png"/);
		});
	});

	describe('size limit', () => {
		let small: TestServer;
		let smallOwner: Account;
		let smallBoard: string;

		beforeAll(async () => {
			({
				server: small,
				owner: smallOwner,
				boardId: smallBoard
			} = await setupBoard({ env: { UPLOAD_LIMIT_MB: '1' }, board: { title: 'Small limit' } }));
		});

		function pngOf(size: number): Uint8Array {
			const bytes = new Uint8Array(size);
			bytes.set(TINY_PNG);
			return bytes;
		}

		test('a file just over the limit → 413 with a JSON {error}; nothing stored', async () => {
			const response = await upload(small, smallOwner.cookie, smallBoard, {
				bytes: pngOf(1024 * 1024 + 1),
				name: 'big.png',
				type: 'image/png'
			});
			expectJsonError(response, 413);
			expect(await storedNames(small)).toEqual([]);
		});

		test('a file far over the limit → 413 with a JSON {error}; nothing stored', async () => {
			const response = await upload(small, smallOwner.cookie, smallBoard, {
				bytes: pngOf(3 * 1024 * 1024),
				name: 'huge.png',
				type: 'image/png'
			});
			expectJsonError(response, 413);
			expect(await storedNames(small)).toEqual([]);
		});

		test('a file at the limit is accepted', async () => {
			const response = await upload(small, smallOwner.cookie, smallBoard, {
				bytes: pngOf(1024 * 1024),
				name: 'exact.png',
				type: 'image/png'
			});
			expect(response.status).toBe(201);
			expect(await storedNames(small)).toEqual([response.json.fileId]);
		});

		test('a refused oversized upload leaves its keep-alive connection usable for the next request', async () => {
			const connection = new OneConnection(small);
			try {
				const huge = await connection.send('POST', `/api/boards/${smallBoard}/files`, {
					cookie: smallOwner.cookie,
					body: formWith({ bytes: pngOf(3 * 1024 * 1024), name: 'huge.png', type: 'image/png' })
				});
				expect(huge.status).toBe(413);
				expect(huge.json).toEqual({ error: expect.any(String) });
				const next = await connection.send('POST', `/api/boards/${smallBoard}/files`, {
					cookie: smallOwner.cookie,
					body: formWith({ bytes: pngOf(512 * 1024), name: 'next.png', type: 'image/png' })
				});
				expect(next.status).toBe(201);
				expect(next.reusedSocket).toBe(true);
			} finally {
				connection.close();
			}
		});

		test('a refused upload (viewer, 403) leaves its keep-alive connection usable for the next request', async () => {
			const viewerHere = await signUp(small, 'Viewer');
			await addMember(small, smallOwner, smallBoard, viewerHere, 'viewer');
			const connection = new OneConnection(small);
			try {
				const refused = await connection.send('POST', `/api/boards/${smallBoard}/files`, {
					cookie: viewerHere.cookie,
					body: formWith({ bytes: pngOf(900 * 1024), name: 'p.png', type: 'image/png' })
				});
				expect(refused.status).toBe(403);
				const next = await connection.send('GET', `/api/boards/${smallBoard}`, { cookie: viewerHere.cookie });
				expect(next.status).toBe(200);
				expect(next.reusedSocket).toBe(true);
			} finally {
				connection.close();
			}
		});

		test('a chunked upload (no Content-Length) past the server’s body limit → 413, not 400', async () => {
			const body = new Request('http://localhost/', {
				method: 'POST',
				body: formWith({ bytes: pngOf(17 * 1024 * 1024), name: 'stream.png', type: 'image/png' })
			});
			const response = await uploadRaw(small, smallBoard, {
				cookie: smallOwner.cookie,
				body: body.body!,
				headers: { 'content-type': body.headers.get('content-type')! }
			});
			expectJsonError(response, 413);
		});

		test('the default limit is 10 MB: 11 MB → 413', async () => {
			const response = await upload(server, owner.cookie, boardId, { bytes: pngOf(11 * 1024 * 1024), name: 'huge.png', type: 'image/png' });
			expectJsonError(response, 413);
		});
	});

	describe('who may upload and download', () => {
		let fileUrl: string;

		beforeAll(async () => {
			const response = await upload(server, owner.cookie, boardId, { bytes: TINY_PNG, name: 'shared.png', type: 'image/png' });
			expect(response.status).toBe(201);
			fileUrl = response.json.url;
		});

		const png: UploadFile = { bytes: TINY_PNG, name: 'p.png', type: 'image/png' };

		test('an editor and the owner upload (201)', async () => {
			expect((await upload(server, editor.cookie, boardId, png)).status).toBe(201);
			expect((await upload(server, owner.cookie, boardId, png)).status).toBe(201);
		});

		test('a viewer’s and a commenter’s upload → 403; nothing stored', async () => {
			const before = await storedNames(server);
			expectJsonError(await upload(server, viewer.cookie, boardId, png), 403);
			expectJsonError(await upload(server, commenter.cookie, boardId, png), 403);
			expect(await storedNames(server)).toEqual(before);
		});

		test('a non-member’s upload → 404, a signed-out upload → 401', async () => {
			expectJsonError(await upload(server, outsider.cookie, boardId, png), 404);
			expectJsonError(await upload(server, undefined, boardId, png), 401);
		});

		test('a non-member’s download → 404', async () => {
			expectJsonError(await download(server, outsider.cookie, fileUrl), 404);
		});

		test('a signed-out download → 401', async () => {
			expectJsonError(await download(server, undefined, fileUrl), 401);
			expectJsonError(await download(server, 'session=not-a-real-session', fileUrl), 401);
		});

		test('a download after logout → 401', async () => {
			const login = await api(server, 'POST', '/api/auth/login', { body: { email: viewer.email, password: PASSWORD } });
			const cookie = sessionCookie(login.headers)!;
			expect((await download(server, cookie, fileUrl)).status).toBe(200);
			expect((await api(server, 'POST', '/api/auth/logout', { cookie })).status).toBe(204);
			expectJsonError(await download(server, cookie, fileUrl), 401);
		});

		test('a removed member’s download → 404', async () => {
			const former = await signUp(server, 'Former');
			await addMember(server, owner, boardId, former, 'viewer');
			expect((await download(server, former.cookie, fileUrl)).status).toBe(200);
			expect((await api(server, 'DELETE', `/api/boards/${boardId}/members/${former.id}`, { cookie: owner.cookie })).status).toBe(204);
			expectJsonError(await download(server, former.cookie, fileUrl), 404);
		});

		test('a file id of another board → 404, even for a member of both', async () => {
			const fileId = fileUrl.split('/').pop()!;
			expectJsonError(await download(server, owner.cookie, `/api/boards/${otherBoardId}/files/${fileId}`), 404);
			// And the other way round: a file of the other board is not reachable through this one.
			const other = await upload(server, owner.cookie, otherBoardId, png);
			expect(other.status).toBe(201);
			expectJsonError(await download(server, owner.cookie, `/api/boards/${boardId}/files/${other.json.fileId}`), 404);
			expect((await download(server, owner.cookie, other.json.url)).status).toBe(200);
		});

		test('an unknown file id → 404', async () => {
			expectJsonError(await download(server, owner.cookie, `/api/boards/${boardId}/files/does-not-exist`), 404);
			expectJsonError(await download(server, owner.cookie, `/api/boards/${boardId}/files/..%2F..%2Fjourney.db`), 404);
		});
	});

	describe('malformed and cross-origin uploads', () => {
		const png: UploadFile = { bytes: TINY_PNG, name: 'p.png', type: 'image/png' };

		test('an upload without multipart → 400', async () => {
			const json = await uploadRaw(server, boardId, {
				cookie: editor.cookie,
				body: JSON.stringify({ file: 'iVBORw0KGgo=' }),
				headers: { 'content-type': 'application/json' }
			});
			expectJsonError(json, 400);
			const rawBytes = await uploadRaw(server, boardId, {
				cookie: editor.cookie,
				body: new Uint8Array(TINY_PNG),
				headers: { 'content-type': 'image/png' }
			});
			expectJsonError(rawBytes, 400);
		});

		test('a multipart body that is broken, lacks the field "file", or has text in it → 400', async () => {
			const broken = await uploadRaw(server, boardId, {
				cookie: editor.cookie,
				body: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nnot terminated',
				headers: { 'content-type': 'multipart/form-data; boundary=xyz' }
			});
			expectJsonError(broken, 400);
			expectJsonError(await uploadRaw(server, boardId, { cookie: editor.cookie, body: formWith(png, 'upload') }), 400);
			const textField = new FormData();
			textField.set('file', 'just a string');
			expectJsonError(await uploadRaw(server, boardId, { cookie: editor.cookie, body: textField }), 400);
		});

		test('an empty file → 400', async () => {
			expectJsonError(
				await upload(server, editor.cookie, boardId, { bytes: new Uint8Array(0), name: 'empty.png', type: 'image/png' }),
				400
			);
		});

		test('a cross-origin upload (Origin: http://evil.example) → 403; nothing stored', async () => {
			const before = await storedNames(server);
			expectJsonError(await upload(server, owner.cookie, boardId, png, { origin: EVIL_ORIGIN }), 403);
			expect(await storedNames(server)).toEqual(before);
		});

		test('an upload from the server’s own origin passes', async () => {
			const response = await upload(server, owner.cookie, boardId, png, { origin: server.origin });
			expect(response.status).toBe(201);
		});
	});
});
