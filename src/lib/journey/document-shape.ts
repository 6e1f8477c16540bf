/**
 * The shape of the journey document (docs/api.md, "The journey document"), taken from the schema,
 * and the check of what an update put into a document against it: the top-level maps, one nested
 * `Y.Map` per item, and in it plain values of the type each field's schema takes. Out-of-range
 * values (an emotion of 99) are the reader's concern; this check is about structure, types and
 * counts, which no reader can repair.
 */
import * as Y from 'yjs';
import type { z } from 'zod';
import { BOARD_MAP } from './document';
import { COLLECTION_SCHEMAS, COLLECTIONS, journeySchema, LIMITS, SEGMENT_FIELDS, type Collection } from './schema';
import { TEXT_FIELDS, TEXT_KEY_LIMITS, textFieldOf } from './text-fields';
import { isSegmentField, splitSegmentKey } from './segments';

type Primitive = 'string' | 'number' | 'boolean';

/**
 * What one field may hold: a plain value of one type, and null only where its schema takes null;
 * or (`text`) a `Y.Text` of plain characters, a touchpoint's collaborative title or description;
 * or (`list`) a `Y.Array` of ids, an action's touchpoint ids.
 */
interface FieldShape {
	kind: Primitive | 'text' | 'list';
	nullable: boolean;
}

type Fields = ReadonlyMap<string, FieldShape>;

const EXPECTED: Record<FieldShape['kind'], string> = {
	string: 'a text value',
	number: 'a number',
	boolean: 'true or false',
	text: 'a collaborative text',
	list: 'a list of ids'
};

/** A schema field as the plain value the document holds; a field it could not hold fails at start. */
function fieldShape(schema: z.core.$ZodType, nullable = false): FieldShape {
	const def = schema._zod.def as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType };
	switch (def.type) {
		case 'string':
		case 'enum':
			return { kind: 'string', nullable };
		case 'number':
			return { kind: 'number', nullable };
		case 'boolean':
			return { kind: 'boolean', nullable };
		case 'array':
			return { kind: 'list', nullable };
		case 'optional':
		case 'default':
			return fieldShape(def.innerType!, nullable);
		case 'nullable':
			return fieldShape(def.innerType!, true);
		case 'pipe':
			return fieldShape(def.in!, nullable);
		default:
			throw new Error(`The journey document has no plain value for a "${def.type}" schema field`);
	}
}

function fieldsOf(shape: Record<string, z.core.$ZodType>): Fields {
	return new Map(Object.entries(shape).map(([key, schema]) => [key, fieldShape(schema)]));
}

const BOARD_FIELDS = fieldsOf({ title: journeySchema.shape.title });
const TEXT_SHAPE: FieldShape = { kind: 'text', nullable: false };
const ITEM_FIELDS = new Map<string, Fields>(
	COLLECTIONS.map((collection) => {
		const fields = new Map(fieldsOf(COLLECTION_SCHEMAS[collection].shape));
		if (collection === 'touchpoints') for (const key of Object.values(TEXT_FIELDS)) fields.set(key, TEXT_SHAPE);
		return [collection, fields];
	})
);

/** How many lists (`Y.Array`) one item of a collection holds. */
function listsPerItem(collection: Collection): number {
	return [...ITEM_FIELDS.get(collection)!.values()].filter((field) => field.kind === 'list').length;
}

/**
 * The most items a board's collections hold together (`LIMITS`), with their lists; no update
 * needs more new maps or lists.
 */
export const MAX_ITEMS = COLLECTIONS.reduce((sum, collection) => sum + LIMITS[collection] * (1 + listsPerItem(collection)), 0);

/** The most ids one list field holds (an action's touchpoints). */
export const MAX_LIST_ENTRIES = LIMITS.actionTouchpoints;

/**
 * The most per-segment values (`<field>@<segmentId>`) one touchpoint's map holds: every field of
 * every segment a board may have. Keys of a segment deleted meanwhile count too; deleting a
 * segment removes its values.
 */
export const MAX_SEGMENT_VALUES = SEGMENT_FIELDS.length * LIMITS.segments;

/** The map keys below the top level the shape has: an item's key, then its field's. */
const MAX_DEPTH = 2;

/**
 * The first thing outside the journey document's shape that the structs added since `since`
 * (client id → the document's clock for that client before the update) put into `doc`, as
 * "path: what was wrong", or null. Only those structs are read, each a few parents up, so an
 * ordinary edit costs a few lookups; deleted ones are skipped, as nothing reads them.
 */
export function shapeProblem(doc: Y.Doc, since: ReadonlyMap<number, number>): string | null {
	const grown = new Set<Collection>();
	const touchpointsWithSegmentValues = new Set<Y.Map<unknown>>();
	const grownLists = new Set<Y.Array<unknown>>();
	for (const [client, clock] of since) {
		const structs = doc.store.clients.get(client);
		if (!structs || Y.getState(doc.store, client) <= clock) continue;
		for (let index = Y.findIndexSS(structs, clock); index < structs.length; index++) {
			const item = structs[index];
			if (!(item instanceof Y.Item) || item.deleted) continue;
			const problem = itemProblem(item);
			if (problem) return problem;
			const parent = item.parent as Y.AbstractType<unknown>;
			if (parent instanceof Y.Array) {
				grownLists.add(parent);
			} else if (parent._item === null) {
				const root = Y.findRootTypeKey(parent);
				if (root !== BOARD_MAP) grown.add(root as Collection);
			} else if (item.parentSub !== null && splitSegmentKey(item.parentSub)) {
				touchpointsWithSegmentValues.add(parent as Y.Map<unknown>);
			}
		}
	}
	for (const touchpoint of touchpointsWithSegmentValues) {
		if (segmentValueCount(touchpoint) > MAX_SEGMENT_VALUES) {
			const key = (touchpoint as unknown as Y.AbstractType<unknown>)._item?.parentSub;
			return `touchpoints.${key}: at most ${MAX_SEGMENT_VALUES} per-segment values`;
		}
	}
	for (const list of grownLists) {
		if (list.length > MAX_LIST_ENTRIES) return `${listPath(list)}: at most ${MAX_LIST_ENTRIES} ids`;
	}
	for (const collection of grown) {
		if (overLimit(doc.share.get(collection)!, LIMITS[collection])) return `${collection}: at most ${LIMITS[collection]} items`;
	}
	return null;
}

/** What is wrong with one integrated item where it sits, or null. */
function itemProblem(item: Y.Item): string | null {
	if (item.parent instanceof Y.Text) return textProblem(item, item.parent);
	if (item.parent instanceof Y.Array) return listEntryProblem(item, item.parent);
	const keys: (string | null)[] = [item.parentSub];
	let type = item.parent as Y.AbstractType<unknown>;
	while (type._item !== null) {
		if (keys.length === MAX_DEPTH) return nestingProblem(item);
		keys.unshift(type._item.parentSub);
		type = type._item.parent as Y.AbstractType<unknown>;
	}
	const root = Y.findRootTypeKey(type);
	return keys.length > depthOf(root) ? nestingProblem(item) : problemAt(item, root, keys);
}

/**
 * An item nested deeper than the shape allows: one of its ancestors holds a shared type where a
 * plain value belongs. Walks up once (the nesting may be thousands deep) and names that ancestor.
 */
function nestingProblem(item: Y.Item): string {
	const chain: Y.Item[] = [item];
	let type = item.parent as Y.AbstractType<unknown>;
	for (; type._item !== null; type = type._item.parent as Y.AbstractType<unknown>) chain.unshift(type._item);
	const root = Y.findRootTypeKey(type);
	const keys = chain.map((ancestor) => ancestor.parentSub);
	for (let depth = 1; depth <= depthOf(root); depth++) {
		const problem = problemAt(chain[depth - 1], root, keys.slice(0, depth));
		if (problem) return problem;
	}
	return `${pathOf(root, keys)}: nested deeper than a board allows`;
}

/** How many keys deep a top-level type's plain values sit: the board's at once, items' one map down. */
function depthOf(root: string): number {
	return root === BOARD_MAP ? 1 : MAX_DEPTH;
}

/** What is wrong with an item under `root` at `keys` (its own key last, at most `depthOf(root)`), or null. */
function problemAt(item: Y.Item, root: string, keys: readonly (string | null)[]): string | null {
	const fields = root === BOARD_MAP ? BOARD_FIELDS : ITEM_FIELDS.get(root);
	if (!fields) return `${root}: not part of a board`;
	const path = pathOf(root, keys);
	const key = keys[keys.length - 1];
	if (key === null || keys.includes(null)) return `${path}: a list entry where a map belongs`;
	if (keys.length < depthOf(root)) return isMap(item) ? null : `${path}: a map of fields expected`;
	return valueProblem(path, fields.get(root === 'touchpoints' ? touchpointField(key) : key), item);
}

/** The field whose shape a touchpoint key takes: a per-segment value `<field>@<segmentId>` takes its field's. */
function touchpointField(key: string): string {
	const split = splitSegmentKey(key);
	if (!split) return key;
	// An empty segment id or a field a segment cannot hold matches no field: refused.
	return isSegmentField(split.field) && split.segmentId !== '' ? split.field : '';
}

/** How many per-segment values a touchpoint's map holds, deleted ones not counted. */
function segmentValueCount(touchpoint: Y.Map<unknown>): number {
	let count = 0;
	for (const [key, item] of (touchpoint as unknown as { _map: Map<string, Y.Item> })._map) {
		if (!item.deleted && key.includes('@')) count++;
	}
	return count;
}

/**
 * What is wrong with a piece of a `Y.Text`: the text must be a touchpoint's collaborative field
 * (`TEXT_FIELDS`), hold plain characters only (no formatting, embeds or nested types) and stay
 * within its limit (`TEXT_KEY_LIMITS`).
 */
function textProblem(item: Y.Item, text: Y.Text): string | null {
	const holder = text._item;
	const touchpoint = holder?.parent as Y.AbstractType<unknown> | undefined;
	const key = holder?.parentSub ?? null;
	const field = textFieldOf(key);
	const path = holder && touchpoint?._item ? `touchpoints.${touchpoint._item.parentSub}.${key}` : 'a collaborative text';
	if (!field || !touchpoint?._item || touchpoint._item.parent !== text.doc?.share.get('touchpoints')) {
		return `${path}: collaborative text only belongs in a touchpoint's ${Object.values(TEXT_FIELDS).join(' or ')}`;
	}
	if (!(item.content instanceof Y.ContentString)) return `${path}: plain characters expected`;
	const limit = TEXT_KEY_LIMITS[key as keyof typeof TEXT_KEY_LIMITS];
	return text.length > limit ? `${path}: at most ${limit} characters` : null;
}

/**
 * What is wrong with an entry of a `Y.Array`: the list must be a list field of an item (an
 * action's `touchpointIds`), and hold plain ids only.
 */
function listEntryProblem(item: Y.Item, list: Y.Array<unknown>): string | null {
	const path = listPath(list);
	const holder = list._item;
	const map = holder?.parent as Y.AbstractType<unknown> | undefined;
	const owner = map?._item;
	const root =
		owner && (owner.parent as Y.AbstractType<unknown>)._item === null ? Y.findRootTypeKey(owner.parent as Y.AbstractType<unknown>) : null;
	const field = root && holder?.parentSub ? ITEM_FIELDS.get(root)?.get(holder.parentSub) : undefined;
	if (field?.kind !== 'list') return `${path}: a list only belongs in an item's list of ids`;
	const content = item.content;
	if (!(content instanceof Y.ContentAny)) return `${path}: ids expected`;
	for (const value of content.arr) {
		if (typeof value !== 'string' || value.length === 0 || value.length > LIMITS.id)
			return `${path}: ids of 1 to ${LIMITS.id} characters expected`;
	}
	return null;
}

/** Where a `Y.Array` sits, as `actions.<id>.touchpointIds`, as far as it can be told. */
function listPath(list: Y.Array<unknown>): string {
	const holder = list._item;
	const owner = (holder?.parent as Y.AbstractType<unknown> | undefined)?._item;
	if (!holder || !owner) return 'a list';
	const root = (owner.parent as Y.AbstractType<unknown>)._item === null ? Y.findRootTypeKey(owner.parent as Y.AbstractType<unknown>) : '…';
	return `${root}.${owner.parentSub ?? '[]'}.${holder.parentSub ?? '[]'}`;
}

function valueProblem(path: string, field: FieldShape | undefined, item: Y.Item): string | null {
	if (!field) return `${path}: not a field of the journey document`;
	const content = item.content;
	if (field.kind === 'text')
		return content instanceof Y.ContentType && content.type instanceof Y.Text ? null : `${path}: ${EXPECTED.text} expected`;
	if (field.kind === 'list')
		return content instanceof Y.ContentType && content.type instanceof Y.Array ? null : `${path}: ${EXPECTED.list} expected`;
	if (content instanceof Y.ContentAny && content.arr.length === 1) {
		const value: unknown = content.arr[0];
		if (typeof value === field.kind || (value === null && field.nullable)) return null;
	}
	return `${path}: ${EXPECTED[field.kind]} expected`;
}

function isMap(item: Y.Item): boolean {
	return item.content instanceof Y.ContentType && item.content.type instanceof Y.Map;
}

function pathOf(root: string, keys: readonly (string | null)[]): string {
	return [root, ...keys.map((key) => key ?? '[]')].join('.');
}

/**
 * Whether a top-level map holds more than `limit` entries that are not deleted. Its size counts
 * deleted entries too, so at or below the limit nothing is walked: an ordinary edit costs nothing.
 */
function overLimit(type: { _map: Map<string, Y.Item> }, limit: number): boolean {
	if (type._map.size <= limit) return false;
	let count = 0;
	for (const item of type._map.values()) if (!item.deleted) count++;
	return count > limit;
}
