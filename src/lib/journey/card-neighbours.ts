/**
 * Moving about the grid by keyboard: the stage or lane next to a cell, cards moved there (each at
 * a free spot, as a card given a new stage or lane in the Details panel), and the card nearest
 * another in a direction, for arrow keys moving the focus from card to card.
 */
import { newCardSpots, type Cell, type CardMove } from './card-slots';
import { byOrder } from './order';
import { placement } from './placement';
import type { Journey } from './schema';

export type Direction = 'left' | 'right' | 'up' | 'down';

const STEP: Record<Direction, { stage: number; lane: number }> = {
	left: { stage: -1, lane: 0 },
	right: { stage: 1, lane: 0 },
	up: { stage: 0, lane: -1 },
	down: { stage: 0, lane: 1 }
};

/** The cell next to `cell` in a direction (the previous or next stage, the lane above or below), or null at the edge. */
export function neighbourCell(journey: Pick<Journey, 'stages' | 'lanes'>, cell: Cell, direction: Direction): Cell | null {
	const stages = byOrder(journey.stages);
	const lanes = byOrder(journey.lanes);
	const stage = stages[stages.findIndex((candidate) => candidate.id === cell.stageId) + STEP[direction].stage];
	const lane = lanes[lanes.findIndex((candidate) => candidate.id === cell.laneId) + STEP[direction].lane];
	const moved = STEP[direction].stage !== 0 ? stage : lane;
	if (!moved || !stage || !lane || (stage.id === cell.stageId && lane.id === cell.laneId)) return null;
	return { stageId: stage.id, laneId: lane.id };
}

/**
 * Moves the placed cards `ids` into the cell next to theirs in a direction, each at a free spot
 * there that covers no card (nor another one moved with it). Cards at the grid's edge stay.
 */
export function neighbourMoves(
	journey: Pick<Journey, 'stages' | 'lanes' | 'touchpoints'>,
	ids: readonly string[],
	direction: Direction
): CardMove[] {
	const moving = new Set(ids);
	const byTarget = new Map<string, { cell: Cell; ids: string[] }>();
	for (const touchpoint of placement(journey).placed) {
		if (!moving.has(touchpoint.id)) continue;
		const cell = neighbourCell(journey, touchpoint, direction);
		if (!cell) continue;
		const key = `${cell.stageId}\n${cell.laneId}`;
		const group = byTarget.get(key) ?? byTarget.set(key, { cell, ids: [] }).get(key)!;
		group.ids.push(touchpoint.id);
	}
	const staying = { ...journey, touchpoints: journey.touchpoints.filter((touchpoint) => !moving.has(touchpoint.id)) };
	return [...byTarget.values()].flatMap(({ cell, ids: group }) => {
		const spots = newCardSpots(staying, cell, group.length) ?? [];
		return group.map((id, index) => ({ id, ...cell, ...spots[index] }));
	});
}

/**
 * The card nearest to card `fromId` in a direction, by the cards' drawn positions: among the
 * cards whose centre lies that way (within 45° of it), the closest; null when there is none.
 */
export function nearestCard(cards: readonly { id: string; x: number; y: number }[], fromId: string, direction: Direction): string | null {
	const from = cards.find((card) => card.id === fromId);
	if (!from) return null;
	const { stage: sx, lane: sy } = STEP[direction];
	let best: { id: string; distance: number } | null = null;
	for (const card of cards) {
		const dx = card.x - from.x;
		const dy = card.y - from.y;
		const along = dx * sx + dy * sy;
		const across = Math.abs(dx * sy) + Math.abs(dy * sx);
		if (card.id === fromId || along <= 0 || across > along) continue;
		const distance = along + 2 * across;
		if (!best || distance < best.distance) best = { id: card.id, distance };
	}
	return best?.id ?? null;
}
