import { z } from 'zod';

/** The journey JSON format tag (contract). */
export const JOURNEY_FORMAT = 'journey-map/v1';

export const TOUCHPOINT_KINDS = ['neutral', 'positive-peak', 'negative-peak'] as const;
export const LANE_TYPES = ['actions', 'touchpoints', 'channels', 'backstage', 'notes'] as const;
export const EVIDENCE_TYPES = ['quote', 'metric', 'observation', 'link', 'file'] as const;

export const EMOTION_MIN = -5;
export const EMOTION_MAX = 5;
export const SCORE_MIN = 0;
export const SCORE_MAX = 10;

/** Size limits of one journey, so an import cannot exhaust the server. */
export const LIMITS = {
	id: 64,
	name: 200,
	title: 300,
	text: 10_000,
	url: 2_000,
	stages: 200,
	lanes: 100,
	touchpoints: 5_000,
	links: 20_000,
	evidence: 50_000,
	/** Customer segments of one board: each multiplies the per-touchpoint values an analysis walks. */
	segments: 20,
	/** Actions of one board, and the touchpoints one action links. */
	actions: 1_000,
	actionTouchpoints: 200,
	coordinate: 1_000_000,
	minExtent: 120,
	maxExtent: 20_000
} as const;

/** An action's status, from raised to checked (`verified`) or given up (`dropped`). */
export const ACTION_STATUSES = ['open', 'planned', 'in-progress', 'done', 'verified', 'dropped'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
/** Impact and effort of an action: 1 (least) to 5 (most). */
export const ACTION_SCALE_MIN = 1;
export const ACTION_SCALE_MAX = 5;
/** What an action takes for impact or effort when it has no readable value. */
export const ACTION_SCALE_DEFAULT = 3;
/** A due date: `YYYY-MM-DD`. */
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export type TouchpointKind = (typeof TOUCHPOINT_KINDS)[number];
export type LaneType = (typeof LANE_TYPES)[number];
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

const id = z.string().trim().min(1, 'must not be empty').max(LIMITS.id, `at most ${LIMITS.id} characters`);
const text = (max: number) => z.string().max(max, `at most ${max} characters`);
const optionalText = (max: number) =>
	z
		.string()
		.max(max, `at most ${max} characters`)
		.nullish()
		.transform((value) => value ?? '');
const order = z.number().finite('must be a finite number');
const coordinate = z
	.number()
	.finite('must be a finite number')
	.min(-LIMITS.coordinate)
	.max(LIMITS.coordinate)
	.nullish()
	.transform((value) => value ?? 0);
/** A 0…10 score; absent when null or missing. */
const score = z
	.number()
	.min(SCORE_MIN, `must be from ${SCORE_MIN} to ${SCORE_MAX}`)
	.max(SCORE_MAX, `must be from ${SCORE_MIN} to ${SCORE_MAX}`)
	.nullish()
	.transform((value) => value ?? undefined);
const optionalNumber = z
	.number()
	.finite('must be a finite number')
	.nullish()
	.transform((value) => value ?? null);

/** An emotion: integer −5…5, absent when null or missing. */
export const emotionSchema = z
	.number()
	.int(`must be an integer from ${EMOTION_MIN} to ${EMOTION_MAX}`)
	.min(EMOTION_MIN, `must be an integer from ${EMOTION_MIN} to ${EMOTION_MAX}`)
	.max(EMOTION_MAX, `must be an integer from ${EMOTION_MIN} to ${EMOTION_MAX}`)
	.nullish()
	.transform((value) => value ?? undefined);

/** Column width and row height on the canvas: optional layout fields this product adds. */
const extent = z.number().finite().min(LIMITS.minExtent).max(LIMITS.maxExtent).optional();

export const stageSchema = z.object({ id, name: text(LIMITS.name), order, width: extent });

export const laneSchema = z.object({
	id,
	name: text(LIMITS.name),
	order,
	height: extent,
	type: z.enum(LANE_TYPES, { error: `must be one of ${LANE_TYPES.join(', ')}` })
});

/** A touchpoint field a segment may hold its own value of (`<field>@<segmentId>` in the document). */
export const SEGMENT_FIELDS = ['emotion', 'expectation', 'experience', 'importance', 'ideal'] as const;
export type SegmentField = (typeof SEGMENT_FIELDS)[number];

/** A segment's colour: `#rrggbb`, so it can go into SVG and CSS as it is. */
export const SEGMENT_COLOR = /^#[0-9a-fA-F]{6}$/;

export const segmentSchema = z.object({
	id,
	name: text(LIMITS.name),
	order,
	color: z.string().regex(SEGMENT_COLOR, 'must be a colour like #1f77b4').optional(),
	description: text(LIMITS.text).optional()
});

/** The values stored for one segment on one touchpoint: only the fields that differ from all customers. */
export const segmentValuesSchema = z.strictObject({
	emotion: emotionSchema,
	expectation: score,
	experience: score,
	importance: score,
	ideal: score
});

/** Per-segment values in journey JSON: segment id → values; null values and segments left with none are dropped. */
const bySegmentSchema = z
	.record(id, segmentValuesSchema)
	.optional()
	.transform((bySegment) => {
		if (!bySegment) return undefined;
		const kept: Record<string, SegmentValues> = {};
		for (const [segmentId, values] of Object.entries(bySegment)) {
			const stored = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
			if (Object.keys(stored).length > 0) kept[segmentId] = stored;
		}
		return Object.keys(kept).length > 0 ? kept : undefined;
	});

export const touchpointSchema = z.object({
	id,
	stageId: id,
	laneId: id,
	title: text(LIMITS.title),
	description: optionalText(LIMITS.text),
	kind: z.enum(TOUCHPOINT_KINDS, { error: `must be one of ${TOUCHPOINT_KINDS.join(', ')}` }),
	emotion: emotionSchema,
	expectation: score,
	experience: score,
	importance: score,
	ideal: score,
	channel: optionalText(LIMITS.name),
	owner: optionalText(LIMITS.name),
	x: coordinate,
	y: coordinate
});

/**
 * A touchpoint in imported journey JSON. Export leaves out the fields the reader could not read
 * (`invalidFields`), so import takes them as absent: no stage or lane id leaves the card unplaced,
 * no title makes it untitled, no kind neutral.
 */
const importedTouchpointSchema = touchpointSchema.extend({
	stageId: id.optional().transform((value) => value ?? ''),
	laneId: id.optional().transform((value) => value ?? ''),
	title: text(LIMITS.title)
		.optional()
		.transform((value) => value ?? ''),
	kind: touchpointSchema.shape.kind.optional().transform((value) => value ?? 'neutral'),
	bySegment: bySegmentSchema
});

export const linkSchema = z.object({
	id,
	source: id,
	target: id,
	label: optionalText(LIMITS.name)
});

export const evidenceSchema = z.object({
	id,
	touchpointId: id,
	type: z.enum(EVIDENCE_TYPES, { error: `must be one of ${EVIDENCE_TYPES.join(', ')}` }),
	text: optionalText(LIMITS.text),
	source: optionalText(LIMITS.name),
	url: optionalText(LIMITS.url),
	fileId: optionalText(LIMITS.id),
	value: optionalNumber,
	unit: optionalText(LIMITS.name),
	count: z
		.number()
		.int('must be a whole number')
		.min(0, 'must not be negative')
		.nullish()
		.transform((value) => value ?? null),
	createdBy: optionalText(LIMITS.id),
	createdAt: optionalText(LIMITS.name)
});

const actionScale = z
	.number()
	.int(`must be an integer from ${ACTION_SCALE_MIN} to ${ACTION_SCALE_MAX}`)
	.min(ACTION_SCALE_MIN, `must be an integer from ${ACTION_SCALE_MIN} to ${ACTION_SCALE_MAX}`)
	.max(ACTION_SCALE_MAX, `must be an integer from ${ACTION_SCALE_MIN} to ${ACTION_SCALE_MAX}`)
	.default(ACTION_SCALE_DEFAULT);

/** A calendar date `YYYY-MM-DD` that exists (no 2026-02-30). */
export function isIsoDate(value: string): boolean {
	if (!ISO_DATE.test(value)) return false;
	const date = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * An action planned to close a gap: the touchpoints it should improve (`touchpointIds`, a
 * `Y.Array` in the document), the department that owns it, who does it, and how far it is.
 */
export const actionSchema = z.object({
	id,
	title: text(LIMITS.title),
	description: optionalText(LIMITS.text),
	touchpointIds: z.array(id).max(LIMITS.actionTouchpoints, `at most ${LIMITS.actionTouchpoints} touchpoints`).default([]),
	owner: optionalText(LIMITS.name),
	assigneeId: id.optional(),
	status: z.enum(ACTION_STATUSES, { error: `must be one of ${ACTION_STATUSES.join(', ')}` }).default('open'),
	impact: actionScale,
	effort: actionScale,
	due: z.string().refine(isIsoDate, 'must be a date like 2026-03-31').optional(),
	customersTold: z.boolean().default(false),
	createdBy: optionalText(LIMITS.id),
	createdAt: optionalText(LIMITS.name)
});

export const journeySchema = z.object({
	format: z.literal(JOURNEY_FORMAT, { error: `must be "${JOURNEY_FORMAT}"` }),
	title: text(LIMITS.title),
	stages: z.array(stageSchema).max(LIMITS.stages, `at most ${LIMITS.stages} stages`),
	lanes: z.array(laneSchema).max(LIMITS.lanes, `at most ${LIMITS.lanes} lanes`),
	touchpoints: z.array(importedTouchpointSchema).max(LIMITS.touchpoints, `at most ${LIMITS.touchpoints} touchpoints`),
	links: z.array(linkSchema).max(LIMITS.links, `at most ${LIMITS.links} links`).default([]),
	evidence: z.array(evidenceSchema).max(LIMITS.evidence, `at most ${LIMITS.evidence} evidence items`).default([]),
	segments: z.array(segmentSchema).max(LIMITS.segments, `at most ${LIMITS.segments} segments`).default([]),
	actions: z.array(actionSchema).max(LIMITS.actions, `at most ${LIMITS.actions} actions`).default([])
});

export type Stage = z.output<typeof stageSchema>;
export type Lane = z.output<typeof laneSchema>;
export type Segment = z.output<typeof segmentSchema>;
export type SegmentValues = Partial<Record<SegmentField, number>>;
/** A touchpoint; `bySegment` holds the values stored for segments (segment id → field → value), only when there are any. */
export type Touchpoint = z.output<typeof touchpointSchema> & { bySegment?: Record<string, SegmentValues> };
export type Action = z.output<typeof actionSchema>;
export type Link = z.output<typeof linkSchema>;
export type Evidence = z.output<typeof evidenceSchema>;
/** A touchpoint field the reader could not read: left out of the journey JSON, marked by the analysis. */
export interface InvalidField {
	touchpointId: string;
	field: string;
}
/** A journey; a journey read from a document lists the touchpoint fields it could not read (`invalidFields`). */
export type Journey = Omit<z.output<typeof journeySchema>, 'touchpoints' | 'actions'> & {
	touchpoints: Touchpoint[];
	/** Always read and imported; absent only from journey JSON kept from before actions existed (see `actionsOf`). */
	actions?: Action[];
	invalidFields?: InvalidField[];
};

/** A journey with a title and nothing else. */
export function emptyJourney(title: string): Journey {
	return { format: JOURNEY_FORMAT, title, stages: [], lanes: [], touchpoints: [], links: [], evidence: [], segments: [], actions: [] };
}

/** The collections of a journey that hold items keyed by id. */
export const COLLECTIONS = ['stages', 'lanes', 'touchpoints', 'links', 'evidence', 'segments', 'actions'] as const;
export type Collection = (typeof COLLECTIONS)[number];

/** The schema of one item of each collection: the fields of its nested `Y.Map` in the document. */
export const COLLECTION_SCHEMAS = {
	stages: stageSchema,
	lanes: laneSchema,
	touchpoints: touchpointSchema,
	links: linkSchema,
	evidence: evidenceSchema,
	segments: segmentSchema,
	actions: actionSchema
} as const satisfies Record<Collection, z.ZodObject>;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Validates journey JSON: shape, ranges, unique ids and references. A touchpoint may name a stage
 * or lane the journey does not hold: it is unplaced, as exported, and keeps the ids it names.
 */
export function parseJourney(input: unknown): ParseResult<Journey> {
	const parsed = journeySchema.safeParse(input);
	if (!parsed.success) return { ok: false, error: describeIssue(parsed.error.issues[0]) };
	const journey = parsed.data as Journey;
	const problem = referenceProblem(journey);
	return problem ? { ok: false, error: problem } : { ok: true, value: journey };
}

/** A zod issue as one line: `path: message`. */
export function describeIssue(issue: z.core.$ZodIssue): string {
	const path = issue.path
		.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? String(part) : `.${String(part)}`))
		.join('');
	return path ? `${path}: ${issue.message}` : issue.message;
}

function referenceProblem(journey: Journey): string | null {
	for (const collection of COLLECTIONS) {
		const seen = new Set<string>();
		for (const [index, item] of (journey[collection] ?? []).entries()) {
			if (seen.has(item.id)) return `${collection}[${index}].id: "${item.id}" is used twice`;
			seen.add(item.id);
		}
	}
	const touchpointIds = new Set(journey.touchpoints.map((touchpoint) => touchpoint.id));
	for (const [index, link] of journey.links.entries()) {
		if (!touchpointIds.has(link.source)) return `links[${index}].source: no touchpoint "${link.source}"`;
		if (!touchpointIds.has(link.target)) return `links[${index}].target: no touchpoint "${link.target}"`;
	}
	for (const [index, item] of journey.evidence.entries()) {
		if (!touchpointIds.has(item.touchpointId)) {
			return `evidence[${index}].touchpointId: no touchpoint "${item.touchpointId}"`;
		}
	}
	const segmentIds = new Set(journey.segments.map((segment) => segment.id));
	for (const [index, touchpoint] of journey.touchpoints.entries()) {
		for (const segmentId of Object.keys(touchpoint.bySegment ?? {})) {
			if (!segmentIds.has(segmentId)) return `touchpoints[${index}].bySegment.${segmentId}: no segment "${segmentId}"`;
		}
	}
	for (const [index, action] of (journey.actions ?? []).entries()) {
		const linked = new Set<string>();
		for (const [position, touchpointId] of action.touchpointIds.entries()) {
			const path = `actions[${index}].touchpointIds[${position}]`;
			if (!touchpointIds.has(touchpointId)) return `${path}: no touchpoint "${touchpointId}"`;
			if (linked.has(touchpointId)) return `${path}: "${touchpointId}" is linked twice`;
			linked.add(touchpointId);
		}
	}
	return null;
}
