/** Two people typing in one card's title while offline, shared by the sync and cluster suites. */
import { expect } from 'vitest';
import type * as Y from 'yjs';
import { collectionMap, putItem } from '../../src/lib/journey/document';
import { collaborativeText, typeText } from '../../src/lib/journey/text-fields';
import { touchpoint, waitFor, type Client } from './helpers';

export const card = (doc: Y.Doc, id: string) => collectionMap(doc, 'touchpoints').get(id)!;
export const textOf = (doc: Y.Doc, id: string) => collaborativeText(card(doc, id), 'title')?.toString() ?? null;

/** Types `words` one character at a time at the end of the card's title, as the inspector does. */
export function typeAtEnd(doc: Y.Doc, id: string, words: string): void {
	for (const char of words) typeText(card(doc, id), 'title', (textOf(doc, id) ?? String(card(doc, id).get('title'))) + char);
}

/**
 * Alice makes card `tp-1` titled "Card" with a collaborative title; both go offline, each types at
 * its end, both reconnect. Resolves with the merged title both hold (either order of the two runs).
 */
export async function typeOfflineAtOnce(alice: Client, bob: Client): Promise<string> {
	putItem(alice.doc, 'touchpoints', touchpoint('tp-1', { title: 'Card' }));
	typeText(card(alice.doc, 'tp-1'), 'title', 'Card');
	await waitFor(() => textOf(bob.doc, 'tp-1') === 'Card', 'Bob to have the collaborative title');

	bob.provider.disconnect();
	alice.provider.disconnect();
	typeAtEnd(alice.doc, 'tp-1', ' Alice typed');
	typeAtEnd(bob.doc, 'tp-1', ' Bob typed');
	alice.provider.connect();
	bob.provider.connect();

	const merged = await waitFor(() => {
		const text = textOf(alice.doc, 'tp-1');
		return text === textOf(bob.doc, 'tp-1') && text?.length === 'Card Alice typed Bob typed'.length ? text : null;
	}, 'both to hold the merged title');
	expect(['Card Alice typed Bob typed', 'Card Bob typed Alice typed']).toContain(merged);
	return merged;
}
