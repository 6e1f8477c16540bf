import { describe, expect, it } from 'vitest';
import { expandedView, cellCards, dropMoves, newCardSpots, overlapMoves, slotOffset, tidyMoves, withoutOverlaps } from './card-slots';
import { CARD_FOOTPRINT_HEIGHT, CARD_GAP, CARD_WIDTH, cardPosition, cellOfCard, DEFAULT_STAGE_WIDTH, gridLayout } from './layout';
import { journeyOrder } from './order';
import { card, GRID_JOURNEY, overlaps } from '../../../tests/support/placement-grid';

describe('new card spots', () => {
	it('puts new cards side by side in the cell, never on a card already there', () => {
		const journey = { ...GRID_JOURNEY, touchpoints: [card('old', 's2', 'l1', DEFAULT_STAGE_WIDTH + 16, 48)] };
		const spots = newCardSpots(journey, { stageId: 's2', laneId: 'l1' }, 3)!;
		const layout = gridLayout(journey);
		const placed = spots.map((spot, index) => card(`n${index}`, 's2', 'l1', spot.x, spot.y));
		for (const touchpoint of placed) expect(cellOfCard(layout, cardPosition(layout, touchpoint)!)).toEqual({ stageId: 's2', laneId: 'l1' });
		expect(overlaps({ ...journey, touchpoints: [...journey.touchpoints, ...placed] })).toEqual([]);
		// The first free slot is the one after the card already there.
		expect(spots[0].x).toBe(DEFAULT_STAGE_WIDTH + 16 + CARD_WIDTH + 16);
	});

	it('fills a gap between cards before going further right', () => {
		const layout = gridLayout(GRID_JOURNEY);
		const row = layout.rows[0];
		const first = slotOffset(row, 0);
		const third = slotOffset(row, 2);
		const journey = { ...GRID_JOURNEY, touchpoints: [card('a', 's1', 'l1', first.x, first.y), card('c', 's1', 'l1', third.x, third.y)] };
		expect(newCardSpots(journey, { stageId: 's1', laneId: 'l1' }, 1)).toEqual([slotOffset(row, 1)]);
	});

	it('has no spot in a cell that is not in the grid', () => {
		expect(newCardSpots(GRID_JOURNEY, { stageId: 'gone', laneId: 'l1' }, 1)).toBeNull();
	});
});

describe('the collision rule', () => {
	it('keeps the card with the smaller id and moves the others to the next free slots', () => {
		const journey = { ...GRID_JOURNEY, touchpoints: ['t3', 't1', 't10', 't2'].map((id) => card(id, 's1', 'l1', 16, 48)) };
		const moves = overlapMoves(journey);
		expect(moves.map((move) => move.id)).toEqual(['t2', 't3', 't10']);
		const after = withoutOverlaps(journey);
		expect(overlaps(after)).toEqual([]);
		expect(overlapMoves(after)).toEqual([]);
		expect(after.touchpoints.find((touchpoint) => touchpoint.id === 't1')).toMatchObject({ x: 16, y: 48 });
	});

	it('only parts cards of the same cell', () => {
		const journey = { ...GRID_JOURNEY, touchpoints: [card('a', 's1', 'l1', 16, 48), card('b', 's1', 'l2', 16, 248)] };
		expect(overlapMoves(journey)).toEqual([]);
	});

	it('leaves a cell with a settling card for later', () => {
		const journey = { ...GRID_JOURNEY, touchpoints: [card('a', 's1', 'l1', 16, 48), card('b', 's1', 'l1', 30, 50)] };
		expect(overlapMoves(journey, new Set(['b']))).toEqual([]);
		expect(overlapMoves(journey, new Set(['other']))).toHaveLength(1);
	});

	it('ignores unplaced cards', () => {
		const journey = { ...GRID_JOURNEY, touchpoints: [card('a', 'gone', 'l1', 16, 48), card('b', 'gone', 'l1', 16, 48)] };
		expect(overlapMoves(journey)).toEqual([]);
	});
});

describe('drop', () => {
	it('takes the cell under the pointer, even where the card reaches past the column edge', () => {
		// A card dragged right across the first column's edge: its own column does not widen under it.
		const dragged = card('d', 's1', 'l1', DEFAULT_STAGE_WIDTH - 150, 48);
		const journey = { ...GRID_JOURNEY, touchpoints: [dragged] };
		const drop = { id: 'd', x: DEFAULT_STAGE_WIDTH - 100, y: 48 };
		const [move] = dropMoves(journey, [drop], { pointer: { id: 'd', x: DEFAULT_STAGE_WIDTH + 10, y: 90 }, final: true });
		expect(move).toMatchObject({ stageId: 's2', laneId: 'l1' });
		const after = { ...journey, touchpoints: [{ ...dragged, ...move }] };
		const layout = gridLayout(after);
		expect(cellOfCard(layout, cardPosition(layout, after.touchpoints[0])!)?.stageId).toBe('s2');
		expect(layout.columns[0].width).toBe(DEFAULT_STAGE_WIDTH);
	});

	it('keeps a drop inside the cell as drawn and off the cards already there', () => {
		const journey = {
			...GRID_JOURNEY,
			touchpoints: [card('a', 's1', 'l1', 16, 48), card('d', 's3', 'l2', 2 * DEFAULT_STAGE_WIDTH + 16, 248)]
		};
		const [move] = dropMoves(journey, [{ id: 'd', x: 20, y: 50 }], { final: true });
		const after = { ...journey, touchpoints: [journey.touchpoints[0], { ...journey.touchpoints[1], ...move }] };
		expect(move).toMatchObject({ stageId: 's1', laneId: 'l1' });
		expect(overlaps(after)).toEqual([]);
		// Not final (mid-drag): the card may pass over others.
		expect(dropMoves(journey, [{ id: 'd', x: 20, y: 50 }])[0]).toMatchObject({ x: 20, y: 50 });
	});

	it('places an unplaced card only when dropped in the grid', () => {
		const journey = { ...GRID_JOURNEY, touchpoints: [card('u', 'gone', 'l1', 0, 0)] };
		expect(dropMoves(journey, [{ id: 'u', x: 100, y: 5_000 }], { pointer: { id: 'u', x: 150, y: 5_040 } })).toEqual([]);
		expect(dropMoves(journey, [{ id: 'u', x: 700, y: 220 }], { pointer: { id: 'u', x: 760, y: 260 } })[0]).toMatchObject({
			stageId: 's2',
			laneId: 'l2'
		});
	});
});

describe('tidy', () => {
	it('lays a cell out in journey order, one card per slot, and is then stable', () => {
		const journey = {
			...GRID_JOURNEY,
			touchpoints: [
				card('c', 's1', 'l1', 300, 60),
				card('a', 's1', 'l1', 20, 120),
				card('b', 's1', 'l1', 30, 40),
				card('z', 's2', 'l1', 700, 10)
			]
		};
		const moves = tidyMoves(journey, [{ stageId: 's1', laneId: 'l1' }]);
		expect(moves.map((move) => move.id)).toEqual(['a', 'b', 'c']);
		const after = { ...journey, touchpoints: journey.touchpoints.map((t) => ({ ...t, ...moves.find((move) => move.id === t.id) })) };
		expect(journeyOrder(after.stages, after.touchpoints).map((t) => t.id)).toEqual(['a', 'b', 'c', 'z']);
		expect(overlaps(after)).toEqual([]);
		expect(tidyMoves(after, [{ stageId: 's1', laneId: 'l1' }])).toEqual([]);
		const layout = gridLayout(after);
		expect(cellCards(layout, after, { stageId: 's1', laneId: 'l1' }).map((entry) => entry.offset.y)).toEqual([
			slotOffset(layout.rows[0], 0).y,
			slotOffset(layout.rows[0], 0).y,
			slotOffset(layout.rows[0], 0).y
		]);
	});
});

describe('expanded cards', () => {
	const CELL = { ...GRID_JOURNEY };
	const tall = 400;

	it('move the cards under them down to clear them, and the lane grows to hold them', () => {
		const journey = {
			...CELL,
			touchpoints: [card('top', 's1', 'l1', 16, 16), card('under', 's1', 'l1', 40, 140), card('beside', 's1', 'l1', 200, 140)]
		};
		const { layout, pushed } = expandedView(journey, new Map([['top', tall]]));
		expect(pushed.get('under')).toBe(16 + tall + CARD_GAP - 140);
		// Not under it: a card's width to the side.
		expect(pushed.has('beside')).toBe(false);
		expect(layout.rows[0].height).toBeGreaterThanOrEqual(16 + tall + CARD_GAP + CARD_FOOTPRINT_HEIGHT + CARD_GAP);
		expect(layout.rows[1].top).toBe(layout.rows[0].height);
	});

	it('move a card under a moved card as much, so the cell keeps its order and spacing', () => {
		const journey = {
			...CELL,
			touchpoints: [card('top', 's1', 'l1', 16, 16), card('second', 's1', 'l1', 16, 140), card('third', 's1', 'l1', 16, 260)]
		};
		const { pushed } = expandedView(journey, new Map([['top', tall]]));
		expect(pushed.get('third')).toBe(pushed.get('second'));
	});

	it('change nothing when none is expanded, or when the expanded one has room', () => {
		const journey = { ...CELL, touchpoints: [card('top', 's1', 'l1', 16, 16), card('under', 's1', 'l1', 16, 300)] };
		expect(expandedView(journey, new Map()).pushed.size).toBe(0);
		expect(expandedView(journey, new Map()).layout).toEqual(gridLayout(journey));
		expect(expandedView(journey, new Map([['top', 200]])).pushed.size).toBe(0);
	});
});
