import { describe, expect, it } from 'vitest';
import { emptyJourney, type Journey } from '../schema';
import { fixtureJourney as fixture } from '../../../../tests/support/fixtures';
import { journeyMarkdown, markdownText } from './markdown';

const bankBranch = fixture('bank-branch.journey.json');

/** The lines of one `## ` section, without its heading. */
function section(markdown: string, heading: string): string[] {
	const lines = markdown.split('\n');
	const start = lines.indexOf(`## ${heading}`);
	if (start === -1) throw new Error(`no section ${heading}`);
	const end = lines.findIndex((line, index) => index > start && line.startsWith('## '));
	return lines.slice(start + 1, end === -1 ? undefined : end);
}

describe('journeyMarkdown', () => {
	const markdown = journeyMarkdown(bankBranch);

	it('opens with the title', () => {
		expect(markdown.split('\n')[0]).toBe('# Retail bank branch visit — gold-card customer');
	});

	it('states peak–end: remembered against average, the peak, the end and both checks', () => {
		const lines = section(markdown, 'Peak–end').join('\n');
		expect(lines).toContain('Remembered score (peak + end) / 2: +3.5');
		expect(lines).toContain('Average emotion: +0.6');
		expect(lines).toMatch(/Peak: ▲ Welcome \(\+4\)/);
		expect(lines).toMatch(/End: ▲ Farewell \(\+3\)/);
		expect(lines).toMatch(/✅ Balance check: \*\*passes\*\*/);
		expect(lines).toMatch(/✅ End check: \*\*passes\*\*/);
	});

	it('ranks key experiences by weighted gap, the worst first', () => {
		const rows = section(markdown, 'Key experiences').filter((line) => /^\| \d+ \|/.test(line));
		expect(rows).toHaveLength(15);
		expect(rows[0]).toMatch(/^\| 1 \| ▼ Queueing and waiting \| Waiting \| Branch operations \| 8 \| 4 \| −4 \| 9 \| \*\*−36\*\* \| 2 \|$/);
		expect(rows[1]).toContain('Fees');
		expect(rows[1]).toContain('**−28**');
	});

	it('lists the unsupported peaks and the evidence coverage', () => {
		const peaks = section(markdown, 'Unsupported peaks').filter((line) => line.startsWith('- '));
		expect(peaks.map((line) => line.split(' (')[0])).toEqual(['- ▲ Staff attitude', '- ▲ Value-added services', '- ▲ Farewell']);
		expect(section(markdown, 'Evidence coverage').join(' ')).toContain('3 of 15 touchpoints (20%)');
		expect(section(markdown, 'Marking warnings')).toContain('None.');
	});

	it('lists every touchpoint under its stage with its evidence', () => {
		const stages = markdown.split('\n').filter((line) => line.startsWith('### '));
		expect(stages).toEqual(['### 1. Before the visit', '### 2. Arrival', '### 3. Waiting', '### 4. Service', '### 5. Leaving']);
		expect(markdown.split('\n').filter((line) => line.startsWith('#### '))).toHaveLength(15);
		const queue = markdown.slice(markdown.indexOf('#### ▼ Queueing and waiting'), markdown.indexOf('#### ● Information displays'));
		expect(queue).toContain('- **Metric**: Median wait at gold-card window');
		expect(queue).toContain('20 minutes · n = 412 customers');
		expect(queue).toContain("“I pay for the gold card so I don't have to stand in line.”");
		expect(markdown).toContain('#### ▲ Welcome — ★ Peak');
		expect(markdown).toContain('#### ▲ Farewell — ■ End');
	});

	it('warns about markings that contradict the emotion', () => {
		const journey = { ...bankBranch, touchpoints: bankBranch.touchpoints.map((t) => (t.id === 't1' ? { ...t, emotion: -4 } : t)) };
		const warnings = section(journeyMarkdown(journey), 'Marking warnings').filter((line) => line.startsWith('- '));
		expect(warnings).toEqual(['- ⚠ ● Location (−4): marked neutral, but the emotion is strong enough to be a moment of truth']);
	});

	it('renders journey text inert: no HTML, links or emphasis from titles', () => {
		const hostile: Journey = {
			...bankBranch,
			title: '<script>alert(1)</script> *bold* [x](javascript:alert(1))',
			touchpoints: bankBranch.touchpoints.map((t, index) =>
				index === 7 ? { ...t, title: '| pipe | <img src=x onerror=alert(1)>', description: '# not a heading\n- nor a list' } : t
			)
		};
		const output = journeyMarkdown(hostile);
		// Every < is backslash-escaped, so no renderer sees a tag.
		expect(output).not.toMatch(/(?<!\\)<(script|img|\/script)/);
		expect(output).toContain('\\<script\\>alert(1)\\</script\\> \\*bold\\* \\[x\\](javascript:alert(1))');
		expect(output).toContain('\\| pipe \\| \\<img src=x onerror=alert(1)\\>');
		expect(output).toContain('\n\\# not a heading - nor a list\n');
	});

	it('says so when nothing can be computed', () => {
		const output = journeyMarkdown(emptyJourney('Empty'));
		expect(output).toContain('No touchpoint has an emotion yet');
		expect(output).toContain('No touchpoint has both an expectation and an experience score yet.');
		expect(output).toContain('0 of 0 touchpoints (—)');
		expect(output).toContain('No touchpoints.');
	});

	it('is written in Chinese for a Chinese reader', () => {
		const output = journeyMarkdown(bankBranch, 'zh-CN');
		expect(output).toContain('## 峰终定律');
		expect(output).toContain('## 关键体验');
	});
});

describe('markdownText', () => {
	it('escapes markup characters and leading block markers, on one line', () => {
		expect(markdownText('a_b*c`d')).toBe('a\\_b\\*c\\`d');
		expect(markdownText('- item')).toBe('\\- item');
		expect(markdownText('1. first')).toBe('1\\. first');
		expect(markdownText('two\nlines')).toBe('two lines');
		expect(markdownText('R&D &amp;')).toBe('R&D \\&amp;');
		expect(markdownText('plain words, with punctuation.')).toBe('plain words, with punctuation.');
	});
});
