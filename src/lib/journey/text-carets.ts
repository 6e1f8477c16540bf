/**
 * Carets in a collaborative text (docs/api.md, "Presence state"): a person's caret and selection
 * travel in their presence state as Yjs relative positions, so each stays at the same character
 * while others type, and every receiver turns them back into an index in its own copy of the text.
 */
import * as Y from 'yjs';

/** A caret and its selection end as sent in presence: encoded relative positions, base64. */
export interface EncodedCaret {
	anchor: string;
	head: string;
}

/** Longest encoded position taken from someone's presence (a real one is under 40 characters). */
export const MAX_ENCODED_POSITION = 64;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function encode(text: Y.Text, index: number): string {
	const bytes = Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, index));
	return btoa(String.fromCharCode(...bytes));
}

/** The caret (`anchor`, where the selection started, and `head`, where it ends) of `text`. */
export function encodeCaret(text: Y.Text, anchor: number, head: number): EncodedCaret {
	return { anchor: encode(text, anchor), head: encode(text, head) };
}

/** Whether a value from someone's presence is an encoded position worth decoding. */
export function isEncodedPosition(value: unknown): value is string {
	return typeof value === 'string' && value.length > 0 && value.length <= MAX_ENCODED_POSITION && BASE64.test(value);
}

function decode(text: Y.Text, encoded: string): number | null {
	try {
		const bytes = Uint8Array.from(atob(encoded), (char) => char.charCodeAt(0));
		const position = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(bytes), text.doc as Y.Doc);
		// A position in another text (the card was imported anew) or not yet synced here is not shown.
		return position && position.type === text ? Math.min(position.index, text.length) : null;
	} catch {
		return null;
	}
}

/** A caret's indexes in `text`, or null when either position is not in it. */
export function decodeCaret(text: Y.Text, caret: EncodedCaret): { anchor: number; head: number } | null {
	if (!text.doc) return null;
	const anchor = decode(text, caret.anchor);
	const head = decode(text, caret.head);
	return anchor === null || head === null ? null : { anchor, head };
}
