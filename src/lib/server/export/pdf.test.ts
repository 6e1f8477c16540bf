import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { emptyJourney } from '../../journey/schema';
import { fixtureJourney as fixture } from '../../../../tests/support/fixtures';
import { summaryPdf } from './pdf';
import { pdfPages, pdfText } from '../../../../tests/support/pdf-text';
import { choosePdfFonts, describeMissing, fontCandidates, needsUnicodeFont } from './pdf-fonts';

function pageCount(pdf: Buffer): number {
	return (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
}

describe('summaryPdf', () => {
	it('is a one-page PDF for the bank-branch journey', async () => {
		const pdf = await summaryPdf(fixture('bank-branch.journey.json'));
		expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(pdf.subarray(-6).toString('latin1')).toMatch(/%%EOF\s*$/);
		expect(pageCount(pdf)).toBe(1);
	});

	it('renders a Chinese journey and an empty one', async () => {
		const journey = { ...fixture('credit-card-calls.journey.json'), title: '信用卡持卡人 — 交叉销售电话' };
		expect((await summaryPdf(journey, 'zh-CN')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect((await summaryPdf(emptyJourney('Empty'))).subarray(0, 5).toString('latin1')).toBe('%PDF-');
	});

	it('flows onto more pages when the lists are long', async () => {
		const base = fixture('bank-branch.journey.json');
		const touchpoints = Array.from({ length: 60 }, (_, index) => ({
			...base.touchpoints[7],
			id: `q${index}`,
			title: `Queue ${index}`,
			owner: `Department ${index}`,
			x: index * 150
		}));
		const pdf = await summaryPdf({ ...base, touchpoints, links: [], evidence: [] });
		expect(pageCount(pdf)).toBe(2);
		expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
	});
});

/** The text of a PDF as a reader, a search or a screen reader gets it, runs on one line side by side. */
async function laidOutText(pdf: Buffer): Promise<string> {
	return (await pdfPages(pdf, { spaced: true })).join('\n');
}

describe('the report lines of the summary PDF', () => {
	const context = {
		madeAt: '2026-12-05T04:30:00.000Z',
		latestVersion: { name: 'Workshop end', savedAt: '2026-12-05T04:10:00.000Z' },
		lastVote: {
			startedAt: '2026-12-05T03:50:00.000Z',
			endedAt: '2026-12-05T04:00:00.000Z',
			results: {
				ranking: [
					{ touchpointId: 't1', title: 'Waiting in the queue', dots: 5, rank: 1, tied: false },
					{ touchpointId: 't2', title: 'Counter service', dots: 3, rank: 2, tied: true },
					{ touchpointId: 't3', title: 'Leaving the branch', dots: 3, rank: 2, tied: true }
				],
				dots: 11,
				voters: 4
			}
		}
	};

	it('shows when and from what it was made, the largest sample with the evidence items, and the last vote ranked', async () => {
		const journey = fixture('bank-branch.journey.json');
		const largest = Math.max(...journey.evidence.map((item) => item.count ?? 0));
		const pdf = await summaryPdf(journey, 'en', context);
		const text = (await laidOutText(pdf)).replace(/\s+/g, ' ');
		expect(text).toMatch(/Made Dec 5, 2026, .+ from the current state/);
		expect(text).toContain('latest saved version “Workshop end”');
		expect(text).toContain(`Largest sample ${largest.toLocaleString('en')} customers · ${journey.evidence.length} evidence items`);
		expect(text).toMatch(/Dot voting of Dec 5, 2026/);
		expect(text).toContain('11 dots from 4 people');
		expect(text).toMatch(/1 Waiting in the queue .*5 dots/);
		expect(text).toMatch(/=2 Counter service \(tie\) .*3 dots/);
		expect(text).toMatch(/=2 Leaving the branch \(tie\) .*3 dots/);
		// The vote follows the key experiences on the first page; the departments may flow onto a second.
		expect((await pdfPages(pdf))[0]).toContain('Waiting in the queue');
	});

	it('lists the revealed rating rounds, naming the customer segment a round was for and what was adopted', async () => {
		const results = { count: 4, mean: -1.75, min: -2, max: -1, spread: 0.4, values: [-2, -2, -2, -1] };
		const ratingRounds = [
			{ title: 'Waiting in the queue', segmentName: 'Gold-card customers', startedAt: '2026-12-05T04:05:00.000Z', results, adopted: -2 },
			{ title: 'Counter service', segmentName: null, startedAt: '2026-12-05T04:01:00.000Z', results, adopted: null }
		];
		const text = (await laidOutText(await summaryPdf(fixture('bank-branch.journey.json'), 'en', { ...context, ratingRounds }))).replace(
			/\s+/g,
			' '
		);
		expect(text).toContain('Rating rounds');
		expect(text).toMatch(
			/Rating of “Waiting in the queue” for Gold-card customers · Dec 5, 2026.* · mean [−-]1\.8 · spread 0\.4 · 4 ratings · adopted [−-]2/
		);
		expect(text).toMatch(/Rating of “Counter service” · Dec 5, 2026.* · mean [−-]1\.8 · spread 0\.4 · 4 ratings/);
		const zh = (await laidOutText(await summaryPdf(fixture('bank-branch.journey.json'), 'zh-CN', { ...context, ratingRounds }))).replace(
			/\s+/g,
			''
		);
		expect(zh).toContain('Gold-cardcustomers对“Waitinginthequeue”的评分');
		expect(zh).toMatch(/已采用[−-]2/);
	});

	it('counts a sample of 1,200 with thousands separators, and says when no item gives a sample', async () => {
		const base = fixture('bank-branch.journey.json');
		const evidence = Array.from({ length: 5 }, (_, index) => ({ ...base.evidence[0], id: `e${index}`, count: index === 2 ? 1200 : 30 }));
		const text = await laidOutText(await summaryPdf({ ...base, evidence }, 'en', { ...context, lastVote: null, latestVersion: null }));
		expect(text).toContain('Largest sample 1,200 customers · 5 evidence items');
		expect(text).not.toContain('latest saved version');
		expect(text).not.toContain('Dot voting');
		const none = await laidOutText(await summaryPdf({ ...base, evidence: evidence.map((item) => ({ ...item, count: null })) }));
		expect(none).toContain('No sample size given · 5 evidence items');
	});
});

describe('choosePdfFonts', () => {
	it('falls back to Helvetica, printing what it cannot draw as ? and remembering it', () => {
		const doc = new PDFDocument();
		const fonts = choosePdfFonts(doc, true, [
			{ regular: { path: '/nonexistent/regular.ttc', face: 'x' }, bold: { path: '/nonexistent/bold.ttc', face: 'x' } }
		]);
		expect(fonts.regular).toBe('Helvetica');
		expect(fonts.minus).toBe('-');
		expect(fonts.printable('Café — 银行 −4 → ok')).toBe('Café — ?? -4 -> ok');
		expect([...fonts.missing]).toEqual(['银', '行']);
		doc.end();
	});

	it('keeps Helvetica for text it can print', () => {
		expect(needsUnicodeFont('Café — −4 → “ok”')).toBe(false);
		expect(needsUnicodeFont('Café 银行')).toBe(true);
		expect(choosePdfFonts(new PDFDocument(), false).regular).toBe('Helvetica');
	});

	it('sets the PDF in the shipped Chinese font, found without any system font', () => {
		const doc = new PDFDocument();
		const fonts = choosePdfFonts(doc, true, fontCandidates().slice(0, 1));
		expect(fonts.regular).toBe('body');
		expect(fonts.printable('银行网点 — −4 → ok')).toBe('银行网点 — −4 → ok');
		expect(fonts.missing.size).toBe(0);
		expect(fonts.printable('生僻字 𠀀')).toBe('生僻字 □');
		expect(describeMissing(fonts.missing)).toBe('U+20000');
		doc.end();
	});
});

describe('a Chinese summary on a machine without CJK fonts', () => {
	it('carries the Chinese text, and a note naming a character the font lacks', async () => {
		const journey = { ...fixture('credit-card-calls.journey.json'), title: '信用卡持卡人 — 交叉销售电话 𠀀' };
		journey.touchpoints[0].title = '银行网点排队等候';
		const text = await pdfText(await summaryPdf(journey, 'zh-CN'));
		expect(text).toContain('管理层摘要');
		expect(text).toContain('信用卡持卡人 — 交叉销售电话 □');
		expect(text).toContain('银行网点排队等候');
		expect(text).toContain('有 1 个字符字体中没有，印作 □：U+20000');
		expect(text).not.toContain('?');
	});

	it('adds no note when every character prints', async () => {
		const text = await pdfText(await summaryPdf(fixture('bank-branch.journey.json'), 'zh-CN'));
		expect(text).not.toContain('字体中没有');
	});
});
