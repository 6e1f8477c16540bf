import type { Translator } from '../../i18n';
import { formatNumber } from '../../journey/export/report';
import type { PdfFonts } from './pdf-fonts';

/** A4 portrait in points, and the margins of the summary. */
export const PAGE = { width: 595.28, height: 841.89, margin: 48 } as const;
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
/** The app's palette (src/app.css). */
export const COLORS = {
	ink: '#1f3a5f',
	text: '#1d2430',
	muted: '#5c6675',
	line: '#d5dae1',
	band: '#f3f5f8',
	positive: '#1b7f4b',
	positiveBg: '#e3f5ea',
	negative: '#b3261e',
	negativeBg: '#fde8e6',
	neutral: '#5c6675',
	assumedBg: '#fff4d6',
	assumedText: '#7a5a00'
} as const;

/** Everything a section needs to draw: the document, its fonts and the export's words. */
export interface PdfContext {
	doc: PDFKit.PDFDocument;
	fonts: PdfFonts;
	t: Translator;
}

/** A number as printed in the PDF: a sign on positives when asked, the font's own minus. */
export function pdfNumber(context: PdfContext, value: number, signed = false): string {
	return formatNumber(value, { signed, minus: context.fonts.minus });
}

/** The colour of an emotion or gap by its sign. */
export function signColor(value: number): string {
	return value > 0 ? COLORS.positive : value < 0 ? COLORS.negative : COLORS.neutral;
}

/** `text` in the current font cut to `width` with an ellipsis. */
export function fit(context: PdfContext, text: string, width: number): string {
	const { doc } = context;
	const printable = context.fonts.printable(text);
	if (doc.widthOfString(printable) <= width) return printable;
	const chars = [...printable];
	let low = 0;
	let high = chars.length;
	while (low < high) {
		const middle = Math.ceil((low + high) / 2);
		if (doc.widthOfString(chars.slice(0, middle).join('') + '…') <= width) low = middle;
		else high = middle - 1;
	}
	return chars.slice(0, low).join('').trimEnd() + '…';
}

interface TextStyle {
	size: number;
	bold?: boolean;
	color?: string;
	width?: number;
	align?: 'left' | 'center' | 'right';
	/** One line, cut with an ellipsis to `width`. */
	oneLine?: boolean;
}

/** Draws text at (x, y), the top of its line; returns the height it took. */
export function drawText(context: PdfContext, text: string, x: number, y: number, style: TextStyle): number {
	const { doc, fonts } = context;
	doc
		.font(style.bold ? fonts.bold : fonts.regular)
		.fontSize(style.size)
		.fillColor(style.color ?? COLORS.text);
	const width = style.width ?? CONTENT_WIDTH;
	const content = style.oneLine ? fit(context, text, width) : fonts.printable(text);
	const options = { width, align: style.align ?? 'left', lineBreak: !style.oneLine, lineGap: 1 } as const;
	doc.text(content, x, y, options);
	return doc.heightOfString(content, options);
}

/** Moves to a new page when fewer than `height` points are left; returns the y to draw at. */
export function ensureSpace(context: PdfContext, y: number, height: number): number {
	if (y + height <= PAGE.height - PAGE.margin) return y;
	context.doc.addPage();
	return PAGE.margin;
}

/** A section heading with a rule under it; returns the y below it. */
export function drawHeading(context: PdfContext, text: string, y: number): number {
	const height = drawText(context, text, PAGE.margin, y, { size: 12.5, bold: true, color: COLORS.ink, oneLine: true });
	const ruleY = y + height + 3;
	context.doc
		.moveTo(PAGE.margin, ruleY)
		.lineTo(PAGE.margin + CONTENT_WIDTH, ruleY)
		.lineWidth(0.75)
		.strokeColor(COLORS.line)
		.stroke();
	return ruleY + 8;
}

/** The kind marks of the canvas as vector shapes (● ▲ ▼), so they print in any font. */
export function drawKindMark(context: PdfContext, kind: string, x: number, y: number, size = 7): void {
	const { doc } = context;
	const half = size / 2;
	if (kind === 'positive-peak') doc.polygon([x, y - half], [x + half, y + half], [x - half, y + half]).fill(COLORS.positive);
	else if (kind === 'negative-peak') doc.polygon([x - half, y - half], [x + half, y - half], [x, y + half]).fill(COLORS.negative);
	else doc.circle(x, y, half * 0.8).fill(COLORS.neutral);
}

/** A five-pointed star (the peak mark). */
export function drawStar(context: PdfContext, x: number, y: number, radius: number, color: string): void {
	const points: number[][] = [];
	for (let index = 0; index < 10; index += 1) {
		const r = index % 2 === 0 ? radius : radius * 0.45;
		const angle = -Math.PI / 2 + (index * Math.PI) / 5;
		points.push([x + r * Math.cos(angle), y + r * Math.sin(angle)]);
	}
	context.doc.polygon(...points).fill(color);
}

/** A small flag (the end mark), its pole's foot at (x, y). */
export function drawFlag(context: PdfContext, x: number, y: number, height: number, color: string): void {
	const { doc } = context;
	doc
		.moveTo(x, y)
		.lineTo(x, y - height)
		.lineWidth(1.2)
		.strokeColor(color)
		.stroke();
	doc.polygon([x, y - height], [x + height * 0.75, y - height * 0.78], [x, y - height * 0.55]).fill(color);
}

/** A check mark or a cross in a coloured disc, for passed and failed checks. */
export function drawCheckMark(context: PdfContext, ok: boolean | null, x: number, y: number): void {
	const { doc } = context;
	const color = ok === null ? COLORS.muted : ok ? COLORS.positive : COLORS.negative;
	doc.circle(x, y, 5.5).fill(color);
	doc.lineWidth(1.4).strokeColor('#ffffff');
	if (ok === null)
		doc
			.moveTo(x - 2.5, y)
			.lineTo(x + 2.5, y)
			.stroke();
	else if (ok)
		doc
			.moveTo(x - 2.6, y)
			.lineTo(x - 0.6, y + 2.2)
			.lineTo(x + 2.8, y - 2.2)
			.stroke();
	else
		doc
			.moveTo(x - 2.2, y - 2.2)
			.lineTo(x + 2.2, y + 2.2)
			.moveTo(x + 2.2, y - 2.2)
			.lineTo(x - 2.2, y + 2.2)
			.stroke();
}
