/**
 * The one rounding rule for every figure people read (screen, summary, PDF, CSV, Markdown, SVG):
 * one decimal, halves rounded away from zero (−1.75 → −1.8, 2.25 → 2.3, 0.05 → 0.1), never −0.
 */

/** Decimals every displayed figure keeps. */
export const FIGURE_DECIMALS = 1;
/** Significant digits a value is cut to before rounding, so 1.005 stored as 1.00499999… still rounds as written. */
const DECIMAL_DIGITS = 12;

/** Typographic minus, as the interface shows negative numbers. */
export const MINUS = '−';

/** A value rounded to `decimals` places, halves away from zero, never −0. */
export function roundFigure(value: number, decimals: number = FIGURE_DECIMALS): number {
	if (!Number.isFinite(value)) return value;
	const scale = 10 ** decimals;
	// Binary floating point stores −1.75 exactly but 1.005 as 1.00499…: cut to decimal digits first.
	const scaled = Number((Math.abs(value) * scale).toPrecision(DECIMAL_DIGITS));
	const rounded = (Math.sign(value) * Math.round(scaled)) / scale;
	return rounded + 0 || 0;
}

/**
 * A figure for people: rounded by the rule, as few decimals as it needs (2, 2.3), a typographic
 * minus (or `minus`), and `+` on positives when `signed`.
 */
export function formatFigure(value: number, options: { signed?: boolean; minus?: string; decimals?: number } = {}): string {
	const rounded = roundFigure(value, options.decimals);
	const digits = String(Math.abs(rounded));
	if (rounded < 0) return (options.minus ?? MINUS) + digits;
	return options.signed && rounded > 0 ? `+${digits}` : digits;
}

/** A ratio as a whole percentage by the same rule, e.g. 0.2 → "20%", 0.125 → "13%"; null → "—". */
export function formatPercent(ratio: number | null): string {
	return ratio === null ? '—' : `${roundFigure(ratio * 100, 0)}%`;
}

/** A count with thousands separators, e.g. 1200 → "1,200" (`1 200` in locales that write it so). */
export function formatCount(count: number, locale = 'en'): string {
	return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(count);
}
