import { readJourney } from '../journey/document';
import type { Journey } from '../journey/schema';
import type { Db } from './db';
import { loadDoc, storedStateKey } from './doc-store';

/**
 * A board's current journey, read from the store. Every update is logged before it is relayed,
 * so the store is never behind what a live room has shown anyone.
 */
export async function readBoardJourney(db: Db, boardId: string): Promise<Journey> {
	const { doc } = await loadDoc(db, boardId);
	try {
		return readJourney(doc);
	} finally {
		doc.destroy();
	}
}

/** Boards whose touchpoint ids are kept, per database; the oldest is forgotten past this. */
const KEPT_BOARDS = 1_000;
const keptIds = new WeakMap<Db, Map<string, { key: string; ids: ReadonlySet<string> }>>();

/**
 * The ids of the board's touchpoints now, kept until its stored state changes: during dot voting
 * every participant's tally asks for them after every dot.
 */
export async function touchpointIds(db: Db, boardId: string): Promise<ReadonlySet<string>> {
	let kept = keptIds.get(db);
	if (!kept) keptIds.set(db, (kept = new Map()));
	const key = await storedStateKey(db, boardId);
	const known = kept.get(boardId);
	if (known?.key === key) return known.ids;
	const ids = new Set((await readBoardJourney(db, boardId)).touchpoints.map((touchpoint) => touchpoint.id));
	kept.delete(boardId);
	kept.set(boardId, { key, ids });
	if (kept.size > KEPT_BOARDS) kept.delete(kept.keys().next().value!);
	return ids;
}

/** Whether the board's stored journey has this stage. */
export async function hasStage(db: Db, boardId: string, stageId: string): Promise<boolean> {
	return (await readBoardJourney(db, boardId)).stages.some((stage) => stage.id === stageId);
}

/** Whether the board has a touchpoint with this id now. */
export async function hasTouchpoint(db: Db, boardId: string, touchpointId: string): Promise<boolean> {
	return (await touchpointIds(db, boardId)).has(touchpointId);
}
