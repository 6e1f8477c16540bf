import { isMainThread } from 'node:worker_threads';
import { Resvg, renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';

/** Pixels per SVG unit: twice the canvas size, so the cards' small print stays sharp when zoomed. */
export const PNG_SCALE = 2;
/** Most pixels one PNG may have (about 160 MB of RGBA while rendering); larger boards are scaled down. */
export const MAX_PNG_PIXELS = 40_000_000;

/** The zoom that keeps an image of `width` × `height` SVG units within the pixel budget. */
export function pngZoom(width: number, height: number): number {
	const area = Math.max(1, width) * Math.max(1, height);
	return Math.min(PNG_SCALE, Math.sqrt(MAX_PNG_PIXELS / area));
}

function svgSize(svg: string): { width: number; height: number } {
	const match = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
	return match ? { width: Number(match[1]), height: Number(match[2]) } : { width: 1, height: 1 };
}

/**
 * Rasterises an SVG to PNG with resvg, off the event loop (the sync server shares this process):
 * on a render worker, on that worker's own thread (whose lowered priority then covers it); on the
 * main thread, on libuv's pool. System fonts are loaded, so Chinese renders when a CJK font such
 * as fonts-noto-cjk is installed; without one, text falls back to whatever fonts exist.
 */
export async function svgToPng(svg: string): Promise<Buffer> {
	const { width, height } = svgSize(svg);
	const options: ResvgRenderOptions = {
		// No defaultFontFamily: naming a CJK collection there made every render ~4 s slower; the SVG
		// names its fonts, and resvg falls back to any installed face that has a missing glyph.
		font: { loadSystemFonts: true },
		fitTo: { mode: 'zoom', value: pngZoom(width, height) },
		background: '#ffffff',
		logLevel: 'off'
	};
	const image = isMainThread ? await renderAsync(svg, options) : new Resvg(svg, options).render();
	return image.asPng();
}
