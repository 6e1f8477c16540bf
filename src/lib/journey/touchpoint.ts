import type { Evidence, Touchpoint } from './schema';

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

/** The fields a new evidence item must be given: its id, its touchpoint and its type. */
export type NewEvidenceFields = Pick<Evidence, 'id' | 'touchpointId' | 'type'> & Partial<Evidence>;

/** An evidence item as it is made: no text, source, link, file, value or count; `fields` override any of that. */
export function newEvidence({ id, touchpointId, type, ...fields }: NewEvidenceFields): Evidence {
	return {
		id,
		touchpointId,
		type,
		text: '',
		source: '',
		url: '',
		fileId: '',
		value: null,
		unit: '',
		count: null,
		createdBy: '',
		createdAt: '',
		...fields
	};
}
