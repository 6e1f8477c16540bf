import type { Touchpoint } from './schema';

/** The fields a new touchpoint must be given: its id and its cell. */
export type NewTouchpointFields = Pick<Touchpoint, 'id' | 'stageId' | 'laneId'> & Partial<Touchpoint>;

/**
 * A touchpoint as it is made, before anyone has filled it in: untitled, neutral, without emotion
 * or scores, at the origin; `fields` override any of that. The app's new cards and the tests'
 * touchpoints are all made here.
 */
export function newTouchpoint({ id, stageId, laneId, ...fields }: NewTouchpointFields): Touchpoint {
	return {
		id,
		stageId,
		laneId,
		title: '',
		description: '',
		kind: 'neutral',
		emotion: undefined,
		expectation: undefined,
		experience: undefined,
		importance: undefined,
		ideal: undefined,
		channel: '',
		owner: '',
		x: 0,
		y: 0,
		...fields
	};
}
