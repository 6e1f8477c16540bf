import type * as Y from 'yjs';
import { readJourney } from '$lib/journey/document';
import { emptyJourney, type Journey } from '$lib/journey/schema';

/** A reactive view of the board's journey, replaced once per document transaction. */
export class JourneyView {
	journey = $state.raw<Journey>(emptyJourney(''));
	readonly #doc: Y.Doc;

	constructor(doc: Y.Doc) {
		this.#doc = doc;
		this.journey = readJourney(doc);
		doc.on('update', this.#refresh);
	}

	#refresh = () => {
		this.journey = readJourney(this.#doc);
	};

	destroy(): void {
		this.#doc.off('update', this.#refresh);
	}
}
