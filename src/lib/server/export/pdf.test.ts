import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { emptyJourney } from '../../journey/schema';
import { fixtureJourney as fixture } from '../../../../tests/support/fixtures';
import { summaryPdf } from './pdf';
import { choosePdfFonts } from './pdf-fonts';

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

describe('choosePdfFonts', () => {
	it('falls back to Helvetica, printing what it cannot draw as ?', () => {
		const doc = new PDFDocument();
		const fonts = choosePdfFonts(doc, {
			regular: { path: '/nonexistent/regular.ttc', face: 'x' },
			bold: { path: '/nonexistent/bold.ttc', face: 'x' }
		});
		expect(fonts.regular).toBe('Helvetica');
		expect(fonts.minus).toBe('-');
		expect(fonts.printable('Café — 银行 −4 → ok')).toBe('Café — ?? -4 -> ok');
		doc.end();
	});
});
