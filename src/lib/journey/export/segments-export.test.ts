import { describe, expect, it } from 'vitest';
import { templateJourney } from '../templates';
import { journeyCsv } from './csv';
import { journeyMarkdown } from './markdown';
import { journeySvg } from './svg';

const BANK = templateJourney('bank-branch', 'Branch', 'en');
const WITHOUT_SEGMENTS = {
	...BANK,
	segments: [],
	touchpoints: BANK.touchpoints.map(({ bySegment: _bySegment, ...touchpoint }) => touchpoint)
};

describe('exports of a board with segments', () => {
	it('adds a segment column and a row per touchpoint and segment to the CSV, the all-customers rows otherwise as before', () => {
		const lines = journeyCsv(BANK).replace('\uFEFF', '').trimEnd().split('\r\n');
		const before = journeyCsv(WITHOUT_SEGMENTS).replace('\uFEFF', '').trimEnd().split('\r\n');
		expect(lines).toHaveLength(1 + 15 * 4);
		expect(lines[0]).toBe(`${before[0]},Segment`);
		for (let index = 1; index <= 15; index++) expect(lines[index]).toBe(`${before[index]},`);
		const goldQueue = lines.find((line) => line.startsWith('t8,') && line.endsWith(',Gold-card customers'));
		// Emotion −5, expectation 9, experience 7, importance 9 (inherited), satisfaction −2, weighted −18.
		expect(goldQueue).toContain(',-5,9,7,9,,-2,-18,');
	});

	it('gives the Markdown report a section per segment with the paradox in a sentence', () => {
		const markdown = journeyMarkdown(BANK);
		expect(markdown).toContain('## Segments');
		expect(markdown).toContain('### VIP customers');
		// Scores are signed as on the summary page: a positive one reads +3.5, never 3.5.
		const scores = [...markdown.matchAll(/Remembered (\S+) · average/g)].map(([, score]) => score);
		expect(scores.length).toBeGreaterThan(0);
		for (const score of scores) expect(score).toMatch(/^([+−]\d|0$)/);
		expect(markdown).toContain(
			'- Gold-card customers are better served at *Queueing and waiting* than Regular customers (7 vs 4) but less satisfied (−2 vs 0): their expectation is higher.'
		);
		expect(journeyMarkdown(WITHOUT_SEGMENTS)).not.toContain('## Segments');
		expect(journeyMarkdown(templateJourney('bank-branch', 'Branch', 'zh-CN'), 'zh-CN')).toContain('满意度却更低（−2 对 0）');
	});

	it('overlays every segment’s curve in the SVG, in its colour, with a legend', () => {
		const svg = journeySvg(BANK);
		for (const color of ['#7b3294', '#b8860b', '#1b7837']) expect(svg).toContain(`stroke="${color}" stroke-width="2"`);
		expect(svg).toContain('Gold-card customers');
		// The legend names the thick all-customers line and says what the coloured marks are.
		expect(svg).toMatch(/stroke="#1f3a5f" stroke-width="4"\/><text [^>]*>All customers<\/text>/);
		expect(svg).toContain('★ Peak · ■ End of each segment in its colour');
		const zh = journeySvg(templateJourney('bank-branch', '银行', 'zh-CN'), 'zh-CN');
		expect(zh).toContain('>全部客户</text>');
		expect(zh).toContain('（各客群以其颜色标出）');
		expect(journeySvg(WITHOUT_SEGMENTS)).not.toContain('stroke="#7b3294"');
		expect(journeySvg(WITHOUT_SEGMENTS)).not.toContain('All customers');
	});
});
