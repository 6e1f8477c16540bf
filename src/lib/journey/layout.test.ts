import { describe, expect, it } from 'vitest';
import {
	CARD_HEIGHT,
	CARD_WIDTH,
	cellAt,
	cellOfCard,
	DEFAULT_LANE_HEIGHT,
	DEFAULT_STAGE_WIDTH,
	cardOffset,
	cardPosition,
	storedPosition,
	gridLayout,
	MIN_READABLE_ZOOM,
	startViewport
} from './layout';
import type { Journey, Touchpoint } from './schema';
import { newTouchpoint } from './touchpoint';

const grid: Pick<Journey, 'stages' | 'lanes' | 'touchpoints'> = {
	stages: [
		{ id: 'late', name: 'Service', order: 3 },
		{ id: 'early', name: 'Purchase', order: 1 },
		{ id: 'mid', name: 'Usage', order: 2, width: 300 }
	],
	lanes: [
		{ id: 'notes', name: 'Notes', order: 2, type: 'notes' },
		{ id: 'touch', name: 'Touchpoints', order: 1, type: 'touchpoints', height: 150 }
	],
	touchpoints: []
};

function card(id: string, stageId: string, laneId: string, x: number, y: number): Touchpoint {
	return newTouchpoint({ id, stageId, laneId, title: id, x, y });
}

describe('gridLayout', () => {
	it('places columns by stage order with their widths, rows by lane order with their heights', () => {
		const layout = gridLayout(grid);
		expect(layout.columns.map((column) => [column.stage.id, column.left, column.width])).toEqual([
			['early', 0, DEFAULT_STAGE_WIDTH],
			['mid', DEFAULT_STAGE_WIDTH, 300],
			['late', DEFAULT_STAGE_WIDTH + 300, DEFAULT_STAGE_WIDTH]
		]);
		expect(layout.rows.map((row) => [row.lane.id, row.top, row.height])).toEqual([
			['touch', 0, 150],
			['notes', 150, DEFAULT_LANE_HEIGHT]
		]);
		expect(layout.width).toBe(2 * DEFAULT_STAGE_WIDTH + 300);
		expect(layout.height).toBe(150 + DEFAULT_LANE_HEIGHT);
	});

	it('grows a column and a row so a card reaching past their edge stays inside', () => {
		const layout = gridLayout({ ...grid, touchpoints: [card('t', 'mid', 'touch', DEFAULT_STAGE_WIDTH + 250, 120)] });
		const mid = layout.columns.find((column) => column.stage.id === 'mid')!;
		expect(mid.left + mid.width).toBeGreaterThanOrEqual(DEFAULT_STAGE_WIDTH + 250 + CARD_WIDTH);
		expect(layout.rows[0].height).toBeGreaterThanOrEqual(120 + CARD_HEIGHT);
		expect(layout.columns[2].left).toBe(mid.left + mid.width);
	});
});

describe('cell assignment', () => {
	const layout = gridLayout(grid);

	it('finds the stage and lane a point falls in', () => {
		expect(cellAt(layout, { x: 10, y: 10 })).toEqual({ stageId: 'early', laneId: 'touch' });
		expect(cellAt(layout, { x: DEFAULT_STAGE_WIDTH + 1, y: 151 })).toEqual({ stageId: 'mid', laneId: 'notes' });
		expect(cellAt(layout, { x: DEFAULT_STAGE_WIDTH + 300, y: 149 })).toEqual({ stageId: 'late', laneId: 'touch' });
	});

	it('snaps points outside the grid to the nearest column and row', () => {
		expect(cellAt(layout, { x: -500, y: -500 })).toEqual({ stageId: 'early', laneId: 'touch' });
		expect(cellAt(layout, { x: 99_999, y: 99_999 })).toEqual({ stageId: 'late', laneId: 'notes' });
	});

	it('judges a card by its centre, not its corner', () => {
		const nearBorder = { x: DEFAULT_STAGE_WIDTH - CARD_WIDTH / 2 + 1, y: 0 };
		expect(cellAt(layout, nearBorder)?.stageId).toBe('early');
		expect(cellOfCard(layout, nearBorder)?.stageId).toBe('mid');
	});

	it('has no cell without stages or lanes', () => {
		expect(cellAt(gridLayout({ stages: [], lanes: grid.lanes, touchpoints: [] }), { x: 0, y: 0 })).toBeNull();
		expect(cellAt(gridLayout({ stages: grid.stages, lanes: [], touchpoints: [] }), { x: 0, y: 0 })).toBeNull();
	});
});

describe('the placement rule', () => {
	it('draws a card in the cell of its stage and lane, at its offset there', () => {
		// Stored in the first column's place, but its stage is the third: drawn in the third.
		const stale = card('t', 'late', 'notes', 40, 160);
		const layout = gridLayout({ ...grid, touchpoints: [stale] });
		const position = cardPosition(layout, stale)!;
		expect(cellOfCard(layout, position)).toEqual({ stageId: 'late', laneId: 'notes' });
		expect(cardOffset(layout, stale)).toEqual({ x: 0, y: 10 });
	});

	it('moves later columns and their cards when a column grows to hold a card', () => {
		const wide = card('wide', 'early', 'touch', DEFAULT_STAGE_WIDTH + 100, 10);
		const next = card('next', 'mid', 'touch', DEFAULT_STAGE_WIDTH + 20, 10);
		const layout = gridLayout({ ...grid, touchpoints: [wide, next] });
		expect(cellOfCard(layout, cardPosition(layout, wide)!)?.stageId).toBe('early');
		expect(cellOfCard(layout, cardPosition(layout, next)!)?.stageId).toBe('mid');
		expect(cardPosition(layout, next)!.x).toBe(layout.columns[1].left + 20);
	});

	it('maps an offset to the stored position and back', () => {
		const layout = gridLayout({ ...grid, touchpoints: [card('wide', 'early', 'touch', DEFAULT_STAGE_WIDTH + 100, 10)] });
		const stored = storedPosition(layout, { stageId: 'late', laneId: 'notes' }, { x: 30, y: 40 });
		expect(cardOffset(layout, { stageId: 'late', laneId: 'notes', ...stored })).toEqual({ x: 30, y: 40 });
	});

	it('judges the grid without the cards being dragged', () => {
		const dragged = card('d', 'early', 'touch', DEFAULT_STAGE_WIDTH - 20, 10);
		expect(gridLayout({ ...grid, touchpoints: [dragged] }).columns[0].width).toBeGreaterThan(DEFAULT_STAGE_WIDTH);
		expect(gridLayout({ ...grid, touchpoints: [dragged] }, new Set(['d'])).columns[0].width).toBe(DEFAULT_STAGE_WIDTH);
	});
});

describe('startViewport', () => {
	const bounds = { x: -170, y: -56, width: 1450, height: 900 };

	it('shows the whole grid, centred, when it fits at a readable zoom', () => {
		const view = startViewport(bounds, { width: 1400, height: 900 });
		expect(view.zoom).toBeGreaterThanOrEqual(MIN_READABLE_ZOOM);
		expect(view.zoom).toBeLessThanOrEqual(1);
		const left = bounds.x * view.zoom + view.x;
		const right = (bounds.x + bounds.width) * view.zoom + view.x;
		expect(left).toBeGreaterThanOrEqual(0);
		expect(right).toBeLessThanOrEqual(1400);
	});

	it('opens a wide board at a readable zoom with its top-left corner in view', () => {
		const view = startViewport({ ...bounds, width: 6000 }, { width: 1000, height: 700 });
		expect(view.zoom).toBe(MIN_READABLE_ZOOM);
		expect(bounds.x * view.zoom + view.x).toBeGreaterThanOrEqual(0);
		expect(bounds.y * view.zoom + view.y).toBeGreaterThanOrEqual(0);
	});

	it('never zooms a small board past 100%', () => {
		expect(startViewport({ x: 0, y: 0, width: 200, height: 100 }, { width: 1400, height: 900 }).zoom).toBe(1);
	});
});
