import type * as Y from 'yjs';
import { collectionMap, deleteTouchpoint, patchItem, putItem, writeJourney } from '$lib/journey/document';
import { newItemId } from '$lib/journey/item-ids';
import { newTouchpoint } from '$lib/journey/touchpoint';
import {
	CARD_GAP,
	CARD_HEIGHT,
	CARD_WIDTH,
	cellOfCard,
	DEFAULT_LANE_HEIGHT,
	DEFAULT_STAGE_WIDTH,
	freeSpotInCell,
	gridLayout
} from '$lib/journey/layout';
import { byOrder } from '$lib/journey/order';
import { placement } from '$lib/journey/placement';
import { inGrid } from '$lib/journey/unplaced-area';
import { LIMITS, type Evidence, type Journey, type Lane, type LaneType, type Touchpoint, type TouchpointKind } from '$lib/journey/schema';

/** How far a duplicate lands from its original. */
const DUPLICATE_OFFSET = 24;
/** The smallest column width or row height the schema accepts. */
const MIN_EXTENT = LIMITS.minExtent;

/**
 * UI intentions turned into document transactions. Every local edit goes through here, in one
 * transaction per intention, so each is one step for the person's undo.
 */
export class BoardActions {
	constructor(private readonly doc: Y.Doc) {}

	// ── touchpoints ──────────────────────────────────────────────────────

	/** Adds a touchpoint in a cell (default: first stage, first touchpoints lane). Returns its id. */
	addTouchpoint(journey: Journey, title: string, cell?: { stageId: string; laneId: string }): string | null {
		const stage = cell ? journey.stages.find((s) => s.id === cell.stageId) : byOrder(journey.stages)[0];
		const lanes = byOrder(journey.lanes);
		const lane = cell ? lanes.find((l) => l.id === cell.laneId) : (lanes.find((candidate) => candidate.type === 'touchpoints') ?? lanes[0]);
		if (!stage || !lane) return null;
		const spot = freeSpotInCell(gridLayout(journey), journey, stage.id, lane.id);
		const touchpoint = newTouchpoint({
			id: newItemId('tp'),
			stageId: stage.id,
			laneId: lane.id,
			title,
			x: Math.round(spot.x),
			y: Math.round(spot.y)
		});
		putItem(this.doc, 'touchpoints', touchpoint);
		return touchpoint.id;
	}

	/**
	 * Moves cards; a card whose centre lands in another cell takes that stage and lane. An unplaced
	 * card (`placement`) moves only into a cell: dropped elsewhere, it stays unplaced.
	 */
	moveTouchpoints(journey: Journey, moves: readonly { id: string; x: number; y: number }[]): void {
		const layout = gridLayout(journey);
		const unplaced = new Set(placement(journey).unplaced.map((touchpoint) => touchpoint.id));
		this.doc.transact(() => {
			for (const move of moves) {
				const position = { x: Math.round(move.x), y: Math.round(move.y) };
				if (unplaced.has(move.id) && !inGrid(layout, position)) continue;
				const cell = cellOfCard(layout, position);
				patchItem(this.doc, 'touchpoints', move.id, cell ? { ...position, ...cell } : position);
			}
		});
	}

	updateTouchpoint(id: string, patch: Partial<Touchpoint>): void {
		patchItem(this.doc, 'touchpoints', id, patch);
	}

	setKind(id: string, kind: TouchpointKind): void {
		patchItem(this.doc, 'touchpoints', id, { kind });
	}

	/** Copies touchpoints (with their evidence) beside the originals; returns the new ids. */
	duplicate(journey: Journey, ids: readonly string[]): string[] {
		const created: string[] = [];
		this.doc.transact(() => {
			for (const touchpoint of journey.touchpoints.filter((candidate) => ids.includes(candidate.id))) {
				const copy = {
					...touchpoint,
					id: newItemId('tp'),
					x: touchpoint.x + DUPLICATE_OFFSET,
					y: touchpoint.y + DUPLICATE_OFFSET
				};
				putItem(this.doc, 'touchpoints', copy);
				for (const item of journey.evidence.filter((candidate) => candidate.touchpointId === touchpoint.id)) {
					putItem(this.doc, 'evidence', { ...item, id: newItemId('ev'), touchpointId: copy.id });
				}
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
		const column = gridLayout(journey).columns.find((candidate) => candidate.stage.id === id);
		if (index < 0 || !column) return;
		const reach = Math.max(
			MIN_EXTENT,
			...journey.touchpoints.filter((t) => t.stageId === id).map((t) => t.x + CARD_WIDTH + CARD_GAP - column.left)
		);
		const target = Math.max(Math.round(width), Math.ceil(reach));
		const later = new Set(stages.slice(index + 1).map((stage) => stage.id));
		this.doc.transact(() => {
			patchItem(this.doc, 'stages', id, { width: target });
			this.#shiftCards(journey, (t) => later.has(t.stageId), { x: target - column.width });
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
		const row = gridLayout(journey).rows.find((candidate) => candidate.lane.id === id);
		if (index < 0 || !row) return;
		const reach = Math.max(
			MIN_EXTENT,
			...journey.touchpoints.filter((t) => t.laneId === id).map((t) => t.y + CARD_HEIGHT + CARD_GAP - row.top)
		);
		const target = Math.max(Math.round(height), Math.ceil(reach));
		const later = new Set(lanes.slice(index + 1).map((lane) => lane.id));
		this.doc.transact(() => {
			patchItem(this.doc, 'lanes', id, { height: target });
			this.#shiftCards(journey, (t) => later.has(t.laneId), { y: target - row.height });
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

	/** Replaces the whole board with an imported journey, as one undoable step. */
	replaceJourney(journey: Journey): void {
		writeJourney(this.doc, journey);
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

/** A column's drawn width, which may exceed its own `width` where cards reach past it. */
function columnWidth(journey: Journey, stageId: string): number {
	return gridLayout(journey).columns.find((column) => column.stage.id === stageId)?.width ?? DEFAULT_STAGE_WIDTH;
}

/** A row's drawn height. */
function rowHeight(journey: Journey, laneId: string): number {
	return gridLayout(journey).rows.find((row) => row.lane.id === laneId)?.height ?? DEFAULT_LANE_HEIGHT;
}
