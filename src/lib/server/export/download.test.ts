import { describe, expect, it } from 'vitest';
import { asciiFileName, attachmentDisposition, downloadResponse, exportFileName, fileStem, MAX_FILE_STEM_LENGTH } from './download';

describe('export file names', () => {
	it('are the board title with the format extension', () => {
		expect(exportFileName('Retail bank branch visit', 'journey.json')).toBe('Retail bank branch visit.journey.json');
		expect(exportFileName('银行网点到访', 'csv')).toBe('银行网点到访.csv');
	});

	it('drop path separators, reserved and control characters', () => {
		expect(fileStem('../../etc/passwd')).toBe('etc passwd');
		expect(fileStem('a<b>c:d"e|f?g*h\\i')).toBe('a b c d e f g h i');
		expect(fileStem('tab\there\u0000nul')).toBe('tab here nul');
		expect(fileStem('evil\u202egnp.exe')).toBe('evilgnp.exe');
	});

	it('never come out empty, hidden or reserved', () => {
		expect(fileStem('')).toBe('journey');
		expect(fileStem(' ... ')).toBe('journey');
		expect(fileStem('.hidden')).toBe('hidden');
		expect(fileStem('CON')).toBe('CON_');
	});

	it('keep at most a bounded number of characters', () => {
		expect([...fileStem('长'.repeat(500))]).toHaveLength(MAX_FILE_STEM_LENGTH);
	});
});

describe('Content-Disposition', () => {
	it('gives an ASCII fallback and the exact UTF-8 name', () => {
		expect(attachmentDisposition('Retail bank branch visit.journey.json')).toBe(
			`attachment; filename="Retail bank branch visit.journey.json"; filename*=UTF-8''Retail%20bank%20branch%20visit.journey.json`
		);
		const chinese = attachmentDisposition('银行网点到访.csv');
		expect(chinese).toBe(`attachment; filename="journey.csv"; filename*=UTF-8''${encodeURIComponent('银行网点到访')}.csv`);
		expect(decodeURIComponent(chinese.split("UTF-8''")[1])).toBe('银行网点到访.csv');
	});

	it('keeps the readable part of a mixed title in the fallback', () => {
		expect(asciiFileName('Retail bank — 金卡 (gold) café.md')).toBe('Retail bank - _ (gold) cafe.md');
	});

	it('percent-encodes characters RFC 8187 does not allow bare', () => {
		expect(attachmentDisposition("it's (nice)*.md")).toContain("filename*=UTF-8''it%27s%20%28nice%29%2A.md");
	});
});

describe('downloadResponse', () => {
	it('is an attachment that is neither cached by others nor sniffed nor run', async () => {
		const response = downloadResponse('a,b\r\n', 'x.csv', 'text/csv; charset=utf-8');
		expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(response.headers.get('content-disposition')).toMatch(/^attachment; /);
		expect(response.headers.get('content-length')).toBe('5');
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('cache-control')).toContain('no-store');
		expect(response.headers.get('content-security-policy')).toContain('sandbox');
		expect(await response.text()).toBe('a,b\r\n');
	});
});
