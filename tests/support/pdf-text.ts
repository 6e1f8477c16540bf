import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * The text of a PDF as a reader's copy-and-paste would give it (through each font's ToUnicode map),
 * page by page, one line per run of text. Pure JavaScript, so the tests need no poppler.
 */
export async function pdfText(pdf: Uint8Array): Promise<string> {
	return (await pdfPages(pdf)).join('\n');
}

/**
 * Each page's text, one run of text after another; with `spaced`, runs on one line are parted by a
 * space, as a layout-keeping extractor (`pdftotext -layout`) would show them side by side.
 */
export async function pdfPages(pdf: Uint8Array, { spaced = false } = {}): Promise<string[]> {
	const document = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, disableFontFace: true, verbosity: 0 }).promise;
	const pages: string[] = [];
	for (let number = 1; number <= document.numPages; number += 1) {
		const content = await (await document.getPage(number)).getTextContent();
		const gap = spaced ? ' ' : '';
		pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : gap) : '')).join(''));
	}
	await document.destroy();
	return pages;
}
