import type * as Y from 'yjs';
import { collectionMap, deleteTouchpoint, patchItem, putItem } from '$lib/journey/document';
import { newItemId } from '$lib/journey/ids';
import { byOrder } from '$lib/journey/order';
import type { Journey, Touchpoint, TouchpointKind } from '$lib/journey/schema';

/** Default spot for a new touchpoint when none is given. */
const NEW_TOUCHPOINT_OFFSET = { x: 150, y: 120 };

/** UI intentions turned into document transactions. Every edit goes through here. */
export class BoardActions {
	constructor(private readonly doc: Y.Doc) {}

	/** Adds a touchpoint at a canvas position, in the first stage and lane. Returns its id. */
	addTouchpoint(journey: Journey, title: string, position = NEW_TOUCHPOINT_OFFSET): string | null {
		const stage = byOrder(journey.stages)[0];
		const lane = byOrder(journey.lanes).find((candidate) => candidate.type === 'touchpoints') ?? byOrder(journey.lanes)[0];
		if (!stage || !lane) return null;
		const touchpoint: Touchpoint = {
			id: newItemId('tp'),
			stageId: stage.id,
			laneId: lane.id,
			title,
			description: '',
			kind: 'neutral',
			emotion: undefined,
			expectation: undefined,
			experience: undefined,
			importance: undefined,
			ideal: undefined,
			channel: '',
			owner: '',
			x: Math.round(position.x),
			y: Math.round(position.y)
		};
		putItem(this.doc, 'touchpoints', touchpoint);
		return touchpoint.id;
	}

	moveTouchpoint(id: string, position: { x: number; y: number }): void {
		patchItem(this.doc, 'touchpoints', id, { x: Math.round(position.x), y: Math.round(position.y) });
	}

	updateTouchpoint(id: string, patch: Partial<Touchpoint>): void {
		patchItem(this.doc, 'touchpoints', id, patch);
	}

	setKind(id: string, kind: TouchpointKind): void {
		patchItem(this.doc, 'touchpoints', id, { kind });
	}

	/** Connects two touchpoints unless they already are. */
	connect(source: string, target: string): void {
		if (source === target) return;
		for (const link of collectionMap(this.doc, 'links').values()) {
			if (link.get('source') === source && link.get('target') === target) return;
		}
		const id = newItemId('link');
		putItem(this.doc, 'links', { id, source, target, label: '' });
	}

	/** Deletes touchpoints (with their links and evidence) and links, in one transaction. */
	delete(touchpointIds: readonly string[], linkIds: readonly string[]): void {
		this.doc.transact(() => {
			for (const id of touchpointIds) deleteTouchpoint(this.doc, id);
			const links = collectionMap(this.doc, 'links');
			for (const id of linkIds) links.delete(id);
		});
	}
}
