import type * as Y from 'yjs';
import { collectionMap } from '$lib/journey/document';
import { encodeCaret, type EncodedCaret } from '$lib/journey/text-carets';
import {
	collaborativeText,
	ensureText,
	plainText,
	TEXT_FIELD_LIMITS,
	TEXT_FIELDS,
	typeText,
	type TextField
} from '$lib/journey/text-fields';

/** Origin of creating a field's collaborative text on focus: not an edit of this person's to undo. */
export const TEXT_SETUP_ORIGIN = Symbol('text-setup');

export interface TextBindingOptions {
	doc: Y.Doc;
	touchpointId: string;
	field: TextField;
	/** Whether this person may type (others' edits are shown either way). */
	editable: boolean;
	/**
	 * Told when this person is in the field to type, with their caret once the field has its
	 * collaborative text (again whenever the caret moves), and null when they leave it.
	 */
	onediting?: (editing: { caret?: EncodedCaret } | null) => void;
	/** Told the field's value whenever it changes, by this person's typing or others'. */
	onvalue?: (value: string) => void;
	/** This person's undo and redo (Ctrl/⌘+Z, Ctrl/⌘+Shift+Z, Ctrl+Y in the field). */
	onundo?: () => void;
	onredo?: () => void;
	/** Told whether the last input was refused for taking the field past its limit (`TEXT_FIELD_LIMITS`). */
	onrefused?: (refused: boolean) => void;
}

type Field = HTMLInputElement | HTMLTextAreaElement;

/**
 * Binds an input or textarea to a touchpoint's collaborative text (`text-fields.ts`): each input
 * becomes one splice of the text, and others' edits are shown where they happen, this person's
 * caret moved past what was inserted before it and left in front of what was inserted at it, so
 * two people typing at one spot each keep their run of characters together.
 */
export function bindText(element: Field, initial: TextBindingOptions) {
	let options = initial;
	let touchpoint: Y.Map<unknown> | null = null;
	let typing = false;
	let composing = false;
	/** The text this person created on focus, and the string it started from. */
	let created: { text: Y.Text; base: string } | null = null;

	const shown = () =>
		touchpoint ? (collaborativeText(touchpoint, options.field)?.toString() ?? plainText(touchpoint, options.field)) : '';

	function show(caret: { start: number; end: number } | null): void {
		const value = shown();
		if (element.value === value) return;
		element.value = value;
		options.onvalue?.(value);
		if (caret && document.activeElement === element) element.setSelectionRange(caret.start, caret.end);
	}

	/** Tells where this person's caret is, while they are in the field to type. */
	function publishCaret(): void {
		if (!options.editable || !touchpoint || document.activeElement !== element) return;
		const text = collaborativeText(touchpoint, options.field);
		if (!text) return options.onediting?.({});
		const start = element.selectionStart ?? 0;
		const end = element.selectionEnd ?? start;
		const [anchor, head] = element.selectionDirection === 'backward' ? [end, start] : [start, end];
		options.onediting?.({ caret: encodeCaret(text, anchor, head) });
	}

	/** Where a caret index goes after a text change (`delta`, positions in the text before it). */
	function moved(index: number, delta: Y.YTextEvent['delta']): number {
		let position = 0;
		let shift = 0;
		for (const change of delta) {
			if (position > index) break;
			if (change.retain !== undefined) {
				position += change.retain;
			} else if (typeof change.insert === 'string') {
				// Inserted at the caret: it stays in front, so this person's next key follows their own.
				if (position < index) shift += change.insert.length;
			} else if (change.delete !== undefined) {
				if (position < index) shift -= Math.min(change.delete, index - position);
				position += change.delete;
			}
		}
		return Math.max(0, index + shift);
	}

	const onChange = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
		if (typing || composing || !touchpoint) return;
		const start = element.selectionStart ?? 0;
		const end = element.selectionEnd ?? start;
		const text = collaborativeText(touchpoint, options.field);
		const textEvent = events.find((event) => event.target === text) as Y.YTextEvent | undefined;
		const replaced = events.some(
			(event) => event.target === touchpoint && (event as Y.YMapEvent<unknown>).keysChanged.has(TEXT_FIELDS[options.field])
		);
		if (textEvent && !replaced) {
			show({ start: moved(start, textEvent.delta), end: moved(end, textEvent.delta) });
			return;
		}
		// Two people opened an old card's field at once and the other's new text won: what this
		// person typed into theirs moves over, as long as the other has not typed yet.
		if (
			replaced &&
			text &&
			created &&
			created.text !== text &&
			created.text.toString() !== created.base &&
			text.toString() === created.base
		) {
			const mine = created.text.toString();
			created = null;
			typeText(touchpoint, options.field, mine);
		}
		show({ start, end });
	};

	// An import replaces the card's map under the same id: the field follows the new one.
	const onCards = (event: Y.YMapEvent<Y.Map<unknown>>) => {
		if (event.keysChanged.has(options.touchpointId)) attach();
	};

	function attach(): void {
		touchpoint?.unobserveDeep(onChange);
		touchpoint = collectionMap(options.doc, 'touchpoints').get(options.touchpointId) ?? null;
		touchpoint?.observeDeep(onChange);
		element.value = shown();
		options.onvalue?.(element.value);
	}

	const onFocus = () => {
		if (!options.editable || !touchpoint) return;
		// Created before the first key, so two people who open the same old card share one text.
		if (!collaborativeText(touchpoint, options.field)) {
			const map = touchpoint;
			options.doc.transact(() => {
				created = { text: ensureText(map, options.field), base: plainText(map, options.field) };
			}, TEXT_SETUP_ORIGIN);
		}
		publishCaret();
	};
	const onBlur = () => options.onediting?.(null);
	const onSelectionChange = () => {
		if (!composing) publishCaret();
	};
	/** An input that would take the field past its limit is taken back whole, never cut. */
	function refuseOverLimit(): boolean {
		const over = element.value.length > TEXT_FIELD_LIMITS[options.field];
		options.onrefused?.(over);
		if (!over) return false;
		const previous = shown();
		const caret = Math.max(0, (element.selectionStart ?? element.value.length) - (element.value.length - previous.length));
		element.value = previous;
		options.onvalue?.(previous);
		element.setSelectionRange(caret, caret);
		return true;
	}

	const onInput = () => {
		if (composing || !touchpoint || !options.editable || refuseOverLimit()) return;
		typing = true;
		try {
			typeText(touchpoint, options.field, element.value, element.selectionEnd ?? undefined);
		} finally {
			typing = false;
		}
		options.onvalue?.(element.value);
		publishCaret();
	};
	// The browser's own undo would take back the field's value as this person last saw it, others'
	// typing included: the board's undo takes back only this person's own edits.
	const onKeydown = (event: KeyboardEvent) => {
		if (!(event.ctrlKey || event.metaKey) || composing) return;
		const key = event.key.toLowerCase();
		const redo = (key === 'z' && event.shiftKey) || key === 'y';
		if (key !== 'z' && !redo) return;
		event.preventDefault();
		if (redo) options.onredo?.();
		else options.onundo?.();
	};
	const onCompositionStart = () => (composing = true);
	const onCompositionEnd = () => {
		composing = false;
		onInput();
	};

	element.addEventListener('focus', onFocus);
	element.addEventListener('blur', onBlur);
	element.addEventListener('input', onInput);
	(element as HTMLElement).addEventListener('keydown', onKeydown);
	element.addEventListener('compositionstart', onCompositionStart);
	element.addEventListener('compositionend', onCompositionEnd);
	// Inputs report caret moves on the document (a selection change in a field is not a Selection).
	document.addEventListener('selectionchange', onSelectionChange);
	element.addEventListener('select', onSelectionChange);
	const cards = () => collectionMap(options.doc, 'touchpoints');
	cards().observe(onCards);
	attach();

	return {
		update(next: TextBindingOptions) {
			const rebind = next.touchpointId !== options.touchpointId || next.field !== options.field || next.doc !== options.doc;
			if (next.doc !== options.doc) {
				cards().unobserve(onCards);
				collectionMap(next.doc, 'touchpoints').observe(onCards);
			}
			options = next;
			if (rebind) attach();
		},
		destroy() {
			if (document.activeElement === element) options.onediting?.(null);
			touchpoint?.unobserveDeep(onChange);
			cards().unobserve(onCards);
			element.removeEventListener('focus', onFocus);
			element.removeEventListener('blur', onBlur);
			element.removeEventListener('input', onInput);
			(element as HTMLElement).removeEventListener('keydown', onKeydown);
			element.removeEventListener('compositionstart', onCompositionStart);
			element.removeEventListener('compositionend', onCompositionEnd);
			document.removeEventListener('selectionchange', onSelectionChange);
			element.removeEventListener('select', onSelectionChange);
		}
	};
}
