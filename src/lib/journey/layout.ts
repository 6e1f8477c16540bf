import { byOrder } from './order';
import { placement } from './placement';
import { LIMITS, type Journey, type Lane, type Stage, type Touchpoint } from './schema';

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

/**
 * Height a card is given when cards are placed: a typical card (kind, a two-line title, channel
 * or owner, its badges) fits, so cards placed one slot apart never cover each other.
 */
export const CARD_FOOTPRINT_HEIGHT = 104;
/** Furthest a card is drawn from its cell's corner, whatever its stored position (20,000 = the largest column). */
const MAX_CARD_OFFSET = LIMITS.maxExtent - CARD_WIDTH - CARD_GAP;

export interface Column {
	stage: Stage;
	/** Where the column is drawn: its stored width, grown to hold its cards. */
	left: number;
	width: number;
	/** Where the column is in the stored grid (every stage at its stored width); cards' `x` count from here. */
	baseLeft: number;
	baseWidth: number;
}

export interface Row {
	lane: Lane;
	top: number;
	height: number;
	/** Where the row is in the stored grid; cards' `y` count from here. */
	baseTop: number;
	baseHeight: number;
}

export interface GridLayout {
	columns: Column[];
	rows: Row[];
	/** Right edge of the last column. */
	width: number;
	/** Bottom edge of the last lane; the emotion band starts here. */
	height: number;
}

/** A card's place inside its cell: distance from the cell's top-left corner. */
export interface CellOffset {
	x: number;
	y: number;
}

/**
 * The placement rule (contract): a touchpoint is drawn in the cell of its stage and lane, at its
 * offset in that cell. The offset is its `x`, `y` measured from the cell's corner in the stored
 * grid (every stage at its stored `width`, every lane at its stored `height`, defaults otherwise),
 * never negative. Columns and rows then grow where a card reaches past their far edge, and the
 * later ones move along with their cards, so a card never shows in another cell than its own.
 */
export function gridLayout(
	journey: Pick<Journey, 'stages' | 'lanes' | 'touchpoints'>,
	/** Cards that do not grow the grid (the ones being dragged, so the edge under the pointer stays put). */
	exclude?: ReadonlySet<string>,
	/** Cards drawn taller than their footprint (expanded with "more", for one viewer): card id → height. */
	heights?: ReadonlyMap<string, number>
): GridLayout {
	const stages = byOrder(journey.stages);
	const lanes = byOrder(journey.lanes);
	const baseLeft = new Map<string, number>();
	let left = 0;
	for (const stage of stages) {
		baseLeft.set(stage.id, left);
		left += stage.width ?? DEFAULT_STAGE_WIDTH;
	}
	const baseTop = new Map<string, number>();
	let top = 0;
	for (const lane of lanes) {
		baseTop.set(lane.id, top);
		top += lane.height ?? DEFAULT_LANE_HEIGHT;
	}
	const reachRight = new Map<string, number>();
	const reachDown = new Map<string, number>();
	for (const touchpoint of placement(journey).placed) {
		if (exclude?.has(touchpoint.id)) continue;
		const offset = offsetFrom(touchpoint, baseLeft.get(touchpoint.stageId)!, baseTop.get(touchpoint.laneId)!);
		reachRight.set(touchpoint.stageId, Math.max(reachRight.get(touchpoint.stageId) ?? 0, offset.x + CARD_WIDTH + CARD_GAP));
		reachDown.set(
			touchpoint.laneId,
			Math.max(
				reachDown.get(touchpoint.laneId) ?? 0,
				offset.y + Math.max(CARD_FOOTPRINT_HEIGHT, heights?.get(touchpoint.id) ?? 0) + CARD_GAP
			)
		);
	}
	left = 0;
	const columns = stages.map((stage) => {
		const baseWidth = stage.width ?? DEFAULT_STAGE_WIDTH;
		const column = { stage, left, width: Math.max(baseWidth, reachRight.get(stage.id) ?? 0), baseLeft: baseLeft.get(stage.id)!, baseWidth };
		left += column.width;
		return column;
	});
	top = 0;
	const rows = lanes.map((lane) => {
		const baseHeight = lane.height ?? DEFAULT_LANE_HEIGHT;
		const row = { lane, top, height: Math.max(baseHeight, reachDown.get(lane.id) ?? 0), baseTop: baseTop.get(lane.id)!, baseHeight };
		top += row.height;
		return row;
	});
	return { columns, rows, width: left, height: top };
}

function offsetFrom(touchpoint: Pick<Touchpoint, 'x' | 'y'>, left: number, top: number): CellOffset {
	const clamp = (value: number) => Math.min(MAX_CARD_OFFSET, Math.max(0, value));
	return { x: clamp(touchpoint.x - left), y: clamp(touchpoint.y - top) };
}

/** The column and row of a touchpoint's cell, or null when it is unplaced. */
export function cellOf(layout: GridLayout, cell: { stageId: string; laneId: string }): { column: Column; row: Row } | null {
	const column = layout.columns.find((candidate) => candidate.stage.id === cell.stageId);
	const row = layout.rows.find((candidate) => candidate.lane.id === cell.laneId);
	return column && row ? { column, row } : null;
}

/** A touchpoint's offset in its own cell (the placement rule), or null when it is unplaced. */
export function cardOffset(layout: GridLayout, touchpoint: Pick<Touchpoint, 'stageId' | 'laneId' | 'x' | 'y'>): CellOffset | null {
	const cell = cellOf(layout, touchpoint);
	return cell ? offsetFrom(touchpoint, cell.column.baseLeft, cell.row.baseTop) : null;
}

/** Where a touchpoint's card is drawn (its top-left corner), or null when it is unplaced. */
export function cardPosition(
	layout: GridLayout,
	touchpoint: Pick<Touchpoint, 'stageId' | 'laneId' | 'x' | 'y'>
): { x: number; y: number } | null {
	const cell = cellOf(layout, touchpoint);
	if (!cell) return null;
	const offset = offsetFrom(touchpoint, cell.column.baseLeft, cell.row.baseTop);
	return { x: cell.column.left + offset.x, y: cell.row.top + offset.y };
}

/** The stored `x`, `y` that put a card at `offset` in a cell (the inverse of `cardOffset`). */
export function storedPosition(
	layout: GridLayout,
	cell: { stageId: string; laneId: string },
	offset: CellOffset
): { x: number; y: number } {
	const found = cellOf(layout, cell);
	return { x: Math.round((found?.column.baseLeft ?? 0) + offset.x), y: Math.round((found?.row.baseTop ?? 0) + offset.y) };
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
			return (
				column.stage === other.stage &&
				column.left === other.left &&
				column.width === other.width &&
				column.baseLeft === other.baseLeft &&
				column.baseWidth === other.baseWidth
			);
		}) &&
		a.rows.every((row, index) => {
			const other = b.rows[index];
			return (
				row.lane === other.lane &&
				row.top === other.top &&
				row.height === other.height &&
				row.baseTop === other.baseTop &&
				row.baseHeight === other.baseHeight
			);
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

/** The cell of a touchpoint card drawn at `position` (its top-left corner), judged by the card's centre. */
export function cellOfCard(layout: GridLayout, position: { x: number; y: number }) {
	return cellAt(layout, { x: position.x + CARD_WIDTH / 2, y: position.y + CARD_HEIGHT / 2 });
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
