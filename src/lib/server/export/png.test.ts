import { describe, expect, it } from 'vitest';
import { MAX_PNG_PIXELS, PNG_SCALE, pngZoom, svgToPng } from './png';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('svgToPng', () => {
	it('renders a PNG at twice the SVG size', async () => {
		const svg =
			'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40"><rect width="120" height="40" fill="#1f3a5f"/><text x="4" y="28" font-size="20" fill="#fff">银行 ★</text></svg>';
		const png = await svgToPng(svg);
		expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
		expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
		expect(png.readUInt32BE(16)).toBe(120 * PNG_SCALE);
		expect(png.readUInt32BE(20)).toBe(40 * PNG_SCALE);
	});

	it('draws Chinese with the shipped font alone, no system font loaded', async () => {
		// Missing glyphs all draw as the same box (or nothing), so two different words would look alike.
		const word = (text: string) =>
			`<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><text x="4" y="28" font-size="20" font-family="'Noto Sans S Chinese'">${text}</text></svg>`;
		const bank = await svgToPng(word('银行网点'), { systemFonts: false });
		const queue = await svgToPng(word('排队等候'), { systemFonts: false });
		const blank = await svgToPng(word(''), { systemFonts: false });
		expect(bank.equals(queue)).toBe(false);
		expect(bank.equals(blank)).toBe(false);
		expect(queue.equals(blank)).toBe(false);
	});

	it('rejects a malformed SVG', async () => {
		await expect(svgToPng('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>')).rejects.toThrow();
	});
});

describe('pngZoom', () => {
	it('keeps huge boards within the pixel budget', () => {
		expect(pngZoom(3000, 1000)).toBe(PNG_SCALE);
		const zoom = pngZoom(200_000, 2_000);
		expect(200_000 * zoom * 2_000 * zoom).toBeLessThanOrEqual(MAX_PNG_PIXELS * 1.0001);
	});
});
