import { describe, expect, it } from 'vitest';
import { asciiFileName, contentDisposition } from './content-disposition';

describe('contentDisposition', () => {
	it('gives an ASCII fallback and the exact UTF-8 name', () => {
		expect(contentDisposition('attachment', 'Retail bank branch visit.journey.json', 'journey')).toBe(
			`attachment; filename="Retail bank branch visit.journey.json"; filename*=UTF-8''Retail%20bank%20branch%20visit.journey.json`
		);
		const chinese = contentDisposition('attachment', '银行网点到访.csv', 'journey');
		expect(chinese).toBe(`attachment; filename="journey.csv"; filename*=UTF-8''${encodeURIComponent('银行网点到访')}.csv`);
		expect(decodeURIComponent(chinese.split("UTF-8''")[1])).toBe('银行网点到访.csv');
	});

	it('can show the file in place', () => {
		expect(contentDisposition('inline', '收据.png', 'evidence')).toBe(
			`inline; filename="evidence.png"; filename*=UTF-8''${encodeURIComponent('收据')}.png`
		);
	});

	it('keeps the readable part of a mixed name in the fallback', () => {
		expect(asciiFileName('Retail bank — 金卡 (gold) café.md', 'journey')).toBe('Retail bank - _ (gold) cafe.md');
	});

	it('percent-encodes characters RFC 8187 does not allow bare', () => {
		expect(contentDisposition('attachment', "it's (nice)*.md", 'journey')).toContain("filename*=UTF-8''it%27s%20%28nice%29%2A.md");
	});

	it('never lets a quote, a backslash or a line break into the header', () => {
		const header = contentDisposition('attachment', 'a"b\\c\r\nd.png', 'evidence');
		expect(header).not.toMatch(/[\r\n]/);
		expect(header.split('; ')[1]).toBe('filename="abc_d.png"');
	});
});
