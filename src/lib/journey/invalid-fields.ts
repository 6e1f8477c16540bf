import type { InvalidField, Journey, Touchpoint } from './schema';
import { newTouchpoint } from './touchpoint';

/**
 * The journey with the touchpoint fields it could not read: listed in `invalidFields` (journey
 * order) and left out of its JSON (`JSON.stringify`), while readers in the app see the fallbacks.
 */
export function withInvalidFields(journey: Journey, invalid: ReadonlyMap<string, readonly string[]>): Journey {
	if (invalid.size === 0) return journey;
	const invalidFields: InvalidField[] = journey.touchpoints.flatMap((touchpoint) =>
		(invalid.get(touchpoint.id) ?? []).map((field) => ({ touchpointId: touchpoint.id, field }))
	);
	const result: Journey = { ...journey, invalidFields };
	// Not enumerable: copies, comparisons and structured clones see a plain journey.
	Object.defineProperty(result, 'toJSON', { value: () => leftOut(result, invalidFields) });
	return result;
}

function leftOut(journey: Journey, invalidFields: readonly InvalidField[]): object {
	const byId = new Map(journey.touchpoints.map((touchpoint) => [touchpoint.id, touchpoint]));
	const copies = new Map<string, Partial<Touchpoint>>();
	for (const { touchpointId, field } of invalidFields) {
		let copy = copies.get(touchpointId);
		if (!copy) copies.set(touchpointId, (copy = { ...byId.get(touchpointId) }));
		delete copy[field as keyof Touchpoint];
	}
	return { ...journey, touchpoints: journey.touchpoints.map((touchpoint) => copies.get(touchpoint.id) ?? touchpoint) };
}

/**
 * A journey parsed back from its JSON as the readers in the app see it: each field left out for
 * being unreadable takes a new touchpoint's value again (no title, neutral, no stage or lane).
 */
export function withFallbacks(journey: Journey): Journey {
	const invalid = journey.invalidFields ?? [];
	if (invalid.length === 0) return journey;
	const unreadable = new Set(invalid.map((entry) => entry.touchpointId));
	const touchpoints = journey.touchpoints.map((touchpoint) =>
		unreadable.has(touchpoint.id) ? { ...newTouchpoint({ id: touchpoint.id, stageId: '', laneId: '' }), ...touchpoint } : touchpoint
	);
	const byId = new Map<string, string[]>();
	for (const { touchpointId, field } of invalid) byId.set(touchpointId, [...(byId.get(touchpointId) ?? []), field]);
	return withInvalidFields({ ...journey, touchpoints }, byId);
}
