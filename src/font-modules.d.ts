// The part of fontkit (a dependency of pdfkit, without published types) the PDF export uses.
declare module 'fontkit' {
	export interface Font {
		hasGlyphForCodePoint(codePoint: number): boolean;
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
