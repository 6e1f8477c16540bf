import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { openFilesLimit, socketsWithinLimit } from './descriptor-limit';

function limitsFile(text: string): string {
	const path = join(mkdtempSync(join(tmpdir(), 'limits-')), 'limits');
	writeFileSync(path, text);
	return path;
}

describe('the socket budget within the file descriptor limit', () => {
	test('reads the soft limit on open files', () => {
		const path = limitsFile(
			'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 524288               files\n'
		);
		expect(openFilesLimit(path)).toBe(1024);
		expect(openFilesLimit(limitsFile('Max open files            unlimited            unlimited            files\n'))).toBeNull();
		expect(openFilesLimit('/nonexistent/limits')).toBeNull();
	});

	test('keeps a fifth of the descriptors, at least 256, for everything else', () => {
		expect(socketsWithinLimit(4_000, 1_024)).toBe(768);
		expect(socketsWithinLimit(4_000, 20_000)).toBe(4_000);
		expect(socketsWithinLimit(4_000, 4_500)).toBe(3_600);
		expect(socketsWithinLimit(4_000, null)).toBe(4_000);
		expect(socketsWithinLimit(4_000, 100)).toBe(1);
	});
});
