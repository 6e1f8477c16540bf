import type { TouchpointKind } from '../schema';
import { formatNumber } from './report';
import { hasWideCharacters, textWidth } from './text-fit';
import { escapeXml, svgNumber as n } from './xml';

/** The app's palette (src/app.css), so the export looks like the canvas. */
export const PALETTE = {
	ink: '#1f3a5f',
	inkSoft: '#4a6283',
	paper: '#f6f7f9',
	line: '#d5dae1',
	text: '#1d2430',
	muted: '#5c6675',
	laneHeader: '#e6ebf2',
	row: '#fbfcfd',
	rowOdd: '#f3f5f8',
	columnLine: '#c9d1dc',
	zeroLine: '#9aa5b4',
	link: '#b1b1b7',
	assumedBg: '#fff4d6',
	assumedText: '#7a5a00'
} as const;
export const KIND_STYLE: Record<TouchpointKind, { stroke: string; fill: string; width: number; dash?: string }> = {
	neutral: { stroke: '#5c6675', fill: '#ffffff', width: 2 },
	'positive-peak': { stroke: '#1b7f4b', fill: '#e3f5ea', width: 3 },
	'negative-peak': { stroke: '#b3261e', fill: '#fde8e6', width: 3, dash: '7 4' }
};
export const EMOTION_COLOR = { positive: '#1b7f4b', negative: '#b3261e', neutral: '#5c6675' } as const;
/**
 * The platforms' UI fonts for Latin text; Liberation Sans is metric-compatible with Arial. The font
 * the server ships (Noto Sans SC, family "Noto Sans S Chinese") comes last, for a bare machine.
 */
export const FONT_FAMILY =
	"'Segoe UI', 'Helvetica Neue', Arial, 'Liberation Sans', 'Noto Sans', 'DejaVu Sans', 'Noto Sans S Chinese', sans-serif";
/**
 * Text with Chinese characters names the font the server ships (so its PNG looks the same on every
 * machine), then the platforms' CJK sans-serif fonts. Browsers would fall back per glyph anyway, but
 * a rasteriser such as resvg takes the first installed face that has the glyph, which may be a serif
 * or a Japanese one.
 */
export const CJK_FONT_FAMILY =
	"'Noto Sans S Chinese', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'Hiragino Sans GB', 'WenQuanYi Micro Hei', sans-serif";

export interface TextOptions {
	size: number;
	fill?: string;
	weight?: number;
	anchor?: 'start' | 'middle' | 'end';
}

/** A line of text at (x, y), its baseline; journey text is escaped here. */
export function text(x: number, y: number, content: string, options: TextOptions): string {
	const weight = options.weight ? ` font-weight="${options.weight}"` : '';
	const anchor = options.anchor && options.anchor !== 'start' ? ` text-anchor="${options.anchor}"` : '';
	const family = hasWideCharacters(content) ? ` font-family="${escapeXml(CJK_FONT_FAMILY)}"` : '';
	return `<text x="${n(x)}" y="${n(y)}" font-size="${options.size}"${weight}${anchor}${family} fill="${options.fill ?? PALETTE.text}">${escapeXml(content)}</text>`;
}

/** A rectangle with extra attributes. */
export function rect(x: number, y: number, width: number, height: number, attributes: string): string {
	return `<rect x="${n(x)}" y="${n(y)}" width="${n(width)}" height="${n(height)}" ${attributes}/>`;
}

/** A rounded label with a background, as the cards' badges. */
export function pill(x: number, y: number, content: string, fill: string, color: string): { svg: string; width: number } {
	const width = textWidth(content, 10.5) + 12;
	return { svg: rect(x, y, width, 16, `rx="8" fill="${fill}"`) + text(x + 6, y + 12, content, { size: 10.5, fill: color }), width };
}

/** An emotion or score with its sign. */
export const signed = (value: number) => formatNumber(value, { signed: true });
