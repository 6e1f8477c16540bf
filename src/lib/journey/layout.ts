import { byOrder } from './order';
import { placement } from './placement';
import type { Journey, Lane, Stage } from './schema';

/** Canvas geometry of the journey grid: stages are columns left to right, lanes rows top to bottom. */
export const DEFAULT_STAGE_WIDTH = 640;
export const DEFAULT_LANE_HEIGHT = 200;
/** Height of the stage header row above the first lane. */
export const STAGE_HEADER_HEIGHT = 56;
/** Width of the lane header column left of the first stage. */
export const LANE_HEADER_WIDTH = 170;
/** Height of the emotion-curve band below the last lane. */
export const EMOTION_BAND_HEIGHT = 240;
/** Space between cards placed automatically. */
export const CARD_GAP = 16;
/** Size of a touchpoint card; its centre decides the cell it belongs to. */
export const CARD_WIDTH = 136;
export const CARD_HEIGHT = 84;
/** Tallest a card grows before the rest of its title waits behind "more". */
export const CARD_MAX_HEIGHT = 184;

export interface Column {
	stage: Stage;
	left: number;
	width: number;
}

export interface Row {
	lane: Lane;
	top: number;
	height: number;
}

export interface GridLayout {
	columns: Column[];
	rows: Row[];
	/** Right edge of the last column. */
	width: number;
	/** Bottom edge of the last lane; the emotion band starts here. */
	height: number;
}

/**
 * Columns from x = 0 and rows from y = 0, in order, each with its own size or the default,
 * grown where a card reaches past the far edge so every card sits inside its own column and row.
 * Unplaced cards (`placement`) grow nothing: they are shown apart.
 */
export function gridLayout(journey: Pick<Journey, 'stages' | 'lanes' | 'touchpoints'>): GridLayout {
	const rightmost = new Map<string, number>();
	const lowest = new Map<string, number>();
	for (const touchpoint of placement(journey).placed) {
		rightmost.set(touchpoint.stageId, Math.max(rightmost.get(touchpoint.stageId) ?? -Infinity, touchpoint.x + CARD_WIDTH));
		lowest.set(touchpoint.laneId, Math.max(lowest.get(touchpoint.laneId) ?? -Infinity, touchpoint.y + CARD_HEIGHT));
	}
	let left = 0;
	const columns = byOrder(journey.stages).map((stage) => {
		const reach = (rightmost.get(stage.id) ?? -Infinity) + CARD_GAP - left;
		const column = { stage, left, width: Math.max(stage.width ?? DEFAULT_STAGE_WIDTH, reach) };
		left += column.width;
		return column;
	});
	let top = 0;
	const rows = byOrder(journey.lanes).map((lane) => {
		const reach = (lowest.get(lane.id) ?? -Infinity) + CARD_GAP - top;
		const row = { lane, top, height: Math.max(lane.height ?? DEFAULT_LANE_HEIGHT, reach) };
		top += row.height;
		return row;
	});
	return { columns, rows, width: left, height: top };
}

/** Whether two layouts place the same stages and lanes at the same places and sizes. */
export function sameGrid(a: GridLayout, b: GridLayout): boolean {
	return (
		a.width === b.width &&
		a.height === b.height &&
		a.columns.length === b.columns.length &&
		a.rows.length === b.rows.length &&
		a.columns.every((column, index) => {
			const other = b.columns[index];
			return column.stage === other.stage && column.left === other.left && column.width === other.width;
		}) &&
		a.rows.every((row, index) => {
			const other = b.rows[index];
			return row.lane === other.lane && row.top === other.top && row.height === other.height;
		})
	);
}

/**
 * The stage and lane a point falls in. Points left of the first column or right of the last
 * snap to the nearest column; likewise for rows. Null when the grid has no column or no row.
 */
export function cellAt(layout: GridLayout, point: { x: number; y: number }): { stageId: string; laneId: string } | null {
	if (layout.columns.length === 0 || layout.rows.length === 0) return null;
	const column = layout.columns.find((candidate) => point.x < candidate.left + candidate.width) ?? layout.columns.at(-1)!;
	const row = layout.rows.find((candidate) => point.y < candidate.top + candidate.height) ?? layout.rows.at(-1)!;
	return { stageId: column.stage.id, laneId: row.lane.id };
}

/** The cell of a touchpoint card at `position` (its top-left corner), judged by the card's centre. */
export function cellOfCard(layout: GridLayout, position: { x: number; y: number }) {
	return cellAt(layout, { x: position.x + CARD_WIDTH / 2, y: position.y + CARD_HEIGHT / 2 });
}

/** A free spot for a new card in a cell: right of the cell's rightmost card, wrapping when full. */
export function freeSpotInCell(
	layout: GridLayout,
	journey: Pick<Journey, 'touchpoints'>,
	stageId: string,
	laneId: string
): { x: number; y: number } {
	const column = layout.columns.find((candidate) => candidate.stage.id === stageId);
	const row = layout.rows.find((candidate) => candidate.lane.id === laneId);
	const left = (column?.left ?? 0) + CARD_GAP;
	const top = (row?.top ?? 0) + Math.max(CARD_GAP, ((row?.height ?? DEFAULT_LANE_HEIGHT) - CARD_HEIGHT) / 2);
	const inCell = journey.touchpoints.filter((touchpoint) => touchpoint.stageId === stageId && touchpoint.laneId === laneId);
	if (inCell.length === 0) return { x: left, y: top };
	const rightmost = inCell.reduce((best, touchpoint) => (touchpoint.x > best.x ? touchpoint : best));
	const x = rightmost.x + CARD_WIDTH + CARD_GAP;
	const fits = !column || x + CARD_WIDTH <= column.left + column.width;
	// A full cell stacks new cards slightly offset, so none hides another completely.
	const offset = 12 * (inCell.length % 4);
	return fits ? { x, y: rightmost.y } : { x: left + offset, y: top + offset };
}

/** Room right of the last stage and below the emotion band for the add-stage and add-lane buttons. */
export const GRID_BUTTON_ROOM = { right: 150, bottom: 56 };

/**
 * The whole grid with its headers, the emotion band and its add buttons, for zoom-to-fit; with
 * `below`, the height of what is shown under it (the Unplaced area), that too.
 */
export function gridBounds(layout: GridLayout, below = 0): { x: number; y: number; width: number; height: number } {
	return {
		x: -LANE_HEADER_WIDTH,
		y: -STAGE_HEADER_HEIGHT,
		width: LANE_HEADER_WIDTH + Math.max(layout.width, DEFAULT_STAGE_WIDTH) + GRID_BUTTON_ROOM.right,
		height: STAGE_HEADER_HEIGHT + layout.height + EMOTION_BAND_HEIGHT + GRID_BUTTON_ROOM.bottom + below
	};
}

/** Smallest text on a screen that a room can read, in CSS pixels. */
export const READABLE_TEXT_PX = 12;
/** Smallest font size on a touchpoint card (kind, meta, badges), in canvas units. */
export const CARD_MIN_FONT_PX = 13;
/** Below this zoom a card's smallest text is under READABLE_TEXT_PX on screen. */
export const MIN_READABLE_ZOOM = READABLE_TEXT_PX / CARD_MIN_FONT_PX;

/**
 * The view a board opens with: the whole grid when it fits at a readable zoom (never above
 * 100%), otherwise its top-left part at the smallest readable zoom, headers in view.
 */
export function startViewport(
	bounds: { x: number; y: number; width: number; height: number },
	size: { width: number; height: number },
	padding = 16
): { x: number; y: number; zoom: number } {
	const fit = Math.min((size.width - 2 * padding) / bounds.width, (size.height - 2 * padding) / bounds.height);
	const zoom = Math.min(1, Math.max(fit, MIN_READABLE_ZOOM));
	const place = (extent: number, origin: number, available: number) =>
		extent * zoom <= available - 2 * padding ? (available - extent * zoom) / 2 - origin * zoom : padding - origin * zoom;
	return { x: place(bounds.width, bounds.x, size.width), y: place(bounds.height, bounds.y, size.height), zoom };
}
