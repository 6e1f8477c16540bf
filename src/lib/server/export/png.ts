import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { Resvg, renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
import subsetFont from 'subset-font';
import { shippedFont } from './shipped-font';

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

/** How a PNG is rendered: `systemFonts: false` draws with the shipped font alone (as on a bare machine). */
export interface PngOptions {
	systemFonts?: boolean;
}

const shippedBytes = new Map<string, Promise<Buffer>>();

function readShipped(path: string): Promise<Buffer> {
	let bytes = shippedBytes.get(path);
	if (!bytes) {
		bytes = readFile(path);
		shippedBytes.set(path, bytes);
	}
	return bytes;
}

/**
 * Runs `render` with font files holding the shipped font's glyphs for the characters of `text` (its
 * regular and bold faces cut down with hb-subset, in a temporary folder removed afterwards). resvg
 * reads a font file whole each time it looks a face up, so the whole 8 MB face would make a board
 * several times slower to render than the few kilobytes its text needs.
 */
async function withShippedFontFor<T>(text: string, render: (fontFiles: string[]) => Promise<T>): Promise<T> {
	const shipped = shippedFont();
	if (!shipped) return render([]);
	const characters = [...new Set(text)].join('');
	const folder = await mkdtemp(join(tmpdir(), 'journey-font-'));
	try {
		const faces = [...new Set([shipped.regular.path, shipped.bold.path])];
		const files = await Promise.all(
			faces.map(async (path, index) => {
				const file = join(folder, `face-${index}.ttf`);
				await writeFile(file, await subsetFont(await readShipped(path), characters, { targetFormat: 'sfnt' }));
				return file;
			})
		);
		return await render(files);
	} finally {
		await rm(folder, { recursive: true, force: true });
	}
}

/**
 * Rasterises an SVG to PNG with resvg, off the event loop (the sync server shares this process):
 * on a render worker, on that worker's own thread (whose lowered priority then covers it); on the
 * main thread, on libuv's pool. The shipped Noto Sans SC is loaded (the SVG names it for Chinese
 * text), so Chinese renders on a machine without CJK fonts; system fonts are loaded too, for
 * scripts it lacks, unless `systemFonts` is false.
 */
export async function svgToPng(svg: string, { systemFonts = true }: PngOptions = {}): Promise<Buffer> {
	const { width, height } = svgSize(svg);
	return withShippedFontFor(svg, async (fontFiles) => {
		const options: ResvgRenderOptions = {
			// No defaultFontFamily: the SVG names its fonts, and resvg falls back to any loaded face
			// that has a missing glyph.
			font: { loadSystemFonts: systemFonts, fontFiles },
			fitTo: { mode: 'zoom', value: pngZoom(width, height) },
			background: '#ffffff',
			logLevel: 'off'
		};
		const image = isMainThread ? await renderAsync(svg, options) : new Resvg(svg, options).render();
		return image.asPng();
	});
}
