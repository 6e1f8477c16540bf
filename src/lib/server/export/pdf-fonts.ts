import { existsSync, readFileSync } from 'node:fs';
import { create as openFont, type Font } from 'fontkit';
import { shippedFont, type FontPair } from './shipped-font';

/** Noto Sans CJK (Debian's fonts-noto-cjk): a collection, so each face is named by its PostScript name. */
export const CJK_REGULAR = { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' };
export const CJK_BOLD = { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc', face: 'NotoSansCJKsc-Bold' };

/** The fonts a PDF is set in, and how to make text and numbers printable in them. */
export interface PdfFonts {
	regular: string;
	bold: string;
	/** Text the fonts can draw; a character they lack becomes `□` (or `?` in Helvetica) and is noted. */
	printable(text: string): string;
	/** The minus sign the fonts have. */
	minus: string;
	/** The characters met that the fonts cannot draw, in the order met (the PDF lists them in a note). */
	missing: Set<string>;
}

// Characters of WinAnsi beyond Latin-1, the only ones Helvetica can draw above U+00FF.
const WIN_ANSI_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
const NOT_WIN_ANSI = new RegExp(`[^\\t\\n\\r\\u0020-\\u007e\\u00a0-\\u00ff${WIN_ANSI_EXTRA}]`, 'gu');
// eslint-disable-next-line no-control-regex -- control characters are what it removes
const NOT_PRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
// Marks that change how their neighbours look rather than drawing a glyph of their own
// (zero-width spaces and joiners, direction marks, variation selectors, the byte-order mark).
function isFormatMark(codePoint: number): boolean {
	return (
		(codePoint >= 0x200b && codePoint <= 0x200f) ||
		codePoint === 0x2060 ||
		(codePoint >= 0xfe00 && codePoint <= 0xfe0f) ||
		codePoint === 0xfeff
	);
}

interface FontHost {
	registerFont(name: string, src: string | Buffer, family?: string): unknown;
}

interface LoadedFace {
	bytes: Buffer;
	font: Font;
}

/** Faces read and parsed once per process (a CJK face is megabytes; every PDF embeds a subset). */
const loaded = new Map<string, LoadedFace>();

function load(path: string, face?: string): LoadedFace {
	const key = `${path}#${face ?? ''}`;
	let entry = loaded.get(key);
	if (!entry) {
		const bytes = readFileSync(path);
		entry = { bytes, font: openFont(bytes, face) };
		loaded.set(key, entry);
	}
	return entry;
}

/** The fonts tried in turn: the one shipped with the product, then Debian's Noto Sans CJK. */
export function fontCandidates(): FontPair[] {
	const shipped = shippedFont();
	return [...(shipped ? [shipped] : []), { regular: CJK_REGULAR, bold: CJK_BOLD }];
}

/** Whether Helvetica (WinAnsi) would lose some of `text`, beyond the signs it spells otherwise. */
export function needsUnicodeFont(text: string): boolean {
	return new RegExp(NOT_WIN_ANSI.source, 'u').test(text.replace(/[−‐→]/g, ''));
}

/**
 * The fonts for a PDF. Text that Helvetica can print (English wording, Latin text) is set in it, as
 * always; any other (`unicode`: Chinese wording or text) in the first font of `candidates` that is
 * installed, the shipped Noto Sans SC first, so Chinese renders without system fonts; without any,
 * in Helvetica. Either way a character the font cannot draw is replaced by a visible mark and
 * remembered in `missing`, never dropped silently.
 */
export function choosePdfFonts(doc: FontHost, unicode = true, candidates: FontPair[] = fontCandidates()): PdfFonts {
	const missing = new Set<string>();
	const pair = unicode ? candidates.find((candidate) => existsSync(candidate.regular.path)) : undefined;
	if (pair) {
		const regular = load(pair.regular.path, pair.regular.face);
		const bold = existsSync(pair.bold.path) ? load(pair.bold.path, pair.bold.face) : regular;
		doc.registerFont('body', regular.bytes, pair.regular.face);
		doc.registerFont('body-bold', bold.bytes, bold === regular ? pair.regular.face : pair.bold.face);
		const drawable = (character: string) => {
			const codePoint = character.codePointAt(0)!;
			return (
				/\s/u.test(character) ||
				isFormatMark(codePoint) ||
				(regular.font.hasGlyphForCodePoint(codePoint) && bold.font.hasGlyphForCodePoint(codePoint))
			);
		};
		const replacement = regular.font.hasGlyphForCodePoint(0x25a1) ? '□' : '?';
		return {
			regular: 'body',
			bold: 'body-bold',
			minus: '−',
			missing,
			printable: (text) => {
				let out = '';
				for (const character of text.replace(NOT_PRINTABLE, '')) {
					if (drawable(character)) out += character;
					else {
						missing.add(character);
						out += replacement;
					}
				}
				return out;
			}
		};
	}
	return {
		regular: 'Helvetica',
		bold: 'Helvetica-Bold',
		minus: '-',
		missing,
		printable: (text) =>
			text
				.replace(NOT_PRINTABLE, '')
				.replace(/[−‐]/g, '-')
				.replace(/→/g, '->')
				.replace(NOT_WIN_ANSI, (character) => {
					missing.add(character);
					return '?';
				})
	};
}

/** The characters of `missing` as the note names them: each with its code point, at most `limit`. */
export function describeMissing(missing: Set<string>, limit = 12): string {
	const shown = [...missing]
		.slice(0, limit)
		.map((character) => `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);
	return missing.size > limit ? `${shown.join(' ')} …` : shown.join(' ');
}
