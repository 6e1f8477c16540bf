import { describe, expect, it } from 'vitest';
import { exportFileName, fileStem, MAX_FILE_STEM_LENGTH } from './file-name';

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

describe('exportFileName', () => {
	it('is the sanitised title with the format extension', () => {
		expect(exportFileName('Branch visit', 'journey.json')).toBe('Branch visit.journey.json');
		expect(exportFileName('  A/B: “test”  ', 'journey.json')).toBe('A B “test”.journey.json');
		expect(exportFileName('   ', 'journey.json')).toBe('journey.journey.json');
	});
});
