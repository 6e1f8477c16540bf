import * as Y from 'yjs';
import { applyJourney, readJourney } from '../../journey/document';
import { docOf } from '../doc-store';

/** A board state as a version keeps it: Yjs v2 bytes and the number of touchpoints it holds. */
export interface VersionState {
	state: Uint8Array;
	touchpoints: number;
}

/** The version of a board's stored updates (its snapshot, then its log). */
export function versionState(updates: readonly Uint8Array[]): VersionState {
	const doc = storedDoc(updates);
	try {
		return { state: Y.encodeStateAsUpdateV2(doc), touchpoints: readJourney(doc).touchpoints.length };
	} finally {
		doc.destroy();
	}
}

/**
 * The edit that turns a board's stored state into a saved version's journey (a Yjs v1 update):
 * only what differs changes, so every client, an offline one too, converges to it without
 * duplicates. Applied to the live document it restores the version.
 */
export function restoringEdit(updates: readonly Uint8Array[], version: Uint8Array): Uint8Array {
	const saved = new Y.Doc();
	const current = storedDoc(updates);
	try {
		Y.applyUpdateV2(saved, version);
		const before = Y.encodeStateVector(current);
		applyJourney(current, readJourney(saved));
		return Y.encodeStateAsUpdate(current, before);
	} finally {
		saved.destroy();
		current.destroy();
	}
}

function storedDoc(updates: readonly Uint8Array[]): Y.Doc {
	const [snapshot = null, ...log] = updates;
	return docOf(snapshot, log);
}
