import type * as Y from 'yjs';
import { collectionMap, deleteSegment, patchItem, putItem, setSegmentValue } from '$lib/journey/document';
import { newItemId } from '$lib/journey/item-ids';
import { byOrder } from '$lib/journey/order';
import { SEGMENT_PALETTE } from '$lib/journey/segments';
import { LIMITS, type Journey, type Segment, type SegmentField } from '$lib/journey/schema';

/** Customer segments' intentions turned into document transactions, one per intention (one undo step each). */
export class SegmentActions {
	constructor(private readonly doc: Y.Doc) {}

	/** Adds a segment after the others, in the next colour of the palette; null when the board has as many as it may. */
	add(journey: Journey, name: string): string | null {
		if (journey.segments.length >= LIMITS.segments) return null;
		const segments = byOrder(journey.segments);
		const id = newItemId('seg');
		const color = SEGMENT_PALETTE[journey.segments.length % SEGMENT_PALETTE.length];
		putItem(this.doc, 'segments', { id, name, order: (segments.at(-1)?.order ?? 0) + 1, color });
		return id;
	}

	/** Changes a segment's name, colour or description; an empty description is removed. */
	update(id: string, patch: Partial<Pick<Segment, 'name' | 'color' | 'description'>>): void {
		const fields = { ...patch };
		if (fields.description === '') fields.description = undefined;
		patchItem(this.doc, 'segments', id, fields);
	}

	/** Swaps a segment with its neighbour in segment order. */
	move(journey: Journey, id: string, direction: -1 | 1): void {
		const segments = byOrder(journey.segments);
		const index = segments.findIndex((segment) => segment.id === id);
		const other = segments[index + direction];
		if (index < 0 || !other) return;
		const mine = segments[index];
		// Equal orders (ties broken by id) get distinct ones, so the swap always shows.
		const [mineOrder, otherOrder] = mine.order === other.order ? [other.order + direction, mine.order] : [other.order, mine.order];
		this.doc.transact(() => {
			patchItem(this.doc, 'segments', mine.id, { order: mineOrder });
			patchItem(this.doc, 'segments', other.id, { order: otherOrder });
		});
	}

	/** Deletes a segment and every value stored for it. */
	delete(id: string): void {
		if (collectionMap(this.doc, 'segments').has(id)) deleteSegment(this.doc, id);
	}

	/** Sets one segment's own value of a touchpoint field; undefined makes it inherit the touchpoint's again. */
	setValue(touchpointId: string, segmentId: string, field: SegmentField, value: number | undefined): void {
		setSegmentValue(this.doc, touchpointId, segmentId, field, value);
	}
}
