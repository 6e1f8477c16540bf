import { describe, expect, it } from 'vitest';
import { fitText, placeLabels, textWidth } from './curve-labels';

describe('placeLabels', () => {
	it('never places two labels that overlap on one row', () => {
		const requests = Array.from({ length: 200 }, (_, index) => ({ x: index * 5, text: `Touchpoint ${index}`, priority: index % 7 }));
		const placed = placeLabels(requests, { rows: 2, fontSize: 12, left: 0, right: 1000 });
		expect(placed.length).toBeGreaterThan(4);
		expect(placed.length).toBeLessThan(40);
		for (const a of placed) {
			for (const b of placed) {
				if (a === b || a.row !== b.row) continue;
				expect(Math.abs(a.x - b.x)).toBeGreaterThanOrEqual((a.width + b.width) / 2);
			}
		}
	});

	it('places the most important label first and keeps labels inside the box', () => {
		const placed = placeLabels(
			[
				{ x: 995, text: 'The end of the journey', priority: 1 },
				{ x: 990, text: 'Crowded out', priority: 5 }
			],
			{ rows: 1, fontSize: 12, left: 0, right: 1000 }
		);
		expect(placed.map((label) => label.text)).toEqual(['The end of the journey']);
		expect(placed[0].x + placed[0].width / 2).toBeLessThanOrEqual(1000);
	});

	it('cuts a label to its width, counting Chinese characters as square', () => {
		expect(textWidth('开户', 10)).toBe(20);
		const cut = fitText('A very long stage name indeed', 10, 60);
		expect(cut.endsWith('…')).toBe(true);
		expect(textWidth(cut, 10)).toBeLessThanOrEqual(60);
	});
});
