import { readFileSync } from 'node:fs';
import { create as openFont, type Font } from 'fontkit';
import { describe, expect, it } from 'vitest';
import { END_ICON, KIND_ICON, PEAK_ICON } from '$lib/journey/export/report';
import { shippedFont } from './shipped-font';

describe('the shipped font', () => {
	it('has a glyph for every symbol the exports draw, so none prints as a box', () => {
		const files = shippedFont();
		expect(files).not.toBeNull();
		for (const file of [files!.regular, files!.bold]) {
			const font = openFont(readFileSync(file.path)) as Font;
			const symbols = [...Object.values(KIND_ICON), PEAK_ICON, END_ICON];
			expect(symbols.filter((symbol) => !font.hasGlyphForCodePoint(symbol.codePointAt(0)!))).toEqual([]);
		}
	});
});
