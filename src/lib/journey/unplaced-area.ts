import { CARD_GAP, CARD_HEIGHT, CARD_WIDTH, DEFAULT_STAGE_WIDTH, EMOTION_BAND_HEIGHT, GRID_BUTTON_ROOM, type GridLayout } from './layout';

/** Height of the Unplaced area's heading above its cards. */
export const UNPLACED_HEADING_HEIGHT = 48;
/** Room a card takes in the Unplaced area: cards there may be taller than `CARD_HEIGHT` once rendered. */
const UNPLACED_ROW_HEIGHT = CARD_HEIGHT + 2 * CARD_GAP + 24;

/** The band below the grid (under the emotion band and its add-lane button) where unplaced cards wait. */
export function unplacedArea(layout: GridLayout, count: number): { x: number; y: number; width: number; height: number } {
	const width = Math.max(layout.width, DEFAULT_STAGE_WIDTH);
	const perRow = cardsPerRow(width);
	return {
		x: 0,
		y: layout.height + EMOTION_BAND_HEIGHT + GRID_BUTTON_ROOM.bottom,
		width,
		height: UNPLACED_HEADING_HEIGHT + Math.max(1, Math.ceil(count / perRow)) * UNPLACED_ROW_HEIGHT
	};
}

/** Where the `index`-th unplaced card is shown: left to right in rows as wide as the grid. */
export function unplacedSpot(layout: GridLayout, index: number): { x: number; y: number } {
	const area = unplacedArea(layout, 0);
	const perRow = cardsPerRow(area.width);
	return {
		x: area.x + CARD_GAP + (index % perRow) * (CARD_WIDTH + CARD_GAP),
		y: area.y + UNPLACED_HEADING_HEIGHT + Math.floor(index / perRow) * UNPLACED_ROW_HEIGHT + CARD_GAP
	};
}

/** Whether a card at `position` (its top-left corner) has its centre in one of the grid's cells. */
export function inGrid(layout: GridLayout, position: { x: number; y: number }): boolean {
	const x = position.x + CARD_WIDTH / 2;
	const y = position.y + CARD_HEIGHT / 2;
	return layout.columns.length > 0 && layout.rows.length > 0 && x >= 0 && x < layout.width && y >= 0 && y < layout.height;
}

function cardsPerRow(width: number): number {
	return Math.max(1, Math.floor((width - CARD_GAP) / (CARD_WIDTH + CARD_GAP)));
}
