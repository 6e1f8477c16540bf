import type { Journey, Touchpoint } from './schema';

/** A journey's touchpoints split by whether their stage and lane are in the journey. */
export interface Placement {
	/** In a cell of the grid. */
	placed: Touchpoint[];
	/** Naming a stage or lane the journey does not hold (deleted while someone added to it, or never read): shown apart until moved into a cell. */
	unplaced: Touchpoint[];
}

/** Splits the touchpoints into placed and unplaced ones, each in the given order. */
export function placement(journey: Pick<Journey, 'stages' | 'lanes' | 'touchpoints'>): Placement {
	const stageIds = new Set(journey.stages.map((stage) => stage.id));
	const laneIds = new Set(journey.lanes.map((lane) => lane.id));
	const result: Placement = { placed: [], unplaced: [] };
	for (const touchpoint of journey.touchpoints) {
		(stageIds.has(touchpoint.stageId) && laneIds.has(touchpoint.laneId) ? result.placed : result.unplaced).push(touchpoint);
	}
	return result;
}
