import type * as Y from 'yjs';
import { neighbourMoves, type Direction } from '$lib/journey/card-neighbours';
import { collectionMap, deleteTouchpoint, patchItem, putItem, writeJourney } from '$lib/journey/document';
import { newItemId } from '$lib/journey/item-ids';
import { newTouchpoint } from '$lib/journey/touchpoint';
import {
	dropMoves,
	newCardSpots,
	overlapMoves,
	tidyMoves,
	withoutOverlaps,
	type CardDrop,
	type CardMove,
	type Cell
} from '$lib/journey/card-slots';
import {
	CARD_FOOTPRINT_HEIGHT,
	CARD_GAP,
	CARD_WIDTH,
	cardOffset,
	cardPosition,
	DEFAULT_LANE_HEIGHT,
	DEFAULT_STAGE_WIDTH,
	gridLayout
} from '$lib/journey/layout';
import { byOrder } from '$lib/journey/order';
import {
	LIMITS,
	type Evidence,
	type Journey,
	type Lane,
	type LaneType,
	type Link,
	type Touchpoint,
	type TouchpointKind
} from '$lib/journey/schema';

/**
 * Origin of the moves that part overlapping cards (`overlapMoves`): every editor's client makes
 * the same ones, so they are nobody's step to undo.
 */
export const PLACEMENT_ORIGIN = Symbol('placement');
/** The smallest column width or row height the schema accepts. */
const MIN_EXTENT = LIMITS.minExtent;

/**
 * UI intentions turned into document transactions. Every local edit goes through here, in one
 * transaction per intention, so each is one step for the person's undo.
 */
export class BoardActions {
	constructor(private readonly doc: Y.Doc) {}

	// ── touchpoints ──────────────────────────────────────────────────────

	/**
	 * Adds a touchpoint at a free spot of a cell (default: first stage, first touchpoints lane),
	 * covering no card there. Returns its id, or null when the board has no such cell.
	 */
	addTouchpoint(journey: Journey, title: string, cell?: Cell | null): string | null {
		const target = cell ?? defaultCell(journey);
		const [spot] = (target && newCardSpots(journey, target, 1)) ?? [];
		if (!target || !spot) return null;
		const touchpoint = newTouchpoint({ id: newItemId('tp'), ...target, title, ...spot });
		putItem(this.doc, 'touchpoints', touchpoint);
		return touchpoint.id;
	}

	/**
	 * Moves cards drawn at new places (drag, nudge): each takes the cell under it, or under the
	 * pointer for the card held (`dropMoves`); an unplaced card moves only into a cell. `final`
	 * (the drop) moves a card off any card it would cover.
	 */
	moveTouchpoints(journey: Journey, drops: readonly CardDrop[], options: { pointer?: CardDrop; final?: boolean } = {}): void {
		this.#apply(dropMoves(journey, drops, options));
	}

	/** Moves cards by a step on the canvas (arrow keys), each staying in its cell. */
	nudge(journey: Journey, ids: readonly string[], dx: number, dy: number): void {
		const layout = gridLayout(journey);
		const drops = journey.touchpoints.flatMap((touchpoint) => {
			const position = ids.includes(touchpoint.id) ? cardPosition(layout, touchpoint) : null;
			return position ? [{ id: touchpoint.id, x: position.x + dx, y: position.y + dy }] : [];
		});
		this.moveTouchpoints(journey, drops);
	}

	/** Puts a card into another cell (the Details panel's stage and lane), at a free spot there. */
	moveToCell(journey: Journey, id: string, cell: Cell): void {
		const touchpoint = journey.touchpoints.find((candidate) => candidate.id === id);
		if (!touchpoint || (touchpoint.stageId === cell.stageId && touchpoint.laneId === cell.laneId)) return;
		const others = { ...journey, touchpoints: journey.touchpoints.filter((candidate) => candidate.id !== id) };
		const [spot] = newCardSpots(others, cell, 1) ?? [];
		patchItem(this.doc, 'touchpoints', id, spot ? { ...cell, ...spot } : cell);
	}

	/** Moves cards into the next stage or lane (Alt+arrow), as one undo step; returns the moves made. */
	moveToNeighbour(journey: Journey, ids: readonly string[], direction: Direction): CardMove[] {
		const moves = neighbourMoves(journey, ids, direction);
		this.#apply(moves);
		return moves;
	}

	/** "Tidy": lays the cards of the given cells (default: all) out in journey order, as one undo step. */
	tidy(journey: Journey, cells?: readonly Cell[]): void {
		this.#apply(tidyMoves(journey, cells));
	}

	/**
	 * Parts overlapping cards by the collision rule (`overlapMoves`), leaving the cells of
	 * `settling` cards for later. Returns how many cards moved.
	 */
	separate(journey: Journey, settling?: ReadonlySet<string>): number {
		const moves = overlapMoves(journey, settling);
		if (moves.length > 0) this.#apply(moves, PLACEMENT_ORIGIN);
		return moves.length;
	}

	#apply(moves: readonly CardMove[], origin: unknown = null): void {
		if (moves.length === 0) return;
		this.doc.transact(() => {
			for (const { id, ...place } of moves) patchItem(this.doc, 'touchpoints', id, place);
		}, origin);
	}

	updateTouchpoint(id: string, patch: Partial<Touchpoint>): void {
		patchItem(this.doc, 'touchpoints', id, patch);
	}

	setKind(id: string, kind: TouchpointKind): void {
		patchItem(this.doc, 'touchpoints', id, { kind });
	}

	/** Copies touchpoints (with their evidence) to free spots in their cells; returns the new ids. */
	duplicate(journey: Journey, ids: readonly string[]): string[] {
		const originals = journey.touchpoints.filter((candidate) => ids.includes(candidate.id));
		return this.#addCopies(journey, originals, journey.evidence, (touchpoint) => touchpoint);
	}

	/**
	 * Adds copies of touchpoints (pasted), with their evidence and the links between them, at free
	 * spots of one cell (or each in its own cell when `cell` is null and theirs exists). Returns the new ids.
	 */
	paste(
		journey: Journey,
		touchpoints: readonly Touchpoint[],
		evidence: readonly Evidence[],
		links: readonly Link[],
		cell: Cell | null
	): string[] {
		const target = cell ?? defaultCell(journey);
		const ids = new Map<string, string>();
		const created = this.#addCopies(
			journey,
			touchpoints,
			evidence,
			(touchpoint) => (target ? { ...touchpoint, ...target } : touchpoint),
			ids
		);
		this.doc.transact(() => {
			for (const link of links) {
				const source = ids.get(link.source);
				const target = ids.get(link.target);
				if (source && target) putItem(this.doc, 'links', { ...link, id: newItemId('link'), source, target });
			}
		});
		return created;
	}

	#addCopies(
		journey: Journey,
		touchpoints: readonly Touchpoint[],
		evidence: readonly Evidence[],
		place: (touchpoint: Touchpoint) => Touchpoint,
		ids = new Map<string, string>()
	): string[] {
		const created: string[] = [];
		let current: Journey = journey;
		this.doc.transact(() => {
			for (const original of touchpoints) {
				const placed = place(original);
				const [spot] = newCardSpots(current, placed, 1) ?? [];
				if (!spot) continue;
				const copy = { ...placed, id: newItemId('tp'), ...spot };
				putItem(this.doc, 'touchpoints', copy);
				current = { ...current, touchpoints: [...current.touchpoints, copy] };
				for (const item of evidence.filter((candidate) => candidate.touchpointId === original.id)) {
					putItem(this.doc, 'evidence', { ...item, id: newItemId('ev'), touchpointId: copy.id });
				}
				ids.set(original.id, copy.id);
				created.push(copy.id);
			}
		});
		return created;
	}

	/** Connects two touchpoints unless they already are. */
	connect(source: string, target: string): void {
		if (source === target) return;
		for (const link of collectionMap(this.doc, 'links').values()) {
			if (link.get('source') === source && link.get('target') === target) return;
		}
		putItem(this.doc, 'links', { id: newItemId('link'), source, target, label: '' });
	}

	/** Deletes touchpoints (with their links and evidence) and links, in one transaction. */
	delete(touchpointIds: readonly string[], linkIds: readonly string[]): void {
		this.doc.transact(() => {
			for (const id of touchpointIds) deleteTouchpoint(this.doc, id);
			const links = collectionMap(this.doc, 'links');
			for (const id of linkIds) links.delete(id);
		});
	}

	// ── evidence ─────────────────────────────────────────────────────────

	addEvidence(evidence: Omit<Evidence, 'id'>): string {
		const id = newItemId('ev');
		putItem(this.doc, 'evidence', { ...evidence, id });
		return id;
	}

	updateEvidence(id: string, patch: Partial<Evidence>): void {
		patchItem(this.doc, 'evidence', id, patch);
	}

	removeEvidence(id: string): void {
		collectionMap(this.doc, 'evidence').delete(id);
	}

	// ── stages (columns) ─────────────────────────────────────────────────

	addStage(journey: Journey, name: string): string {
		const stages = byOrder(journey.stages);
		const id = newItemId('stage');
		putItem(this.doc, 'stages', { id, name, order: (stages.at(-1)?.order ?? 0) + 1 });
		return id;
	}

	renameStage(id: string, name: string): void {
		patchItem(this.doc, 'stages', id, { name });
	}

	/** Swaps a stage with its neighbour; both columns' cards move with them. */
	moveStage(journey: Journey, id: string, direction: -1 | 1): void {
		const stages = byOrder(journey.stages);
		const index = stages.findIndex((stage) => stage.id === id);
		const other = stages[index + direction];
		if (index < 0 || !other) return;
		const [first, second] = direction === 1 ? [stages[index], other] : [other, stages[index]];
		const firstWidth = columnWidth(journey, first.id);
		const secondWidth = columnWidth(journey, second.id);
		this.doc.transact(() => {
			patchItem(this.doc, 'stages', first.id, { order: second.order });
			patchItem(this.doc, 'stages', second.id, { order: first.order });
			this.#shiftCards(journey, (t) => t.stageId === first.id, { x: secondWidth });
			this.#shiftCards(journey, (t) => t.stageId === second.id, { x: -firstWidth });
		});
	}

	/**
	 * Sets a column's width, never narrower than its cards reach; the cards of the columns to
	 * its right move with their columns.
	 */
	resizeStage(journey: Journey, id: string, width: number): void {
		const stages = byOrder(journey.stages);
		const index = stages.findIndex((stage) => stage.id === id);
		const layout = gridLayout(journey);
		const column = layout.columns.find((candidate) => candidate.stage.id === id);
		if (index < 0 || !column) return;
		const reach = Math.max(
			MIN_EXTENT,
			...journey.touchpoints.filter((t) => t.stageId === id).map((t) => (cardOffset(layout, t)?.x ?? 0) + CARD_WIDTH + CARD_GAP)
		);
		const target = Math.max(Math.round(width), Math.ceil(reach));
		const later = new Set(stages.slice(index + 1).map((stage) => stage.id));
		this.doc.transact(() => {
			patchItem(this.doc, 'stages', id, { width: target });
			// Cards count from their column's stored left edge, which moves by the stored width's change.
			this.#shiftCards(journey, (t) => later.has(t.stageId), { x: target - column.baseWidth });
		});
	}

	/** Deletes a stage with its cards; the columns to its right close the gap. */
	deleteStage(journey: Journey, id: string): void {
		const stages = byOrder(journey.stages);
		const index = stages.findIndex((stage) => stage.id === id);
		if (index < 0) return;
		const width = columnWidth(journey, id);
		const later = new Set(stages.slice(index + 1).map((stage) => stage.id));
		this.doc.transact(() => {
			for (const touchpoint of journey.touchpoints) {
				if (touchpoint.stageId === id) deleteTouchpoint(this.doc, touchpoint.id);
			}
			collectionMap(this.doc, 'stages').delete(id);
			this.#shiftCards(journey, (t) => later.has(t.stageId), { x: -width });
		});
	}

	// ── lanes (rows) ─────────────────────────────────────────────────────

	addLane(journey: Journey, name: string, type: LaneType): string {
		const lanes = byOrder(journey.lanes);
		const id = newItemId('lane');
		putItem(this.doc, 'lanes', { id, name, type, order: (lanes.at(-1)?.order ?? 0) + 1 });
		return id;
	}

	updateLane(id: string, patch: Partial<Pick<Lane, 'name' | 'type'>>): void {
		patchItem(this.doc, 'lanes', id, patch);
	}

	moveLane(journey: Journey, id: string, direction: -1 | 1): void {
		const lanes = byOrder(journey.lanes);
		const index = lanes.findIndex((lane) => lane.id === id);
		const other = lanes[index + direction];
		if (index < 0 || !other) return;
		const [first, second] = direction === 1 ? [lanes[index], other] : [other, lanes[index]];
		const firstHeight = rowHeight(journey, first.id);
		const secondHeight = rowHeight(journey, second.id);
		this.doc.transact(() => {
			patchItem(this.doc, 'lanes', first.id, { order: second.order });
			patchItem(this.doc, 'lanes', second.id, { order: first.order });
			this.#shiftCards(journey, (t) => t.laneId === first.id, { y: secondHeight });
			this.#shiftCards(journey, (t) => t.laneId === second.id, { y: -firstHeight });
		});
	}

	/** Sets a row's height, never shorter than its cards reach; the rows below move with it. */
	resizeLane(journey: Journey, id: string, height: number): void {
		const lanes = byOrder(journey.lanes);
		const index = lanes.findIndex((lane) => lane.id === id);
		const layout = gridLayout(journey);
		const row = layout.rows.find((candidate) => candidate.lane.id === id);
		if (index < 0 || !row) return;
		const reach = Math.max(
			MIN_EXTENT,
			...journey.touchpoints.filter((t) => t.laneId === id).map((t) => (cardOffset(layout, t)?.y ?? 0) + CARD_FOOTPRINT_HEIGHT + CARD_GAP)
		);
		const target = Math.max(Math.round(height), Math.ceil(reach));
		const later = new Set(lanes.slice(index + 1).map((lane) => lane.id));
		this.doc.transact(() => {
			patchItem(this.doc, 'lanes', id, { height: target });
			this.#shiftCards(journey, (t) => later.has(t.laneId), { y: target - row.baseHeight });
		});
	}

	deleteLane(journey: Journey, id: string): void {
		const lanes = byOrder(journey.lanes);
		const index = lanes.findIndex((lane) => lane.id === id);
		if (index < 0) return;
		const height = rowHeight(journey, id);
		const later = new Set(lanes.slice(index + 1).map((lane) => lane.id));
		this.doc.transact(() => {
			for (const touchpoint of journey.touchpoints) {
				if (touchpoint.laneId === id) deleteTouchpoint(this.doc, touchpoint.id);
			}
			collectionMap(this.doc, 'lanes').delete(id);
			this.#shiftCards(journey, (t) => later.has(t.laneId), { y: -height });
		});
	}

	/** Replaces the whole board with an imported journey, as one undoable step; no imported card covers another. */
	replaceJourney(journey: Journey): void {
		writeJourney(this.doc, withoutOverlaps(journey));
	}

	#shiftCards(journey: Journey, which: (touchpoint: Touchpoint) => boolean, by: { x?: number; y?: number }): void {
		for (const touchpoint of journey.touchpoints) {
			if (!which(touchpoint)) continue;
			patchItem(this.doc, 'touchpoints', touchpoint.id, {
				x: touchpoint.x + (by.x ?? 0),
				y: touchpoint.y + (by.y ?? 0)
			});
		}
	}
}

/** A column's stored width: its cards' `x` count from its stored left edge (the placement rule). */
function columnWidth(journey: Journey, stageId: string): number {
	return journey.stages.find((stage) => stage.id === stageId)?.width ?? DEFAULT_STAGE_WIDTH;
}

/** A row's stored height. */
function rowHeight(journey: Journey, laneId: string): number {
	return journey.lanes.find((lane) => lane.id === laneId)?.height ?? DEFAULT_LANE_HEIGHT;
}

/** Where a new card goes when no cell is chosen: the first stage, in the first touchpoints lane. */
function defaultCell(journey: Journey): Cell | null {
	const stage = byOrder(journey.stages)[0];
	const lanes = byOrder(journey.lanes);
	const lane = lanes.find((candidate) => candidate.type === 'touchpoints') ?? lanes[0];
	return stage && lane ? { stageId: stage.id, laneId: lane.id } : null;
}
