import { cardsOverlap } from '../../src/lib/journey/card-slots';
import { cardOffset, gridLayout } from '../../src/lib/journey/layout';
import type { Journey, Touchpoint } from '../../src/lib/journey/schema';
import { newTouchpoint } from '../../src/lib/journey/touchpoint';

/** A board of three stages and two lanes, no cards: the grid the placement tests put cards on. */
export const GRID_JOURNEY: Journey = {
	format: 'journey-map/v1',
	title: 'Board',
	stages: [
		{ id: 's1', name: 'One', order: 1 },
		{ id: 's2', name: 'Two', order: 2 },
		{ id: 's3', name: 'Three', order: 3 }
	],
	lanes: [
		{ id: 'l1', name: 'Touchpoints', order: 1, type: 'touchpoints' },
		{ id: 'l2', name: 'Backstage', order: 2, type: 'backstage' }
	],
	segments: [],
	touchpoints: [],
	links: [],
	evidence: []
};

/** A card titled by its id, in a cell at an offset. */
export function card(id: string, stageId: string, laneId: string, x: number, y: number): Touchpoint {
	return newTouchpoint({ id, stageId, laneId, title: id, x, y });
}

/** Every pair of placed cards in one cell that cover each other. */
export function overlaps(journey: Journey): string[][] {
	const layout = gridLayout(journey);
	const pairs: string[][] = [];
	for (const a of journey.touchpoints) {
		for (const b of journey.touchpoints) {
			if (a.id >= b.id || a.stageId !== b.stageId || a.laneId !== b.laneId) continue;
			const offsetA = cardOffset(layout, a);
			const offsetB = cardOffset(layout, b);
			if (offsetA && offsetB && cardsOverlap(offsetA, offsetB)) pairs.push([a.id, b.id]);
		}
	}
	return pairs;
}
