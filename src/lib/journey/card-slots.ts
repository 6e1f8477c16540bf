import {
	CARD_FOOTPRINT_HEIGHT,
	CARD_GAP,
	CARD_WIDTH,
	cardOffset,
	cellAt,
	cellOf,
	gridLayout,
	storedPosition,
	type CellOffset,
	type GridLayout,
	type Row
} from './layout';
import { compareIds, journeyOrder } from './order';
import { placement } from './placement';
import type { Journey, Touchpoint } from './schema';

/**
 * Where cards go in a cell, decided from the document alone so that every client decides the
 * same: new cards take the first free slot, overlapping cards are parted by id, "Tidy" lays a
 * cell out in journey order. Slots are one row of card places inside the cell.
 */

/** Distance between the corners of neighbouring slots. */
export const SLOT_WIDTH = CARD_WIDTH + CARD_GAP;

/** A stage and a lane: one cell of the grid. */
export interface Cell {
	stageId: string;
	laneId: string;
}

/** A card's new place: its cell and its stored position (document coordinates). */
export interface CardMove extends Cell {
	id: string;
	x: number;
	y: number;
}

type JourneyCards = Pick<Journey, 'stages' | 'lanes' | 'touchpoints'>;

/**
 * The offset of the `index`-th slot of a cell: one row, left to right, centred in the lane's
 * stored height. One row keeps journey order (by x) the order people read, and gives every card
 * its own place on the emotion curve; the column widens to hold the row.
 */
export function slotOffset(row: Pick<Row, 'baseHeight'>, index: number): CellOffset {
	return { x: CARD_GAP + index * SLOT_WIDTH, y: Math.max(CARD_GAP, Math.round((row.baseHeight - CARD_FOOTPRINT_HEIGHT) / 2)) };
}

/** Whether two cards at these offsets of one cell cover each other (touching edges do not). */
export function cardsOverlap(a: CellOffset, b: CellOffset): boolean {
	return Math.abs(a.x - b.x) < CARD_WIDTH && Math.abs(a.y - b.y) < CARD_FOOTPRINT_HEIGHT;
}

/** The grid and the cards as one viewer sees them with some cards expanded with "more". */
export interface ExpandedView {
	layout: GridLayout;
	/** How far each card under an expanded card is drawn lower than its place, so none is covered. */
	pushed: Map<string, number>;
}

/**
 * The grid as one viewer sees it when cards are expanded (`heights`: card id → drawn height): the
 * cards under an expanded card in its cell move down to clear it (those under a moved card move as
 * much, so the cell keeps its order), and the lane grows to hold them. Nothing is stored: the
 * others see their own view.
 */
export function expandedView(journey: JourneyCards, heights: ReadonlyMap<string, number>): ExpandedView {
	const base = gridLayout(journey);
	const pushed = new Map<string, number>();
	if (heights.size === 0) return { layout: base, pushed };
	const byCell = new Map<string, { id: string; offset: CellOffset }[]>();
	for (const touchpoint of placement(journey).placed) {
		const offset = cardOffset(base, touchpoint);
		if (!offset) continue;
		const key = `${touchpoint.stageId} ${touchpoint.laneId}`;
		(byCell.get(key) ?? byCell.set(key, []).get(key)!).push({ id: touchpoint.id, offset });
	}
	for (const cards of byCell.values()) {
		if (!cards.some((entry) => heights.has(entry.id))) continue;
		cards.sort((a, b) => a.offset.y - b.offset.y || a.offset.x - b.offset.x || compareIds(a.id, b.id));
		cards.forEach((card, index) => {
			let down = 0;
			for (const above of cards.slice(0, index)) {
				if (above.offset.y >= card.offset.y || Math.abs(above.offset.x - card.offset.x) >= CARD_WIDTH) continue;
				const aboveDown = pushed.get(above.id) ?? 0;
				const height = heights.get(above.id);
				const clear = height === undefined ? aboveDown : above.offset.y + aboveDown + height + CARD_GAP - card.offset.y;
				down = Math.max(down, clear);
			}
			if (down > 0) pushed.set(card.id, down);
		});
	}
	const shifted = {
		...journey,
		touchpoints: journey.touchpoints.map((touchpoint) =>
			pushed.has(touchpoint.id) ? { ...touchpoint, y: touchpoint.y + pushed.get(touchpoint.id)! } : touchpoint
		)
	};
	return { layout: gridLayout(shifted, undefined, heights), pushed };
}

/** The placed cards of one cell with their offsets, in id order. */
export function cellCards(
	layout: GridLayout,
	journey: Pick<Journey, 'touchpoints'>,
	cell: Cell
): { touchpoint: Touchpoint; offset: CellOffset }[] {
	const cards: { touchpoint: Touchpoint; offset: CellOffset }[] = [];
	for (const touchpoint of journey.touchpoints) {
		if (touchpoint.stageId !== cell.stageId || touchpoint.laneId !== cell.laneId) continue;
		const offset = cardOffset(layout, touchpoint);
		if (offset) cards.push({ touchpoint, offset });
	}
	return cards.sort((a, b) => compareIds(a.touchpoint.id, b.touchpoint.id));
}

/**
 * The first slot of a cell, left to right, that covers none of `occupied`; with `near`, the
 * free slot closest to that offset (ties: the earlier slot). There always is one: a card covers
 * at most two slots, so a free one is among the first `2n + 1`.
 */
export function freeSlot(row: Pick<Row, 'baseHeight'>, occupied: readonly CellOffset[], near?: CellOffset): CellOffset {
	const limit = 2 * occupied.length + 1;
	let best: { offset: CellOffset; distance: number } | null = null;
	for (let index = 0; index < limit; index += 1) {
		const offset = slotOffset(row, index);
		if (occupied.some((other) => cardsOverlap(offset, other))) continue;
		if (!near) return offset;
		const distance = Math.hypot(offset.x - near.x, offset.y - near.y);
		if (!best || distance < best.distance) best = { offset, distance };
	}
	return best?.offset ?? slotOffset(row, limit);
}

/**
 * Stored positions for `count` new cards in a cell, each in a free slot that covers no card
 * already there nor an earlier one of them. Null when the cell is not in the grid.
 */
export function newCardSpots(journey: JourneyCards, cell: Cell, count: number): { x: number; y: number }[] | null {
	const layout = gridLayout(journey);
	const found = cellOf(layout, cell);
	if (!found) return null;
	const occupied = cellCards(layout, journey, cell).map((card) => card.offset);
	const spots: { x: number; y: number }[] = [];
	for (let index = 0; index < count; index += 1) {
		const offset = freeSlot(found.row, occupied);
		occupied.push(offset);
		spots.push(storedPosition(layout, cell, offset));
	}
	return spots;
}

/**
 * The collision rule: in each cell, cards are taken in id order; a card that covers one kept
 * before it moves, and the moved cards, in id order, take the first free slots. The result
 * depends on the document alone, so every client that sees an overlap writes the same moves,
 * and a board with no overlap yields none: clients converge without moving cards back and forth.
 * `settling` cards (being dragged, or just moved) neither move nor get moved: their cells wait.
 */
export function overlapMoves(journey: JourneyCards, settling?: ReadonlySet<string>): CardMove[] {
	const layout = gridLayout(journey);
	const cells = new Map<string, Cell>();
	for (const touchpoint of placement(journey).placed) cells.set(`${touchpoint.stageId}\n${touchpoint.laneId}`, touchpoint);
	const moves: CardMove[] = [];
	for (const { stageId, laneId } of cells.values()) {
		const cell = { stageId, laneId };
		const cards = cellCards(layout, journey, cell);
		const kept: CellOffset[] = [];
		const moving: Touchpoint[] = [];
		for (const card of cards) {
			if (kept.some((offset) => cardsOverlap(offset, card.offset))) moving.push(card.touchpoint);
			else kept.push(card.offset);
		}
		if (moving.length === 0) continue;
		if (settling && cards.some((card) => settling.has(card.touchpoint.id))) continue;
		const row = cellOf(layout, cell)!.row;
		for (const touchpoint of moving) {
			const offset = freeSlot(row, kept);
			kept.push(offset);
			moves.push({ id: touchpoint.id, ...cell, ...storedPosition(layout, cell, offset) });
		}
	}
	return moves;
}

/**
 * "Tidy": the cards of each given cell (default: every cell) in journey order, one per slot in
 * reading order. Only cards whose place changes are returned.
 */
export function tidyMoves(journey: JourneyCards, cells?: readonly Cell[]): CardMove[] {
	const layout = gridLayout(journey);
	const wanted = cells ? new Set(cells.map((cell) => `${cell.stageId}\n${cell.laneId}`)) : null;
	const byCell = new Map<string, Touchpoint[]>();
	for (const touchpoint of placement(journey).placed) {
		const key = `${touchpoint.stageId}\n${touchpoint.laneId}`;
		if (wanted && !wanted.has(key)) continue;
		byCell.set(key, [...(byCell.get(key) ?? []), touchpoint]);
	}
	const moves: CardMove[] = [];
	for (const touchpoints of byCell.values()) {
		const cell = { stageId: touchpoints[0].stageId, laneId: touchpoints[0].laneId };
		const row = cellOf(layout, cell)!.row;
		journeyOrder(journey.stages, touchpoints).forEach((touchpoint, index) => {
			const spot = storedPosition(layout, cell, slotOffset(row, index));
			if (spot.x !== touchpoint.x || spot.y !== touchpoint.y) moves.push({ id: touchpoint.id, ...cell, ...spot });
		});
	}
	return moves;
}

/** A card moved on the canvas: where it is drawn now (its top-left corner). */
export interface CardDrop {
	id: string;
	x: number;
	y: number;
}

/**
 * Where dragged cards land. The grid is judged without the dragged cards, so no column widens
 * under the pointer: the card held at `pointer` takes the cell under the pointer, the others the
 * cell under their centre. Each lands inside its cell as drawn (it widens nothing); `final` (the
 * drop) moves a card that would cover a card already in the cell to the nearest free slot.
 * An unplaced card dropped outside the grid stays unplaced (left out).
 */
export function dropMoves(
	journey: JourneyCards,
	drops: readonly CardDrop[],
	options: { pointer?: { id: string; x: number; y: number }; final?: boolean } = {}
): CardMove[] {
	const dragged = new Set(drops.map((drop) => drop.id));
	const layout = gridLayout(journey, dragged);
	const unplaced = new Set(placement(journey).unplaced.map((touchpoint) => touchpoint.id));
	const landed = new Map<string, CellOffset[]>();
	const moves: CardMove[] = [];
	for (const drop of drops) {
		const point = options.pointer?.id === drop.id ? options.pointer : { x: drop.x + CARD_WIDTH / 2, y: drop.y + CARD_FOOTPRINT_HEIGHT / 2 };
		if (unplaced.has(drop.id) && !inside(layout, point)) continue;
		const cell = cellAt(layout, point);
		const found = cell && cellOf(layout, cell);
		if (!cell || !found) continue;
		const { column, row } = found;
		let offset = {
			x: Math.min(Math.max(0, drop.x - column.left), Math.max(0, column.width - CARD_WIDTH - CARD_GAP)),
			y: Math.min(Math.max(0, drop.y - row.top), Math.max(0, row.height - CARD_FOOTPRINT_HEIGHT - CARD_GAP))
		};
		const key = `${cell.stageId}\n${cell.laneId}`;
		if (!landed.has(key)) {
			landed.set(
				key,
				cellCards(layout, journey, cell)
					.filter((card) => !dragged.has(card.touchpoint.id))
					.map((card) => card.offset)
			);
		}
		const occupied = landed.get(key)!;
		if (options.final && occupied.some((other) => cardsOverlap(offset, other))) offset = freeSlot(row, occupied, offset);
		occupied.push(offset);
		moves.push({ id: drop.id, ...cell, ...storedPosition(layout, cell, offset) });
	}
	return moves;
}

function inside(layout: GridLayout, point: { x: number; y: number }): boolean {
	return (
		layout.columns.length > 0 && layout.rows.length > 0 && point.x >= 0 && point.x < layout.width && point.y >= 0 && point.y < layout.height
	);
}

/** The journey with the collision rule applied: no card covers another (an imported journey, before it is written). */
export function withoutOverlaps<J extends JourneyCards>(journey: J): J {
	const moves = new Map(overlapMoves(journey).map((move) => [move.id, move]));
	if (moves.size === 0) return journey;
	return {
		...journey,
		touchpoints: journey.touchpoints.map((touchpoint) => {
			const move = moves.get(touchpoint.id);
			return move ? { ...touchpoint, x: move.x, y: move.y } : touchpoint;
		})
	};
}
