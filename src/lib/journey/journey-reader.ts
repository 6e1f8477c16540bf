import type * as Y from 'yjs';
import { BOARD_MAP, collectionMap, readTitle } from './document';
import { withInvalidFields } from './invalid-fields';
import { readItem } from './item-reader';
import { withKnownSegments } from './segments';
import { withKnownTouchpoints } from './actions';
import { compareIds } from './order';
import { COLLECTIONS, JOURNEY_FORMAT, type Collection, type Journey, type Touchpoint } from './schema';

type ItemOf<C extends Collection> = NonNullable<Journey[C]>[number];

/**
 * Reads a live document's journey incrementally: only items touched since the last read are
 * parsed again, unchanged items keep their object identity, and a collection nothing touched keeps
 * its array, so views can skip them. The result equals `readJourney` (see `assembleJourney`).
 */
export class JourneyReader {
	readonly #items = new Map<Collection, Map<string, unknown>>();
	readonly #dirty = new Map<Collection, Set<string> | 'all'>();
	#titleDirty = true;
	readonly #unobserve: (() => void)[] = [];
	/** Every id seen, in `compareIds` order, and each one's position in it: sorting by a number is far cheaper than collating. */
	#sortedIds: string[] = [];
	readonly #idRank = new Map<string, number>();
	#last: Journey | null = null;
	/** Touchpoint id → the fields of it that could not be read, for touchpoints with any. */
	readonly #invalid = new Map<string, readonly string[]>();

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
		if (this.#titleDirty) return true;
		for (const dirty of this.#dirty.values()) if (dirty === 'all' || dirty.size > 0) return true;
		return false;
	}

	read(): Journey {
		const changed = new Set<Collection>();
		/** Whether a touchpoint came or went: links and evidence depend on which there are, not on where. */
		let touchpointsCame = !this.#last;
		for (const collection of COLLECTIONS) {
			const dirty = this.#dirty.get(collection)!;
			const items = this.#items.get(collection)!;
			const source = collectionMap(this.doc, collection);
			const ids = dirty === 'all' ? new Set([...items.keys(), ...source.keys()]) : dirty;
			for (const id of ids) {
				const read = source.has(id) ? readItem(collection, id, source.get(id)) : null;
				if (collection === 'touchpoints' && items.has(id) !== (read !== null)) touchpointsCame = true;
				if (read) items.set(id, read.item);
				else items.delete(id);
				if (collection !== 'touchpoints') continue;
				if (read && read.invalidFields.length > 0) this.#invalid.set(id, read.invalidFields);
				else this.#invalid.delete(id);
			}
			if (ids.size > 0) changed.add(collection);
			this.#dirty.set(collection, new Set());
		}
		const titleChanged = this.#titleDirty;
		this.#titleDirty = false;
		const last = this.#last;
		if (last && changed.size === 0 && !titleChanged) return last;
		this.#rankNewIds();

		const rank = (id: string) => this.#idRank.get(id)!;
		const byOrder = <T extends { id: string; order: number }>(list: Iterable<T>) =>
			[...list].sort((a, b) => a.order - b.order || rank(a.id) - rank(b.id));
		const byId = <T extends { id: string }>(list: Iterable<T>) => [...list].sort((a, b) => rank(a.id) - rank(b.id));
		const values = <C extends Collection>(collection: C) => this.#items.get(collection)!.values() as Iterable<ItemOf<C>>;

		const stages = last && !changed.has('stages') ? last.stages : byOrder(values('stages'));
		const lanes = last && !changed.has('lanes') ? last.lanes : byOrder(values('lanes'));
		let touchpoints = last?.touchpoints ?? [];
		if (!last || changed.has('touchpoints') || stages !== last.stages) {
			// Journey order (see `journeyOrder`): stage position, then x, then id; cards of an unknown stage last.
			const stageRank = new Map(stages.map((stage, index) => [stage.id, index]));
			const stageOf = (touchpoint: Touchpoint) => stageRank.get(touchpoint.stageId) ?? stages.length;
			touchpoints = [...values('touchpoints')].sort((a, b) => stageOf(a) - stageOf(b) || a.x - b.x || rank(a.id) - rank(b.id));
		}
		const segments = last && !changed.has('segments') ? last.segments : byOrder(values('segments'));
		if (touchpoints !== last?.touchpoints || segments !== last.segments) {
			// Values of a segment deleted meanwhile are left out, as `assembleJourney` does.
			const segmentIds = new Set(segments.map((segment) => segment.id));
			const known = touchpoints.map((touchpoint) => withKnownSegments(touchpoint, segmentIds));
			if (known.some((touchpoint, index) => touchpoint !== touchpoints[index])) touchpoints = known;
		}
		let links = last?.links ?? [];
		let evidence = last?.evidence ?? [];
		if (touchpointsCame || changed.has('links') || changed.has('evidence')) {
			const touchpointIds = this.#items.get('touchpoints')!;
			if (touchpointsCame || changed.has('links')) {
				links = byId(values('links')).filter((link) => touchpointIds.has(link.source) && touchpointIds.has(link.target));
			}
			if (touchpointsCame || changed.has('evidence')) {
				evidence = byId(values('evidence')).filter((item) => touchpointIds.has(item.touchpointId));
			}
		}
		let actions = last?.actions ?? [];
		if (touchpointsCame || changed.has('actions')) {
			// Ids of cards deleted meanwhile, or linked twice at once, are left out, as `assembleJourney` does.
			const touchpointIds = this.#items.get('touchpoints')!;
			actions = byId(values('actions')).map((action) => withKnownTouchpoints(action, touchpointIds));
		}
		const journey: Journey = {
			format: JOURNEY_FORMAT,
			title: titleChanged || !last ? readTitle(this.doc) : last.title,
			stages,
			lanes,
			touchpoints,
			links,
			evidence,
			segments,
			actions
		};
		this.#last = withInvalidFields(journey, this.#invalid);
		return this.#last;
	}

	destroy(): void {
		for (const unobserve of this.#unobserve) unobserve();
	}

	/** Gives ids read for the first time their place in `compareIds` order. */
	#rankNewIds(): void {
		const fresh: string[] = [];
		for (const items of this.#items.values()) for (const id of items.keys()) if (!this.#idRank.has(id)) fresh.push(id);
		if (fresh.length === 0) return;
		// Ids of deleted items stay ranked: harmless, and they come back on undo.
		this.#sortedIds = [...this.#sortedIds, ...fresh].sort(compareIds);
		this.#sortedIds.forEach((id, index) => this.#idRank.set(id, index));
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
