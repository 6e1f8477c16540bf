import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeCaret, encodeCaret, isEncodedPosition } from './text-carets';

function textIn(doc: Y.Doc, value: string): Y.Text {
	const card = new Y.Map<unknown>();
	doc.getMap('touchpoints').set('tp-1', card);
	const text = new Y.Text(value);
	card.set('titleText', text);
	return text;
}

describe('text carets', () => {
	it('keeps a caret at its character while another person types before it', () => {
		const mine = new Y.Doc();
		const text = textIn(mine, 'Greeting');
		const theirs = new Y.Doc();
		Y.applyUpdate(theirs, Y.encodeStateAsUpdate(mine));
		const caret = encodeCaret(text, 3, 8);
		text.insert(0, 'Warm ');
		Y.applyUpdate(theirs, Y.encodeStateAsUpdate(mine));
		const received = theirs.getMap<Y.Map<unknown>>('touchpoints').get('tp-1')!.get('titleText') as Y.Text;
		expect(decodeCaret(received, caret)).toEqual({ anchor: 8, head: 13 });
	});

	it('shows no caret for a position in another text or a malformed one', () => {
		const doc = new Y.Doc();
		const first = textIn(doc, 'Greeting');
		const caret = encodeCaret(first, 2, 2);
		const second = textIn(doc, 'Greeting');
		expect(decodeCaret(second, caret)).toBeNull();
		expect(decodeCaret(second, { anchor: 'AAAA', head: 'AAAA' })).toBeNull();
		expect(decodeCaret(second, { anchor: '!!', head: '!!' })).toBeNull();
	});

	it('accepts only short base64 strings from presence', () => {
		const doc = new Y.Doc();
		const { anchor } = encodeCaret(textIn(doc, 'Greeting'), 4, 4);
		expect(isEncodedPosition(anchor)).toBe(true);
		expect(isEncodedPosition('x'.repeat(100))).toBe(false);
		expect(isEncodedPosition({ client: 1 })).toBe(false);
		expect(isEncodedPosition('a b')).toBe(false);
	});
});
