import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { analyzeJourney } from '../../src/lib/journey/analysis';
import { parseJourney, type Journey } from '../../src/lib/journey/schema';
import { addMember, api, cleanup, createBoard, getJourney, signUp, type Account, type TestServer } from './helpers';
import { parseCsv } from '../support/csv-reader';
import { readFixture } from '../support/fixtures';
import { setupBoard } from './setup';

// Analysis and exports of a board (docs/api.md, Exports and Analysis), against the built server.

const FIXTURE: unknown = readFixture('bank-branch.journey.json');
const TITLE = 'Retail bank branch visit';
const FORMATS = ['json', 'csv', 'md', 'svg', 'png', 'pdf'] as const;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const UTF8_BOM = '\uFEFF';

interface Download {
	status: number;
	headers: Headers;
	bytes: Buffer;
	text(): string;
}

/** A GET whose body is kept as bytes (helpers' `api` decodes text and JSON only). */
async function download(server: TestServer, path: string, cookie?: string): Promise<Download> {
	const response = await fetch(server.url + path, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
	const bytes = Buffer.from(await response.arrayBuffer());
	return { status: response.status, headers: response.headers, bytes, text: () => bytes.toString('utf8') };
}

/** The file name a Content-Disposition header gives, preferring the exact UTF-8 `filename*`. */
function fileNameOf(disposition: string | null): string | null {
	const extended = /filename\*=UTF-8''([^;]+)/.exec(disposition ?? '');
	return extended ? decodeURIComponent(extended[1]) : null;
}

let server: TestServer;
let owner: Account;
let outsider: Account;
let boardId: string;

beforeAll(async () => {
	({
		server,
		owner,
		members: { outsider },
		boardId
	} = await setupBoard({ members: { outsider: null }, board: { title: TITLE, journey: FIXTURE } }));
});

afterAll(cleanup);

describe('GET /api/boards/:id/analysis', () => {
	test('gives the analysis of the board, exactly as analyzeJourney computes it', async () => {
		const response = await api(server, 'GET', `/api/boards/${boardId}/analysis`, { cookie: owner.cookie });
		expect(response.status).toBe(200);
		const analysis = response.body;
		expect(analysis.touchpoints).toBe(15);
		expect(analysis.peakEnd.peak).toEqual({ touchpointId: 't4', emotion: 4 });
		expect(analysis.peakEnd.end).toEqual({ touchpointId: 't15', emotion: 3 });
		expect(analysis.peakEnd.remembered).toBe(3.5);
		expect(analysis.peakEnd.average).toBeCloseTo(0.6, 10);
		expect(analysis.peakEnd.balanceOk).toBe(true);
		expect(analysis.peakEnd.endOk).toBe(true);
		expect(analysis.markings).toEqual([]);
		expect(analysis.gaps).toHaveLength(15);
		expect(analysis.gaps[0]).toMatchObject({ touchpointId: 't8', title: 'Queueing and waiting', satisfaction: -4, weighted: -36 });
		expect(analysis.gaps[1]).toMatchObject({ touchpointId: 't13', weighted: -28 });
		expect(analysis.evidence).toEqual({ covered: 3, total: 15, ratio: 0.2, unsupportedPeaks: ['t6', 't14', 't15'] });
		const local = parseJourney(FIXTURE);
		if (!local.ok) throw new Error(local.error);
		expect(analysis).toEqual(analyzeJourney({ ...local.value, title: TITLE }));
	});

	test('is 404 for a non-member and 401 when signed out', async () => {
		expect((await api(server, 'GET', `/api/boards/${boardId}/analysis`, { cookie: outsider.cookie })).status).toBe(404);
		expect((await api(server, 'GET', `/api/boards/${boardId}/analysis`)).status).toBe(401);
	});
});

describe('GET /api/boards/:id/export/:format', () => {
	test('json is the journey as an attachment named after the board, and re-imports into an equal journey', async () => {
		const exported = await download(server, `/api/boards/${boardId}/export/json`, owner.cookie);
		expect(exported.status).toBe(200);
		expect(exported.headers.get('content-type')).toMatch(/^application\/json/);
		expect(exported.headers.get('content-disposition')).toMatch(
			/^attachment; filename="Retail bank branch visit\.journey\.json"; filename\*=UTF-8''/
		);
		expect(fileNameOf(exported.headers.get('content-disposition'))).toBe(`${TITLE}.journey.json`);
		const journey: Journey = JSON.parse(exported.text());
		expect(journey).toEqual(await getJourney(server, owner, boardId));
		expect(journey.touchpoints).toHaveLength(15);
		expect(journey.evidence).toHaveLength(4);

		const copyId = await createBoard(server, owner, { journey });
		const again = await download(server, `/api/boards/${copyId}/export/json`, owner.cookie);
		expect(JSON.parse(again.text())).toEqual(journey);
	});

	test('csv has a BOM, a header and one RFC 4180 row per touchpoint in journey order', async () => {
		const exported = await download(server, `/api/boards/${boardId}/export/csv`, owner.cookie);
		expect(exported.status).toBe(200);
		expect(exported.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
		expect(fileNameOf(exported.headers.get('content-disposition'))).toBe(`${TITLE}.csv`);
		expect([...exported.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = exported.text();
		expect(text.startsWith(UTF8_BOM)).toBe(true);
		const [header, ...rows] = parseCsv(text.slice(UTF8_BOM.length));
		expect(rows).toHaveLength(15);
		expect(rows.every((row) => row.length === header.length)).toBe(true);
		expect(rows.map((row) => row[header.indexOf('Id')])).toEqual(Array.from({ length: 15 }, (_, index) => `t${index + 1}`));
		const queue = rows[7];
		expect(queue[header.indexOf('Title')]).toBe('Queueing and waiting');
		expect(queue[header.indexOf('Weighted gap (importance × satisfaction)')]).toBe('-36');
		expect(queue[header.indexOf('Evidence items')]).toBe('2');
		expect(rows[2][header.indexOf('Description')]).toBe('Clean hall, clear signage');
	});

	test('md is a report with peak–end and the key experience first', async () => {
		const exported = await download(server, `/api/boards/${boardId}/export/md`, owner.cookie);
		expect(exported.status).toBe(200);
		expect(exported.headers.get('content-type')).toMatch(/^text\/markdown/);
		const markdown = exported.text();
		expect(markdown.startsWith(`# ${TITLE}\n`)).toBe(true);
		expect(markdown).toContain('Remembered score (peak + end) / 2: +3.5');
		expect(markdown).toMatch(/\| 1 \| ▼ Queueing and waiting \|.*\*\*−36\*\*/);
	});

	test('svg is a standalone image of the canvas', async () => {
		const exported = await download(server, `/api/boards/${boardId}/export/svg`, owner.cookie);
		expect(exported.status).toBe(200);
		expect(exported.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
		expect(exported.headers.get('content-security-policy')).toContain('sandbox');
		const svg = exported.text();
		expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
		expect(svg).toContain(`<title>${TITLE}</title>`);
		expect(svg).toContain('>★ Peak<');
		expect(svg).not.toMatch(/<script/i);
	});

	test('png is the canvas rasterised', async () => {
		const exported = await download(server, `/api/boards/${boardId}/export/png`, owner.cookie);
		expect(exported.status).toBe(200);
		expect(exported.headers.get('content-type')).toBe('image/png');
		expect(fileNameOf(exported.headers.get('content-disposition'))).toBe(`${TITLE}.png`);
		expect(exported.bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
		expect(exported.bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
		const width = exported.bytes.readUInt32BE(16);
		const height = exported.bytes.readUInt32BE(20);
		expect(width).toBeGreaterThan(0);
		expect(height).toBeGreaterThan(0);
		expect(width).toBeGreaterThan(height);
	});

	test('pdf is the executive summary', async () => {
		const exported = await download(server, `/api/boards/${boardId}/export/pdf`, owner.cookie);
		expect(exported.status).toBe(200);
		expect(exported.headers.get('content-type')).toBe('application/pdf');
		expect(fileNameOf(exported.headers.get('content-disposition'))).toBe(`${TITLE}.pdf`);
		expect(exported.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(exported.bytes.subarray(-8).toString('latin1')).toContain('%%EOF');
	});

	test('a Chinese title gives an ASCII fallback name and the exact UTF-8 name', async () => {
		const chineseId = await createBoard(server, owner, { title: '银行网点到访 / 金卡', journey: FIXTURE });
		const exported = await download(server, `/api/boards/${chineseId}/export/csv`, owner.cookie);
		expect(exported.status).toBe(200);
		const disposition = exported.headers.get('content-disposition');
		expect(disposition).toMatch(/^attachment; filename="journey\.csv"; /);
		expect(fileNameOf(disposition)).toBe('银行网点到访 金卡.csv');
	});

	test('every member may export, whatever their role', async () => {
		const viewer = await signUp(server, 'Viewer');
		await addMember(server, owner, boardId, viewer, 'viewer');
		for (const format of FORMATS) {
			expect((await download(server, `/api/boards/${boardId}/export/${format}`, viewer.cookie)).status, format).toBe(200);
		}
	});

	test('is 404 for a non-member, 401 signed out, and 404 for an unknown format', async () => {
		for (const format of FORMATS) {
			const response = await download(server, `/api/boards/${boardId}/export/${format}`, outsider.cookie);
			expect(response.status, format).toBe(404);
			expect(response.headers.get('content-disposition'), format).toBeNull();
			expect((await download(server, `/api/boards/${boardId}/export/${format}`)).status, format).toBe(401);
		}
		expect((await download(server, `/api/boards/${boardId}/export/docx`, owner.cookie)).status).toBe(404);
		expect((await download(server, `/api/boards/${boardId}/export/docx`, outsider.cookie)).status).toBe(404);
	});
});
