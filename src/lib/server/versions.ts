import { and, desc, eq, gte } from 'drizzle-orm';
import * as Y from 'yjs';
import { z } from 'zod';
import { readJourney } from '../journey/document';
import { automaticVersionName, beforeRestoreVersionName } from '../journey/version-names';
import { notifyBoard } from './board-notify';
import type { Db } from './db';
import { tables } from './db/tables';
import { storedUpdates } from './doc-store';
import { readRunner } from './reads/read-runner';
import type { VersionState } from './reads/version-states';
import { newId } from './random-ids';
import { refuse, type Refusal } from './service-result';
import { syncHub } from './sync-hub';

export const VERSION_NAME_MAX_LENGTH = 120;
/** One UTC day, the period of automatic versions. */
export const DAY_MS = 24 * 60 * 60 * 1000;

export const versionInput = z.object({
	name: z
		.string({ error: 'name is required' })
		.trim()
		.min(1, 'name must not be empty')
		.max(VERSION_NAME_MAX_LENGTH, `name must be at most ${VERSION_NAME_MAX_LENGTH} characters`)
});

export interface VersionView {
	id: string;
	name: string;
	automatic: boolean;
	createdAt: string;
	author: { id: string; name: string } | null;
	touchpoints: number;
}

/** Saves the board as it is now under a name; the new version's id. */
export async function saveNamedVersion(db: Db, boardId: string, userId: string, name: string): Promise<string> {
	const id = await saveCurrentState(db, boardId, { name, userId });
	await notifyBoard(boardId, { event: 'versions' });
	return id;
}

/**
 * Restores a version as a new edit of the live document: only what differs changes, so every
 * client — including one offline now — converges to it without duplicates. The state before the
 * restore is saved as a version first, so a restore can itself be undone. Both are worked out on
 * a render worker; the event loop only stores the rows and applies the edit.
 */
export async function restoreVersion(db: Db, boardId: string, versionId: string, userId: string): Promise<{ ok: true } | Refusal> {
	const { versions } = tables(db);
	const [version] = await db
		.select({ name: versions.name, state: versions.state })
		.from(versions)
		.where(and(eq(versions.id, versionId), eq(versions.boardId, boardId)))
		.limit(1);
	if (!version) return refuse(404, 'Version not found');
	const updates = await storedUpdates(db, boardId);
	const [before, edit] = await Promise.all([
		readRunner().run({ kind: 'version-state', updates }) as Promise<VersionState>,
		readRunner().run({ kind: 'restore', updates, version: version.state }) as Promise<Uint8Array>
	]);
	await storeVersion(db, boardId, before, { name: beforeRestoreVersionName(version.name), userId });
	await syncHub().editDocument(boardId, (live) => Y.applyUpdate(live, edit));
	await notifyBoard(boardId, { event: 'versions' });
	return { ok: true };
}

/** Saves the board's stored state, which holds the live state: every update is stored before it is relayed. */
async function saveCurrentState(db: Db, boardId: string, input: { name: string; userId: string }): Promise<string> {
	const state = (await readRunner().run({ kind: 'version-state', updates: await storedUpdates(db, boardId) })) as VersionState;
	return storeVersion(db, boardId, state, input);
}

/** Stores a version of the board; its id. */
async function storeVersion(
	db: Db,
	boardId: string,
	version: VersionState,
	input: { name: string; userId: string | null; automatic?: boolean },
	now = Date.now()
): Promise<string> {
	const { versions } = tables(db);
	const id = newId();
	await db.insert(versions).values({
		id,
		boardId,
		name: input.name,
		state: Buffer.from(version.state.buffer, version.state.byteOffset, version.state.byteLength),
		createdBy: input.userId,
		automatic: input.automatic ?? false,
		touchpoints: version.touchpoints,
		createdAt: now
	});
	return id;
}

/** A board's versions, newest first, with their authors; only versions saved without a count are decoded. */
export async function listVersions(db: Db, boardId: string): Promise<VersionView[]> {
	const { users, versions } = tables(db);
	const rows = await db
		.select({
			id: versions.id,
			name: versions.name,
			automatic: versions.automatic,
			createdAt: versions.createdAt,
			createdBy: versions.createdBy,
			touchpoints: versions.touchpoints,
			authorName: users.name
		})
		.from(versions)
		.leftJoin(users, eq(versions.createdBy, users.id))
		.where(eq(versions.boardId, boardId))
		.orderBy(desc(versions.createdAt));
	const views: VersionView[] = [];
	for (const version of rows)
		views.push({
			id: version.id,
			name: version.name,
			automatic: version.automatic,
			createdAt: new Date(version.createdAt).toISOString(),
			author: version.createdBy && version.authorName ? { id: version.createdBy, name: version.authorName } : null,
			touchpoints: version.touchpoints ?? touchpointCount(await stateOf(db, version.id))
		});
	return views;
}

async function stateOf(db: Db, versionId: string): Promise<Uint8Array> {
	const { versions } = tables(db);
	const [version] = await db.select({ state: versions.state }).from(versions).where(eq(versions.id, versionId)).limit(1);
	return version.state;
}

function touchpointCount(state: Uint8Array): number {
	const doc = docOf(state);
	try {
		return readJourney(doc).touchpoints.length;
	} finally {
		doc.destroy();
	}
}

function docOf(state: Uint8Array): Y.Doc {
	const doc = new Y.Doc();
	Y.applyUpdateV2(doc, state);
	return doc;
}

/** Whether the board already has the automatic version of the day (UTC) that holds `now`. */
export async function hasDailyVersion(db: Db, boardId: string, now = Date.now()): Promise<boolean> {
	const { versions } = tables(db);
	const dayStart = now - (now % DAY_MS);
	const [existing] = await db
		.select({ id: versions.id })
		.from(versions)
		.where(and(eq(versions.boardId, boardId), eq(versions.automatic, true), gte(versions.createdAt, dayStart)))
		.limit(1);
	return existing !== undefined;
}

/**
 * Saves the day's automatic version the first time a board is edited on a day (UTC), holding
 * the board as it stood before that day's first edit (`stateBeforeEdit`, a V1 update).
 */
export async function ensureDailyVersion(db: Db, boardId: string, stateBeforeEdit: Uint8Array, now = Date.now()): Promise<boolean> {
	if (await hasDailyVersion(db, boardId, now)) return false;
	const day = new Date(now - (now % DAY_MS)).toISOString().slice(0, 10);
	const version = (await readRunner().run({ kind: 'version-state', updates: [stateBeforeEdit] })) as VersionState;
	if (await hasDailyVersion(db, boardId, now)) return false;
	await storeVersion(db, boardId, version, { name: automaticVersionName(day), userId: null, automatic: true }, now);
	return true;
}
