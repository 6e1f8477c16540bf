/**
 * How the shipped Chinese font is cut for browsers, so that a page downloads only the part of it
 * that its characters need: one slice of the characters of everyday text (GB 2312 level 1, the
 * 3,755 most used, with the CJK punctuation and full-width forms), then the rest of the font in
 * slices of code points in order. Every slice is one @font-face with an exact `unicode-range`, so a
 * rarely used character costs one small slice, never the whole font.
 */

/** The code point ranges the shipped font is used for (CJK radicals to full-width forms). */
export const CJK_RANGES: readonly (readonly [number, number])[] = [
	[0x2e80, 0x2fdf],
	[0x3000, 0x30ff],
	[0x3100, 0x312f],
	[0x31c0, 0x31ef],
	[0x3400, 0x4dbf],
	[0x4e00, 0x9fff],
	[0xf900, 0xfaff],
	[0xfe30, 0xfe4f],
	[0xff00, 0xffef]
];

/** Characters per slice after the everyday one: about 240 KB of each face. */
export const REST_SLICE_SIZE = 1000;

/** GB 2312 level 1: rows 16 to 55, each of 94 cells from 0xA1. */
const GB2312_LEVEL1_ROWS: readonly [number, number] = [0xb0, 0xd7];
const GB2312_CELLS: readonly [number, number] = [0xa1, 0xfe];
/** Punctuation and forms every Chinese sentence uses: CJK symbols and punctuation, full-width forms. */
const EVERYDAY_BLOCKS: readonly (readonly [number, number])[] = [
	[0x3000, 0x303f],
	[0xff00, 0xffef]
];

const HAN = /^\p{Script=Han}$/u;

function inCjkRanges(codePoint: number): boolean {
	return CJK_RANGES.some(([first, last]) => codePoint >= first && codePoint <= last);
}

/** The characters of everyday Chinese text: GB 2312 level 1 and the punctuation blocks. */
export function everydayCharacters(): Set<number> {
	const decoder = new TextDecoder('gbk');
	const result = new Set<number>();
	for (let row = GB2312_LEVEL1_ROWS[0]; row <= GB2312_LEVEL1_ROWS[1]; row++) {
		for (let cell = GB2312_CELLS[0]; cell <= GB2312_CELLS[1]; cell++) {
			const character = decoder.decode(new Uint8Array([row, cell]));
			// The last row's five empty cells decode to private-use characters in GBK.
			if (HAN.test(character)) result.add(character.codePointAt(0)!);
		}
	}
	for (const [first, last] of EVERYDAY_BLOCKS) for (let codePoint = first; codePoint <= last; codePoint++) result.add(codePoint);
	return result;
}

/**
 * The slices of a font covering `covered` (its character map), within the CJK ranges: the everyday
 * characters first, then the others in code point order, `REST_SLICE_SIZE` at a time. Each slice
 * is its code points in ascending order; no code point is in two slices.
 */
export function chineseSlices(covered: Iterable<number>, everyday: ReadonlySet<number> = everydayCharacters()): number[][] {
	const inRange = [...new Set(covered)].filter(inCjkRanges).sort((a, b) => a - b);
	const first = inRange.filter((codePoint) => everyday.has(codePoint));
	const rest = inRange.filter((codePoint) => !everyday.has(codePoint));
	const slices = [first];
	for (let start = 0; start < rest.length; start += REST_SLICE_SIZE) slices.push(rest.slice(start, start + REST_SLICE_SIZE));
	return slices.filter((slice) => slice.length > 0);
}

/** A CSS `unicode-range` value for ascending code points, runs written as ranges: `U+4E00-4E05,U+4E07`. */
export function unicodeRange(codePoints: readonly number[]): string {
	const parts: string[] = [];
	for (let index = 0; index < codePoints.length;) {
		let end = index;
		while (end + 1 < codePoints.length && codePoints[end + 1] === codePoints[end] + 1) end++;
		const hex = (codePoint: number) => codePoint.toString(16).toUpperCase();
		parts.push(end === index ? `U+${hex(codePoints[index])}` : `U+${hex(codePoints[index])}-${hex(codePoints[end])}`);
		index = end + 1;
	}
	return parts.join(',');
}

/**
 * A short name for one cut (FNV-1a over its code points), part of each slice's address: a slice's
 * address never serves other characters, so browsers may keep it for a year.
 */
export function slicesVersion(slices: readonly (readonly number[])[]): string {
	let hash = 0x811c9dc5;
	for (const slice of slices) {
		for (const codePoint of [...slice, -1]) {
			hash ^= codePoint & 0xffffffff;
			hash = Math.imul(hash, 0x01000193) >>> 0;
		}
	}
	return hash.toString(36);
}
