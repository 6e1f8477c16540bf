import { actionsOf, isFinishedAction } from '../journey/actions';
import { checkFinishedActions, type FinishedActionCheck, type SavedVersion } from '../journey/action-outcomes';
import type { Journey } from '../journey/schema';
import type { Db } from './db';
import { versionReads } from './reads/board-reads';
import { listVersions } from './versions';

/** How many saved versions, newest first, a done action is weighed against at most. */
export const VERSIONS_CHECKED = 20;

const decoder = new TextDecoder();

/**
 * Whether each done or verified action of the board worked (`checkFinishedActions`), against the
 * board's saved versions newest first. Versions are read from the kept reads (derived off the event
 * loop) one at a time, only as far back as needed to find every action's baseline.
 */
export async function finishedActionChecks(db: Db, boardId: string, journey: Journey): Promise<FinishedActionCheck[]> {
	const finished = actionsOf(journey).filter(isFinishedAction);
	if (finished.length === 0) return [];
	const saved: SavedVersion[] = [];
	for (const version of (await listVersions(db, boardId)).slice(0, VERSIONS_CHECKED)) {
		const reads = await versionReads(db, boardId, version.id);
		if (!reads) continue;
		const then = JSON.parse(decoder.decode((await reads.journey()).json)) as Journey;
		saved.push({ name: version.name, createdAt: version.createdAt, journey: then });
		// Older versions are not needed once every action has one from before it was done.
		if (finished.every((action) => saved.some((kept) => !isDone(kept, action.id)))) break;
	}
	return checkFinishedActions(journey, saved);
}

function isDone(version: SavedVersion, actionId: string): boolean {
	const action = actionsOf(version.journey).find((candidate) => candidate.id === actionId);
	return action !== undefined && isFinishedAction(action);
}
