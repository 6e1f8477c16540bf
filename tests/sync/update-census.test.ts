/**
 * The update census counts what `Y.decodeUpdate` would build, without building it: the same
 * structs and shared types for every kind of content Yjs writes.
 */
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { writeJourney } from '../../src/lib/journey/document';
import { templateJourney } from '../../src/lib/journey/templates';
import { censusOf } from '../../server/update-census';

function decodedCensus(update: Uint8Array): { structs: number; types: number } {
	const { structs } = Y.decodeUpdate(update);
	return { structs: structs.length, types: structs.filter((s) => s instanceof Y.Item && s.content instanceof Y.ContentType).length };
}

describe('censusOf', () => {
	test('counts like Y.decodeUpdate for every kind of content', () => {
		const doc = new Y.Doc();
		writeJourney(doc, templateJourney('bank-branch', 'Census'));
		const map = doc.getMap<unknown>('misc');
		map.set('any', { nested: [1, 2.5, -7, 2 ** 40, true, false, null, 'text', new Uint8Array([1, 2])], big: 12n });
		map.set('binary', new Uint8Array([9, 8, 7]));
		map.set('undefined', undefined);
		const text = new Y.Text();
		map.set('text', text);
		text.insert(0, 'hello world', { bold: true });
		text.insertEmbed(3, { image: 'x' });
		text.delete(1, 2);
		const xml = new Y.XmlElement('p');
		doc.getXmlFragment('xml').insert(0, [xml, new Y.XmlText('plain')]);
		xml.setAttribute('class', 'note');
		doc.getArray<unknown>('list').insert(0, [1, 'two', new Y.Map(), new Y.Array()]);
		doc.getMap('touchpoints').clear();
		const update = Y.encodeStateAsUpdate(doc);
		expect(censusOf(update)).toEqual(decodedCensus(update));
		expect(censusOf(update).types).toBeGreaterThan(5);

		const other = new Y.Doc();
		Y.applyUpdate(other, update);
		const before = Y.encodeStateVector(other);
		other.getMap('board').set('title', 'Edited');
		const edit = Y.encodeStateAsUpdate(other, before);
		expect(censusOf(edit)).toEqual({ structs: 1, types: 0 });
		expect(censusOf(Y.encodeStateAsUpdate(new Y.Doc()))).toEqual({ structs: 0, types: 0 });
	});

	test('throws on a truncated update', () => {
		const doc = new Y.Doc();
		doc.getMap('board').set('title', 'A title long enough to cut');
		const update = Y.encodeStateAsUpdate(doc);
		expect(() => censusOf(update.subarray(0, update.length - 10))).toThrow();
		// One struct of `Y.Map` content claiming 2^40 values of which none follow: refused at the end, not looped over.
		expect(() => censusOf(Uint8Array.from([1, 1, 5, 0, 8 | 0x20, 1, 1, 65, 1, 65, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20]))).toThrow();
	});
});
