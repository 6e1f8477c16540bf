import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { svgToPng } from '../../src/lib/server/export/png';
import { pdfText } from '../support/pdf-text';
import { api, cleanup, newServer, signUp, type Account, type TestServer } from './helpers';

// A board made from the bank-branch template in the Chinese interface, and its exports, on a server
// that has no CJK font of its own to fall back on: everything Chinese comes from the shipped font.

let server: TestServer;
let owner: Account;
let boardId: string;

/** Requests as the Chinese interface makes them: its language cookie beside the session. */
function chinese(account: Account): string {
	return `${account.cookie}; locale=zh-CN`;
}

async function download(path: string): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
	const response = await fetch(server.url + path, { headers: { cookie: chinese(owner) } });
	return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

beforeAll(async () => {
	server = await newServer();
	owner = await signUp(server, 'Owner');
	const created = await api(server, 'POST', '/api/boards', {
		cookie: chinese(owner),
		body: { title: '网点周会', template: 'bank-branch' }
	});
	expect(created.status).toBe(201);
	boardId = created.body.id;
});

afterAll(cleanup);

describe('a bank-branch board made in the Chinese interface', () => {
	test('is Chinese throughout: stages, lanes, cards and evidence', async () => {
		const journey = (await api(server, 'GET', `/api/boards/${boardId}/journey`, { cookie: chinese(owner) })).body;
		expect(journey.title).toBe('网点周会');
		expect(journey.stages.map((stage: { name: string }) => stage.name)).toEqual(['到访前', '到达', '等候', '办理业务', '离开']);
		expect(journey.lanes.map((lane: { name: string }) => lane.name)).toEqual(['接触点', '客户行为', '后台']);
		expect(journey.touchpoints).toHaveLength(15);
		const queue = journey.touchpoints.find((touchpoint: { id: string }) => touchpoint.id === 't8');
		expect(queue).toMatchObject({ title: '排队/等候', channel: '面对面', owner: '网点运营部', emotion: -4, kind: 'negative-peak' });
		expect(journey.evidence.find((item: { id: string }) => item.id === 'e2').text).toBe('我办金卡，就是为了不用排队。');
	});

	test('prints its Chinese titles in the PDF, read back as text, with no "?" and no missing-character note', async () => {
		const pdf = await download(`/api/boards/${boardId}/export/pdf`);
		expect(pdf.status).toBe(200);
		const text = await pdfText(pdf.bytes);
		for (const words of ['管理层摘要', '网点周会', '排队/等候', '服务收费', '欢迎', '网点运营部']) expect(text).toContain(words);
		expect(text).not.toMatch(/\?{2,}/);
		expect(text).not.toContain('字体中没有');
	});

	test('names the shipped font for Chinese text in the SVG', async () => {
		const svg = (await download(`/api/boards/${boardId}/export/svg`)).bytes.toString('utf8');
		expect(svg).toContain('排队/等候');
		expect(svg).toMatch(/font-family="(?:'|&apos;)Noto Sans S Chinese(?:'|&apos;)[^"]*"[^>]*>排队\/等候</);
	});

	test('draws the Chinese glyphs in the PNG with the shipped font alone', async () => {
		const png = await download(`/api/boards/${boardId}/export/png`);
		expect(png.status).toBe(200);
		expect(png.headers.get('content-type')).toBe('image/png');
		// The same board rendered with no system font at all, and again with two Chinese words
		// swapped: missing glyphs all look alike (a box, or nothing), so only drawn glyphs differ.
		const svg = (await download(`/api/boards/${boardId}/export/svg`)).bytes.toString('utf8');
		const shippedOnly = await svgToPng(svg, { systemFonts: false });
		const swapped = await svgToPng(svg.replaceAll('排队/等候', '等候/排队'), { systemFonts: false });
		expect(shippedOnly.equals(swapped)).toBe(false);
	});

	test('serves the shipped font to browsers without one, and nothing else under /fonts', async () => {
		const regular = await fetch(`${server.url}/fonts/noto-sans-sc-regular.otf`);
		expect(regular.status).toBe(200);
		expect(regular.headers.get('content-type')).toBe('font/otf');
		expect(regular.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
		expect(
			Buffer.from(await regular.arrayBuffer())
				.subarray(0, 4)
				.toString('latin1')
		).toBe('OTTO');
		expect((await fetch(`${server.url}/fonts/noto-sans-sc-bold.otf`, { method: 'HEAD' })).status).toBe(200);
		for (const name of ['..%2Fpackage.json', 'NotoSansHans-Regular.otf', 'x'])
			expect((await fetch(`${server.url}/fonts/${name}`)).status).toBe(404);
	});
});
