import { byOrder } from './order';
import { SEGMENT_FIELDS, type Journey, type Segment, type SegmentField, type SegmentValues, type Touchpoint } from './schema';

/** The separator of a per-segment key on a touchpoint's `Y.Map`: `<field>@<segmentId>`. */
export const SEGMENT_KEY_SEPARATOR = '@';

/** The key a segment's own value of a field sits under on the touchpoint's `Y.Map`. */
export function segmentKey(field: SegmentField, segmentId: string): string {
	return `${field}${SEGMENT_KEY_SEPARATOR}${segmentId}`;
}

/** A key of a touchpoint's `Y.Map` split at its first `@`, or null when it has none (a plain field). */
export function splitSegmentKey(key: string): { field: string; segmentId: string } | null {
	const at = key.indexOf(SEGMENT_KEY_SEPARATOR);
	if (at < 0) return null;
	return { field: key.slice(0, at), segmentId: key.slice(at + 1) };
}

/** Whether a name is a field a segment may hold its own value of. */
export function isSegmentField(field: string): field is SegmentField {
	return (SEGMENT_FIELDS as readonly string[]).includes(field);
}

/** The value stored for the segment itself, or undefined when it inherits the touchpoint's. */
export function ownValue(touchpoint: Touchpoint, field: SegmentField, segmentId: string): number | undefined {
	return touchpoint.bySegment?.[segmentId]?.[field];
}

/** The effective value of a field for a segment: its own when stored, else the touchpoint's (all customers). */
export function effectiveValue(touchpoint: Touchpoint, field: SegmentField, segmentId: string): number | undefined {
	return ownValue(touchpoint, field, segmentId) ?? touchpoint[field];
}

/**
 * The touchpoint as one segment sees it: the effective value in each segment field. The same
 * object when the segment stores nothing on it; otherwise a copy without `bySegment`.
 */
export function touchpointForSegment(touchpoint: Touchpoint, segmentId: string): Touchpoint {
	const own = touchpoint.bySegment?.[segmentId];
	if (!own) return touchpoint;
	let bySegment = seen.get(touchpoint);
	if (!bySegment) seen.set(touchpoint, (bySegment = new Map()));
	const known = bySegment.get(segmentId);
	if (known) return known;
	const { bySegment: _bySegment, ...plain } = touchpoint;
	const effective: SegmentValues = {};
	for (const field of SEGMENT_FIELDS) effective[field] = own[field] ?? touchpoint[field];
	const result = { ...plain, ...effective };
	bySegment.set(segmentId, result);
	return result;
}

/** Touchpoint → segment id → the touchpoint as that segment sees it: unchanged cards keep their object on the canvas. */
const seen = new WeakMap<Touchpoint, Map<string, Touchpoint>>();

/** The journey as one segment sees it: every touchpoint with that segment's effective values. */
export function journeyForSegment(journey: Journey, segmentId: string): Journey {
	return { ...journey, touchpoints: journey.touchpoints.map((touchpoint) => touchpointForSegment(touchpoint, segmentId)) };
}

/** The journey's segments in segment order: `order`, then id; none when the journey JSON has no list. */
export function segmentsInOrder(journey: Pick<Journey, 'segments'>): Segment[] {
	// Journey JSON kept from before segments existed has no list: none.
	return byOrder(journey.segments ?? []);
}

/**
 * The touchpoint without values of segments not in `segmentIds` (a segment deleted while someone
 * set a value of it): the same object when it holds none.
 */
export function withKnownSegments(touchpoint: Touchpoint, segmentIds: ReadonlySet<string>): Touchpoint {
	const bySegment = touchpoint.bySegment;
	if (!bySegment || Object.keys(bySegment).every((id) => segmentIds.has(id))) return touchpoint;
	const kept = Object.fromEntries(Object.entries(bySegment).filter(([id]) => segmentIds.has(id)));
	const { bySegment: _dropped, ...plain } = touchpoint;
	return Object.keys(kept).length > 0 ? { ...plain, bySegment: kept } : plain;
}

/** Colours given to new segments in turn: distinguishable, and readable on white. */
export const SEGMENT_PALETTE = ['#7b3294', '#c2a500', '#1b7837', '#2166ac', '#d6604d', '#4d4d4d', '#8c510a', '#01665e'] as const;
