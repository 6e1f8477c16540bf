import * as Y from 'yjs';
import { collectionMap, putItem } from './document';
import { LIMITS, type Action } from './schema';

/** The list of touchpoint ids of an action's map, made (`create`) when a client left it out; null without the action. */
function touchpointList(doc: Y.Doc, actionId: string, create: boolean): Y.Array<string> | null {
	const map = collectionMap(doc, 'actions').get(actionId);
	if (!(map instanceof Y.Map)) return null;
	const list = map.get('touchpointIds');
	if (list instanceof Y.Array) return list as Y.Array<string>;
	if (!create) return null;
	const created = new Y.Array<string>();
	map.set('touchpointIds', created);
	return created;
}

/** Adds an action (its `touchpointIds` as a `Y.Array`). */
export function putAction(doc: Y.Doc, action: Action): void {
	putItem(doc, 'actions', action);
}

/**
 * Links a touchpoint to an action at the end of its list, unless linked already or the list is
 * full. Returns whether the action now links it. Two people linking at once both keep theirs.
 */
export function linkTouchpoint(doc: Y.Doc, actionId: string, touchpointId: string): boolean {
	const list = touchpointList(doc, actionId, true);
	if (!list) return false;
	if (list.toArray().includes(touchpointId)) return true;
	if (list.length >= LIMITS.actionTouchpoints) return false;
	list.push([touchpointId]);
	return true;
}

/** Unlinks a touchpoint from an action: every entry of it (two people may have linked it at once), in one transaction. */
export function unlinkTouchpoint(doc: Y.Doc, actionId: string, touchpointId: string): void {
	const list = touchpointList(doc, actionId, false);
	if (!list) return;
	doc.transact(() => {
		const entries = list.toArray();
		for (let index = entries.length - 1; index >= 0; index--) if (entries[index] === touchpointId) list.delete(index, 1);
	});
}
