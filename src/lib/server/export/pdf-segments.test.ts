import { describe, expect, it } from 'vitest';
import { templateJourney } from '../../journey/templates';
import { summaryPdf } from './pdf';

function pageCount(pdf: Buffer): number {
	return (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
}

describe('the summary PDF of a board with segments', () => {
	it('adds the segment section, in English and Chinese', async () => {
		const bank = templateJourney('bank-branch', 'Branch', 'en');
		const withSegments = await summaryPdf(bank);
		const without = await summaryPdf({ ...bank, segments: [] });
		expect(withSegments.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		// The section (curves, three segments, two paradoxes, divergences) takes room of its own.
		expect(withSegments.length).toBeGreaterThan(without.length);
		expect(pageCount(withSegments)).toBeGreaterThanOrEqual(pageCount(without));
		expect((await summaryPdf(templateJourney('bank-branch', '支行', 'zh-CN'), 'zh-CN')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
	});
});
