import { existsSync } from 'node:fs';

/** Noto Sans CJK (Debian's fonts-noto-cjk): a collection, so each face is named by its PostScript name. */
export const CJK_REGULAR = { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' };
export const CJK_BOLD = { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc', face: 'NotoSansCJKsc-Bold' };

/** The fonts a PDF is set in, and how to make text and numbers printable in them. */
export interface PdfFonts {
	regular: string;
	bold: string;
	/** Text the fonts can draw: the standard fonts only have WinAnsi (Latin-1 and a few more). */
	printable(text: string): string;
	/** The minus sign the fonts have. */
	minus: string;
}

// Characters of WinAnsi beyond Latin-1, the only ones Helvetica can draw above U+00FF.
const WIN_ANSI_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
const NOT_WIN_ANSI = new RegExp(`[^\\t\\n\\r\\u0020-\\u007e\\u00a0-\\u00ff${WIN_ANSI_EXTRA}]`, 'gu');
// eslint-disable-next-line no-control-regex -- control characters are what it removes
const NOT_PRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

interface FontHost {
	registerFont(name: string, src: string, family?: string): unknown;
}

/**
 * Registers Noto Sans CJK when it is installed, so Chinese text renders; otherwise the PDF is set
 * in Helvetica, and characters it cannot draw print as `?` rather than as wrong glyphs.
 */
export function choosePdfFonts(doc: FontHost, cjk = { regular: CJK_REGULAR, bold: CJK_BOLD }): PdfFonts {
	if (existsSync(cjk.regular.path)) {
		doc.registerFont('body', cjk.regular.path, cjk.regular.face);
		const bold = existsSync(cjk.bold.path) ? cjk.bold : cjk.regular;
		doc.registerFont('body-bold', bold.path, bold.face);
		return { regular: 'body', bold: 'body-bold', minus: '−', printable: (text) => text.replace(NOT_PRINTABLE, '') };
	}
	return {
		regular: 'Helvetica',
		bold: 'Helvetica-Bold',
		minus: '-',
		printable: (text) => text.replace(NOT_PRINTABLE, '').replace(/[−‐]/g, '-').replace(/→/g, '->').replace(NOT_WIN_ANSI, '?')
	};
}
