/**
 * Collaborative text of a touchpoint's title and description (docs/api.md, "Collaborative text").
 *
 * The plain string under `title` (and `description`) stays what every reader reads. Editors type
 * into a `Y.Text` beside it (`titleText`, `descriptionText`), so two people typing at once merge
 * character by character, each person's run kept together, instead of overwriting each other's
 * whole string. Whoever types writes the string in the same transaction; the server keeps the two
 * in step after a merge (the text wins) and after a plain-string write from an integration, an
 * import or a template (the string wins, spliced into the text).
 */
import * as Y from 'yjs';
import { LIMITS } from './schema';

/** The touchpoint fields with a collaborative text, and the key of that text. */
export const TEXT_FIELDS = { title: 'titleText', description: 'descriptionText' } as const;

export type TextField = keyof typeof TEXT_FIELDS;
export type TextKey = (typeof TEXT_FIELDS)[TextField];

/** The most characters each field's string takes (`LIMITS`). */
export const TEXT_FIELD_LIMITS: Readonly<Record<TextField, number>> = { title: LIMITS.title, description: LIMITS.text };

/**
 * The most characters a collaborative text may hold: twice its string's limit, because two people
 * each typing within the limit at once may merge past it (the string is cut at the limit).
 */
export const TEXT_KEY_LIMITS: Readonly<Record<TextKey, number>> = {
	titleText: 2 * LIMITS.title,
	descriptionText: 2 * LIMITS.text
};

const FIELD_OF_KEY = new Map<string, TextField>(Object.entries(TEXT_FIELDS).map(([field, key]) => [key, field as TextField]));

/** The field whose collaborative text is stored under `key`, or null. */
export function textFieldOf(key: string | null): TextField | null {
	return key === null ? null : (FIELD_OF_KEY.get(key) ?? null);
}

/** A touchpoint's plain string of a field ('' when absent or not a string). */
export function plainText(touchpoint: Y.Map<unknown>, field: TextField): string {
	const value = touchpoint.get(field);
	return typeof value === 'string' ? value : '';
}

/** A touchpoint's collaborative text of a field, or null when it has none yet. */
export function collaborativeText(touchpoint: Y.Map<unknown>, field: TextField): Y.Text | null {
	const text = touchpoint.get(TEXT_FIELDS[field]);
	return text instanceof Y.Text ? text : null;
}

/** The string a field shows for a collaborative text: its content, cut at the field's limit. */
export function stringOf(text: Y.Text, field: TextField): string {
	return text.toString().slice(0, TEXT_FIELD_LIMITS[field]);
}

/**
 * Makes `text` read `value` with one splice (the common start and end kept), so what others typed
 * meanwhile around the change is kept. `caret`, where the editor's caret is after the change,
 * places an ambiguous change (a space typed next to a space) where the person typed it, so their
 * next keys follow their own. Call inside a transaction.
 */
export function spliceText(text: Y.Text, value: string, caret?: number): void {
	const current = text.toString();
	if (current === value) return;
	let start = 0;
	const shorter = Math.min(current.length, value.length);
	const startAtMost = caret === undefined ? shorter : Math.max(0, Math.min(shorter, caret - Math.max(0, value.length - current.length)));
	while (start < startAtMost && current.charCodeAt(start) === value.charCodeAt(start)) start++;
	let end = 0;
	while (end < shorter - start && current.charCodeAt(current.length - 1 - end) === value.charCodeAt(value.length - 1 - end)) end++;
	const removed = current.length - start - end;
	if (removed > 0) text.delete(start, removed);
	const inserted = value.slice(start, value.length - end);
	if (inserted) text.insert(start, inserted);
}

/**
 * The touchpoint's collaborative text of a field, created from its string when it has none.
 * Call inside a transaction.
 */
export function ensureText(touchpoint: Y.Map<unknown>, field: TextField): Y.Text {
	const existing = collaborativeText(touchpoint, field);
	if (existing) return existing;
	const text = new Y.Text(plainText(touchpoint, field));
	touchpoint.set(TEXT_FIELDS[field], text);
	return text;
}

/**
 * Sets a field by typing (`caret` as in `spliceText`): the collaborative text takes the change as
 * one splice and the string the result, in one transaction (so undo takes both back together).
 */
export function typeText(touchpoint: Y.Map<unknown>, field: TextField, value: string, caret?: number): void {
	const doc = touchpoint.doc;
	const write = () => {
		const text = ensureText(touchpoint, field);
		spliceText(text, value, caret);
		const next = stringOf(text, field);
		if (touchpoint.get(field) !== next) touchpoint.set(field, next);
	};
	if (doc) doc.transact(write);
	else write();
}

/** What one transaction changed of touchpoints' text fields: per touchpoint, per field, whether its text changed. */
export type TextChanges = Map<Y.Map<unknown>, Map<TextField, { text: boolean; plain: boolean }>>;

/** The text-field changes of a transaction on a journey document (`touchpoints` its top-level map). */
export function textChanges(transaction: Y.Transaction, touchpoints: Y.Map<unknown>): TextChanges {
	const changes: TextChanges = new Map();
	const mark = (touchpoint: Y.Map<unknown>, field: TextField, kind: 'text' | 'plain') => {
		let fields = changes.get(touchpoint);
		if (!fields) changes.set(touchpoint, (fields = new Map()));
		const change = fields.get(field) ?? { text: false, plain: false };
		change[kind] = true;
		fields.set(field, change);
	};
	const isTouchpoint = (type: unknown): type is Y.Map<unknown> =>
		type instanceof Y.Map && type._item !== null && !type._item.deleted && type._item.parent === touchpoints;
	for (const [type, keys] of transaction.changed) {
		if (type instanceof Y.Text) {
			const field = textFieldOf(type._item?.parentSub ?? null);
			const parent = type._item?.parent;
			if (field && !type._item!.deleted && isTouchpoint(parent)) mark(parent, field, 'text');
		} else if (isTouchpoint(type)) {
			for (const key of keys) {
				const field = textFieldOf(key);
				if (field) mark(type, field, 'text');
				else if (key === 'title' || key === 'description') mark(type, key, 'plain');
			}
		}
	}
	return changes;
}

/**
 * Brings each changed field's string and text back in step: where the text changed, the string
 * takes its content (two people's merged typing); where only the string changed (an integration,
 * an import, a template), the text takes the string. Call inside a transaction; returns whether
 * anything was written.
 */
export function settleTextFields(changes: TextChanges): boolean {
	let wrote = false;
	for (const [touchpoint, fields] of changes) {
		if (touchpoint._item?.deleted) continue;
		for (const [field, change] of fields) {
			const text = collaborativeText(touchpoint, field);
			if (!text) continue;
			if (change.text) {
				const next = stringOf(text, field);
				if (plainText(touchpoint, field) !== next) {
					touchpoint.set(field, next);
					wrote = true;
				}
			} else if (text.toString() !== plainText(touchpoint, field)) {
				spliceText(text, plainText(touchpoint, field));
				wrote = true;
			}
		}
	}
	return wrote;
}

/**
 * Brings each changed field's string in step with its text, never the other way: for an update
 * another sync process applied and stored. There the text holds the merge of both sides' typing,
 * while the string may hold one side's version (each process settled only what it had seen), or a
 * stale settle of the other process's; the string takes the text. A plain-string write made
 * through the other process arrives with its own settle of the text, so it is kept. Call inside a
 * transaction; returns whether anything was written (two processes settling the same merge write
 * the same string, and then find nothing to write).
 */
export function settleStringsFromTexts(changes: TextChanges): boolean {
	let wrote = false;
	for (const [touchpoint, fields] of changes) {
		if (touchpoint._item?.deleted) continue;
		for (const field of fields.keys()) {
			const text = collaborativeText(touchpoint, field);
			if (!text) continue;
			const next = stringOf(text, field);
			if (plainText(touchpoint, field) === next) continue;
			touchpoint.set(field, next);
			wrote = true;
		}
	}
	return wrote;
}
