import { translator } from '../../i18n';
import { describeMissing } from './pdf-fonts';
import { COLORS, drawText, ensureSpace, PAGE, type PdfContext } from './pdf-page';

/**
 * A note under the last section when some characters could not be drawn in the PDF's font (each
 * printed as a mark instead), naming them by code point, so nothing goes missing silently. Returns
 * the y below it.
 */
export function drawMissingCharactersNote(context: PdfContext, y: number): number {
	const { missing } = context.fonts;
	if (missing.size === 0) return y;
	// In Helvetica (no CJK font at all) a Chinese note would itself be unreadable.
	const t = context.fonts.regular === 'Helvetica' ? translator('en') : context.t;
	const mark = context.fonts.regular === 'Helvetica' ? '?' : '□';
	const note = t('export.missingCharacters', { count: missing.size, mark, codes: describeMissing(missing) });
	y = ensureSpace(context, y + 6, 24);
	return y + drawText(context, note, PAGE.margin, y, { size: 8.5, color: COLORS.negative });
}
