import { describe, expect, it } from 'vitest';
import { chineseSlices, everydayCharacters, REST_SLICE_SIZE, slicesVersion, unicodeRange } from './chinese-slices';

const code = (text: string) => [...text].map((character) => character.codePointAt(0)!);

describe('the cut of the shipped Chinese font', () => {
	it('holds the characters of everyday text and their punctuation in its first slice', () => {
		const everyday = everydayCharacters();
		expect(everyday.size).toBe(3755 + 0x40 + 0xf0);
		for (const codePoint of code('看板我的工作网点到访客户之旅，。：（）')) expect(everyday.has(codePoint)).toBe(true);
		// Level 2 and beyond wait for their own slice.
		for (const codePoint of code('龘靐齉')) expect(everyday.has(codePoint)).toBe(false);
	});

	it('puts every covered CJK character in exactly one slice, and nothing outside the CJK ranges', () => {
		const covered = [...code('Abc看板龘靐齉'), ...Array.from({ length: 2500 }, (_, index) => 0x3400 + index)];
		const slices = chineseSlices(covered);
		const all = slices.flat();
		expect(new Set(all).size).toBe(all.length);
		expect(all.sort((a, b) => a - b)).toEqual(covered.filter((codePoint) => codePoint >= 0x2e80).sort((a, b) => a - b));
		expect(slices[0]).toEqual(code('看板').sort((a, b) => a - b));
		expect(slices.slice(1).every((slice) => slice.length <= REST_SLICE_SIZE)).toBe(true);
	});

	it('writes runs of code points as ranges', () => {
		expect(unicodeRange([0x4e00, 0x4e01, 0x4e02, 0x4e05, 0x9fa5, 0x9fa6])).toBe('U+4E00-4E02,U+4E05,U+9FA5-9FA6');
		expect(unicodeRange([])).toBe('');
	});

	it('names a different cut differently, the same cut the same', () => {
		expect(slicesVersion([[1, 2], [3]])).toBe(slicesVersion([[1, 2], [3]]));
		expect(slicesVersion([[1, 2], [3]])).not.toBe(slicesVersion([[1], [2, 3]]));
	});
});
