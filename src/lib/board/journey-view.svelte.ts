import type * as Y from 'yjs';
import { JourneyReader } from '$lib/journey/journey-reader';
import { emptyJourney, type Journey } from '$lib/journey/schema';

/** A reactive view of the board's journey, replaced once per document transaction that changed it. */
export class JourneyView {
	journey = $state.raw<Journey>(emptyJourney(''));
	readonly #doc: Y.Doc;
	readonly #reader: JourneyReader;

	constructor(doc: Y.Doc) {
		this.#doc = doc;
		this.#reader = new JourneyReader(doc);
		this.journey = this.#reader.read();
		doc.on('afterTransaction', this.#refresh);
	}

	#refresh = () => {
		if (this.#reader.stale) this.journey = this.#reader.read();
	};

	destroy(): void {
		this.#doc.off('afterTransaction', this.#refresh);
		this.#reader.destroy();
	}
}
