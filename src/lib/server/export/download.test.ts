import { describe, expect, it } from 'vitest';
import { downloadResponse, exportFileName } from './download';

describe('export file names', () => {
	it('are the board title with the format extension', () => {
		expect(exportFileName('Retail bank branch visit', 'journey.json')).toBe('Retail bank branch visit.journey.json');
		expect(exportFileName('银行网点到访', 'csv')).toBe('银行网点到访.csv');
	});

	it('are sanitised, and named after the journey when the title leaves nothing', () => {
		expect(exportFileName('../../etc/passwd', 'md')).toBe('etc passwd.md');
		expect(exportFileName(' ... ', 'svg')).toBe('journey.svg');
	});
});

describe('downloadResponse', () => {
	it('is an attachment that is neither cached by others nor sniffed nor run', async () => {
		const response = await downloadResponse(new Request('http://localhost/'), 'a,b\r\n', 'x.csv', 'text/csv; charset=utf-8');
		expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(response.headers.get('content-disposition')).toMatch(/^attachment; /);
		expect(response.headers.get('content-length')).toBe('5');
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('cache-control')).toContain('no-store');
		expect(response.headers.get('content-security-policy')).toContain('sandbox');
		expect(await response.text()).toBe('a,b\r\n');
	});

	it('names the file in ASCII for old clients and exactly in UTF-8', async () => {
		const response = await downloadResponse(new Request('http://localhost/'), '', '银行网点到访.csv', 'text/csv; charset=utf-8');
		expect(response.headers.get('content-disposition')).toBe(
			`attachment; filename="journey.csv"; filename*=UTF-8''${encodeURIComponent('银行网点到访')}.csv`
		);
	});
});
