import * as Y from 'yjs';
import { withInvalidFields } from './invalid-fields';
import { readItem, type ReadItem } from './item-reader';
import { byOrder, compareIds, journeyOrder } from './order';
import { COLLECTIONS, JOURNEY_FORMAT, type Collection, type Journey, type SegmentField, type SegmentValues } from './schema';
import { segmentKey, withKnownSegments } from './segments';
import { withKnownTouchpoints } from './actions';

/** The plain `Y.Map` holding board-level fields such as `title`. */
export const BOARD_MAP = 'board';

type ItemOf<C extends Collection> = NonNullable<Journey[C]>[number];

/** The `Y.Map` of one collection: id → nested `Y.Map` of the item's fields. */
export function collectionMap(doc: Y.Doc, collection: Collection): Y.Map<Y.Map<unknown>> {
	return doc.getMap<Y.Map<unknown>>(collection);
}

/**
 * An item's fields as the keys and values of its `Y.Map`: absent (undefined or null) fields left
 * out, a touchpoint's `bySegment` spread into `<field>@<segmentId>` keys, a list (an action's
 * `touchpointIds`) as a `Y.Array` (see `documentValue`).
 */
export function documentEntries(fields: object): [string, unknown][] {
	const entries: [string, unknown][] = [];
	for (const [key, value] of Object.entries(fields)) {
		if (value === undefined || value === null) continue;
		if (key !== 'bySegment') {
			entries.push([key, value]);
			continue;
		}
		for (const [segmentId, values] of Object.entries(value as Record<string, SegmentValues>)) {
			for (const [field, own] of Object.entries(values)) {
				if (own !== undefined && own !== null) entries.push([segmentKey(field as SegmentField, segmentId), own]);
			}
		}
	}
	return entries;
}

/** The value a field takes in an item's `Y.Map`: a list becomes a `Y.Array`, so concurrent additions merge. */
export function documentValue(value: unknown): unknown {
	return Array.isArray(value) ? Y.Array.from(value) : value;
}

/** Whether a value in an item's `Y.Map` already holds the field's value (a `Y.Array` by its entries). */
function holds(existing: unknown, value: unknown): boolean {
	if (!Array.isArray(value)) return existing === value;
	if (!(existing instanceof Y.Array) || existing.length !== value.length) return false;
	const entries = existing.toArray();
	return value.every((entry, index) => entries[index] === entry);
}

/** A nested `Y.Map` for one item (see `documentEntries`). */
export function itemMap(fields: object): Y.Map<unknown> {
	const map = new Y.Map<unknown>();
	for (const [key, value] of documentEntries(fields)) map.set(key, documentValue(value));
	return map;
}

/** Reads one collection's items, by id, with the fields of each that could not be read. */
export function readCollection<C extends Collection>(doc: Y.Doc, collection: C): ReadItem<C>[] {
	const items: ReadItem<C>[] = [];
	for (const [id, map] of collectionMap(doc, collection)) {
		const read = readItem(collection, id, map);
		if (read) items.push(read);
	}
	return items.sort((a, b) => compareIds(a.item.id, b.item.id));
}

/** The board's title. */
export function readTitle(doc: Y.Doc): string {
	const title = doc.getMap(BOARD_MAP).get('title');
	return typeof title === 'string' ? title : '';
}

export type JourneyItems = { [C in Collection]: readonly ItemOf<C>[] };

/**
 * A journey from its items: stages, lanes and segments by order, touchpoints in journey order, links and
 * evidence by id. Every touchpoint is kept: one whose stage or lane is gone (deleted while someone
 * added a card to it) is unplaced (`placement`), with its links and evidence. `invalid` names the
 * touchpoint fields that could not be read (see `withInvalidFields`).
 */
export function assembleJourney(title: string, items: JourneyItems, invalid: ReadonlyMap<string, readonly string[]> = new Map()): Journey {
	const stages = byOrder(items.stages);
	const segments = byOrder(items.segments);
	const segmentIds = new Set(segments.map((segment) => segment.id));
	const touchpoints = journeyOrder(stages, items.touchpoints).map((touchpoint) => withKnownSegments(touchpoint, segmentIds));
	const touchpointIds = new Set(touchpoints.map((touchpoint) => touchpoint.id));
	const byId = <T extends { id: string }>(list: readonly T[]) => [...list].sort((a, b) => compareIds(a.id, b.id));
	const actions = byId(items.actions).map((action) => withKnownTouchpoints(action, touchpointIds));
	const journey: Journey = {
		format: JOURNEY_FORMAT,
		title,
		stages,
		lanes: byOrder(items.lanes),
		touchpoints,
		links: byId(items.links).filter((link) => touchpointIds.has(link.source) && touchpointIds.has(link.target)),
		evidence: byId(items.evidence).filter((item) => touchpointIds.has(item.touchpointId)),
		segments,
		actions
	};
	return withInvalidFields(journey, invalid);
}

/** The whole document as journey JSON; never throws, whatever the document holds. */
export function readJourney(doc: Y.Doc): Journey {
	const touchpoints = readCollection(doc, 'touchpoints');
	const invalid = new Map<string, readonly string[]>();
	for (const { item, invalidFields } of touchpoints) if (invalidFields.length > 0) invalid.set(item.id, invalidFields);
	const items = <C extends Collection>(collection: C) => readCollection(doc, collection).map((read) => read.item);
	return assembleJourney(
		readTitle(doc),
		{
			stages: items('stages'),
			lanes: items('lanes'),
			touchpoints: touchpoints.map((read) => read.item),
			links: items('links'),
			evidence: items('evidence'),
			segments: items('segments'),
			actions: items('actions')
		},
		invalid
	);
}

/** Replaces the document's content with the journey, in one transaction. */
export function writeJourney(doc: Y.Doc, journey: Journey, origin: unknown = null): void {
	doc.transact(() => {
		doc.getMap(BOARD_MAP).set('title', journey.title);
		for (const collection of COLLECTIONS) {
			const map = collectionMap(doc, collection);
			map.clear();
			for (const item of journey[collection] ?? []) map.set(item.id, itemMap(item));
		}
	}, origin);
}

/**
 * Makes the document hold the journey by changing only what differs, in one transaction: items
 * missing from the journey are deleted, new ones added, changed fields set. Used to restore a
 * version as a new edit that every client, online or not, merges without duplicates.
 */
export function applyJourney(doc: Y.Doc, journey: Journey, origin: unknown = null): void {
	doc.transact(() => {
		const board = doc.getMap(BOARD_MAP);
		if (board.get('title') !== journey.title) board.set('title', journey.title);
		for (const collection of COLLECTIONS) {
			const map = collectionMap(doc, collection);
			const wanted = new Map<string, object>((journey[collection] ?? []).map((item) => [item.id, item]));
			for (const id of [...map.keys()]) if (!wanted.has(id)) map.delete(id);
			for (const [id, item] of wanted) {
				const existing = map.get(id);
				if (!(existing instanceof Y.Map)) {
					map.set(id, itemMap(item));
					continue;
				}
				const fields = documentEntries(item);
				const keep = new Set(fields.map(([key]) => key));
				for (const key of [...existing.keys()]) if (!keep.has(key)) existing.delete(key);
				for (const [key, value] of fields) if (!holds(existing.get(key), value)) existing.set(key, documentValue(value));
			}
		}
	}, origin);
}

/** A new document holding the journey. */
export function journeyToDoc(journey: Journey): Y.Doc {
	const doc = new Y.Doc();
	writeJourney(doc, journey);
	return doc;
}

/** Adds or replaces one item. */
export function putItem<C extends Collection>(doc: Y.Doc, collection: C, item: ItemOf<C>): void {
	collectionMap(doc, collection).set(item.id, itemMap(item));
}

/**
 * Sets fields of one item in place, so concurrent edits of other fields merge;
 * `undefined` removes a field. Returns false when the item does not exist.
 */
export function patchItem<C extends Collection>(doc: Y.Doc, collection: C, id: string, patch: Partial<ItemOf<C>>): boolean {
	const map = collectionMap(doc, collection).get(id);
	if (!(map instanceof Y.Map)) return false;
	doc.transact(() => {
		for (const [key, value] of Object.entries(patch)) {
			if (key === 'id') continue;
			if (value === undefined || value === null) map.delete(key);
			else if (!holds(map.get(key), value)) map.set(key, documentValue(value));
		}
	});
	return true;
}

/** Deletes a touchpoint with its links and evidence, in one transaction. */
export function deleteTouchpoint(doc: Y.Doc, id: string): void {
	doc.transact(() => {
		collectionMap(doc, 'touchpoints').delete(id);
		const links = collectionMap(doc, 'links');
		for (const [linkId, link] of links) {
			if (link.get('source') === id || link.get('target') === id) links.delete(linkId);
		}
		const evidence = collectionMap(doc, 'evidence');
		for (const [evidenceId, item] of evidence) {
			if (item.get('touchpointId') === id) evidence.delete(evidenceId);
		}
	});
}

/**
 * Sets (or, with undefined, removes so it inherits again) one segment's own value of a touchpoint
 * field, under `<field>@<segmentId>` on the touchpoint's map: edits of other segments merge.
 * Returns false when the touchpoint does not exist.
 */
export function setSegmentValue(
	doc: Y.Doc,
	touchpointId: string,
	segmentId: string,
	field: SegmentField,
	value: number | undefined
): boolean {
	const map = collectionMap(doc, 'touchpoints').get(touchpointId);
	if (!(map instanceof Y.Map)) return false;
	const key = segmentKey(field, segmentId);
	if (value === undefined) map.delete(key);
	else if (map.get(key) !== value) map.set(key, value);
	return true;
}

/** Deletes a segment with every value stored for it on the touchpoints, in one transaction. */
export function deleteSegment(doc: Y.Doc, segmentId: string): void {
	doc.transact(() => {
		collectionMap(doc, 'segments').delete(segmentId);
		const suffix = `@${segmentId}`;
		for (const touchpoint of collectionMap(doc, 'touchpoints').values()) {
			if (!(touchpoint instanceof Y.Map)) continue;
			for (const key of [...touchpoint.keys()])
				if (key.endsWith(suffix) && key.indexOf('@') === key.length - suffix.length) touchpoint.delete(key);
		}
	});
}
