// The part of fontkit (a dependency of pdfkit, without published types) the PDF export and the
// font slices (src/lib/fonts) use.
declare module 'fontkit' {
	export interface Font {
		hasGlyphForCodePoint(codePoint: number): boolean;
		/** Every code point the font maps to a glyph. */
		readonly characterSet: number[];
	}
	export function create(buffer: Buffer, postscriptName?: string): Font;
}

// subset-font (harfbuzz's hb-subset in WebAssembly), without published types.
declare module 'subset-font' {
	export default function subsetFont(
		font: Buffer,
		text: string,
		options?: { targetFormat?: 'sfnt' | 'truetype' | 'woff' | 'woff2' }
	): Promise<Buffer>;
}
