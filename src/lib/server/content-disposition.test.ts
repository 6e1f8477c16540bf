import { describe, expect, it } from 'vitest';
import { asciiFileName, contentDisposition, fileStem, MAX_FILE_STEM_LENGTH } from './content-disposition';

describe('fileStem', () => {
	it('drops path separators, reserved and control characters', () => {
		expect(fileStem('../../etc/passwd', 'journey')).toBe('etc passwd');
		expect(fileStem('a<b>c:d"e|f?g*h\\i', 'journey')).toBe('a b c d e f g h i');
		expect(fileStem('tab\there\u0000nul', 'journey')).toBe('tab here nul');
		expect(fileStem('evil\u202egnp.exe', 'journey')).toBe('evilgnp.exe');
		expect(fileStem('../../../../tmp/evil"\r\nX-Injected: 1', 'evidence')).toBe('tmp evil X-Injected 1');
	});

	it('never comes out empty, hidden or reserved', () => {
		expect(fileStem('', 'journey')).toBe('journey');
		expect(fileStem(' ... ', 'evidence')).toBe('evidence');
		expect(fileStem('.hidden', 'journey')).toBe('hidden');
		expect(fileStem('CON', 'journey')).toBe('CON_');
	});

	it('keeps at most a bounded number of characters', () => {
		expect([...fileStem('长'.repeat(500), 'journey')]).toHaveLength(MAX_FILE_STEM_LENGTH);
		expect([...fileStem('长'.repeat(500), 'evidence', 200)]).toHaveLength(200);
	});
});

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
		expect(contentDisposition('inline', '收据.png', 'evidence')).toBe(`inline; filename="evidence.png"; filename*=UTF-8''${encodeURIComponent('收据')}.png`);
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
