import type * as Y from 'yjs';
import { assembleJourney, BOARD_MAP, collectionMap, readItem, readTitle, type JourneyItems } from './document';
import { COLLECTIONS, type Collection, type Journey } from './schema';

/**
 * Reads a live document's journey incrementally: only items touched since the last read are
 * parsed again, and unchanged items keep their object identity, so views can skip them.
 */
export class JourneyReader {
	readonly #items = new Map<Collection, Map<string, unknown>>();
	readonly #dirty = new Map<Collection, Set<string> | 'all'>();
	#titleDirty = true;
	readonly #unobserve: (() => void)[] = [];

	constructor(private readonly doc: Y.Doc) {
		for (const collection of COLLECTIONS) {
			this.#items.set(collection, new Map());
			this.#dirty.set(collection, 'all');
			const map = collectionMap(doc, collection) as Y.Map<unknown>;
			const observer = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => this.#invalidate(collection, map, events);
			map.observeDeep(observer);
			this.#unobserve.push(() => map.unobserveDeep(observer));
		}
		const board = doc.getMap(BOARD_MAP);
		const onTitle = () => (this.#titleDirty = true);
		board.observe(onTitle);
		this.#unobserve.push(() => board.unobserve(onTitle));
	}

	/** Whether anything changed since the last read. */
	get stale(): boolean {
		return this.#titleDirty || [...this.#dirty.values()].some((dirty) => dirty === 'all' || dirty.size > 0);
	}

	read(): Journey {
		for (const collection of COLLECTIONS) {
			const dirty = this.#dirty.get(collection)!;
			const items = this.#items.get(collection)!;
			const source = collectionMap(this.doc, collection);
			const ids = dirty === 'all' ? new Set([...items.keys(), ...source.keys()]) : dirty;
			for (const id of ids) {
				const item = source.has(id) ? readItem(collection, id, source.get(id)) : null;
				if (item) items.set(id, item);
				else items.delete(id);
			}
			this.#dirty.set(collection, new Set());
		}
		this.#titleDirty = false;
		const items = Object.fromEntries(COLLECTIONS.map((c) => [c, [...this.#items.get(c)!.values()]]));
		return assembleJourney(readTitle(this.doc), items as unknown as JourneyItems);
	}

	destroy(): void {
		for (const unobserve of this.#unobserve) unobserve();
	}

	#invalidate(collection: Collection, map: Y.Map<unknown>, events: Y.YEvent<Y.AbstractType<unknown>>[]): void {
		const dirty = this.#dirty.get(collection)!;
		if (dirty === 'all') return;
		for (const event of events) {
			if (event.target === map) for (const key of (event as Y.YMapEvent<unknown>).keysChanged) dirty.add(key);
			else if (typeof event.path[0] === 'string') dirty.add(event.path[0]);
			else {
				this.#dirty.set(collection, 'all');
				return;
			}
		}
	}
}
