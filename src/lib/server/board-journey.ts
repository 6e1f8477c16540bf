import { readJourney } from '../journey/document';
import type { Journey } from '../journey/schema';
import type { Db } from './db';
import { loadDoc } from './doc-store';

/**
 * A board's current journey, read from the store. Every update is logged before it is relayed,
 * so the store is never behind what a live room has shown anyone.
 */
export function readBoardJourney(db: Db, boardId: string): Journey {
	const { doc } = loadDoc(db, boardId);
	try {
		return readJourney(doc);
	} finally {
		doc.destroy();
	}
}

/** Whether the board has a touchpoint with this id now. */
export function hasTouchpoint(db: Db, boardId: string, touchpointId: string): boolean {
	return readBoardJourney(db, boardId).touchpoints.some((touchpoint) => touchpoint.id === touchpointId);
}
