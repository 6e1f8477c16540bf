import * as Y from 'yjs';
import type { z } from 'zod';
import { compareIds } from './order';
import { isSegmentField, splitSegmentKey } from './segments';
import {
	actionSchema,
	evidenceSchema,
	laneSchema,
	SEGMENT_FIELDS,
	linkSchema,
	segmentSchema,
	stageSchema,
	touchpointSchema,
	type Collection,
	type Journey,
	type SegmentValues
} from './schema';

type ItemOf<C extends Collection> = NonNullable<Journey[C]>[number];

const ITEM_SCHEMAS = {
	stages: stageSchema,
	lanes: laneSchema,
	touchpoints: touchpointSchema,
	links: linkSchema,
	evidence: evidenceSchema,
	segments: segmentSchema,
	actions: actionSchema
} as const;

/**
 * What a touchpoint shows where a required field cannot be read, so the card stays on the board:
 * without a stage or lane it is unplaced, without a title untitled, without a kind neutral.
 */
const TOUCHPOINT_FALLBACKS: Readonly<Record<string, string>> = { stageId: '', laneId: '', title: '', kind: 'neutral' };

/** One item read field by field, with the fields that could not be read. */
export interface ReadItem<C extends Collection> {
	item: ItemOf<C>;
	/** Fields holding a shared type, a wrong type or an out-of-range value, or required and missing. */
	invalidFields: string[];
}

/**
 * Reads one item of a collection from its `Y.Map`, field by field, and never throws: a field that
 * cannot be read is left out when optional, falls back when a touchpoint needs it, and is reported.
 * Null when the entry is not a map, or a stage, lane, link or evidence item lacks a required field.
 */
export function readItem<C extends Collection>(collection: C, id: string, source: unknown): ReadItem<C> | null {
	if (!(source instanceof Y.Map)) return null;
	const shape: Record<string, z.ZodType> = ITEM_SCHEMAS[collection].shape;
	const item: Record<string, unknown> = { id };
	const invalidFields: string[] = [];
	for (const [field, schema] of Object.entries(shape)) {
		if (field === 'id') continue;
		const stored: unknown = source.get(field);
		// A list field (an action's touchpoint ids) is a `Y.Array`, read as its entries.
		const raw = stored instanceof Y.Array ? stored.toArray() : stored;
		const parsed = raw instanceof Y.AbstractType ? null : schema.safeParse(raw);
		if (parsed?.success) {
			if (parsed.data !== undefined) item[field] = parsed.data;
			continue;
		}
		const absent = schema.safeParse(undefined);
		if (absent.success) {
			if (absent.data !== undefined) item[field] = absent.data;
		} else if (collection === 'touchpoints' && field in TOUCHPOINT_FALLBACKS) {
			item[field] = TOUCHPOINT_FALLBACKS[field];
		} else {
			return null;
		}
		invalidFields.push(field);
	}
	if (collection === 'touchpoints') readSegmentValues(source, item, invalidFields);
	return { item: item as ItemOf<C>, invalidFields };
}

/**
 * Reads a touchpoint's per-segment values (`<field>@<segmentId>`) into `bySegment`, left out when
 * there are none; a value its field's schema refuses is reported under its key, as other fields are.
 */
function readSegmentValues(source: Y.Map<unknown>, item: Record<string, unknown>, invalidFields: string[]): void {
	const bySegment: Record<string, SegmentValues> = {};
	for (const [key, raw] of source.entries()) {
		const split = splitSegmentKey(key);
		if (!split) continue;
		const { field, segmentId } = split;
		if (!isSegmentField(field) || segmentId === '') continue;
		const parsed = raw instanceof Y.AbstractType ? null : touchpointSchema.shape[field].safeParse(raw);
		if (!parsed?.success) {
			invalidFields.push(key);
			continue;
		}
		if (parsed.data === undefined) continue;
		(bySegment[segmentId] ??= {})[field] = parsed.data;
	}
	const segmentIds = Object.keys(bySegment);
	if (segmentIds.length === 0) return;
	// In one order on every client (a map's entries come in the order its keys arrived), so equal documents read equal.
	item.bySegment = Object.fromEntries(
		segmentIds.sort(compareIds).map((segmentId) => {
			const values = bySegment[segmentId];
			return [segmentId, Object.fromEntries(SEGMENT_FIELDS.filter((field) => field in values).map((field) => [field, values[field]]))];
		})
	);
}
