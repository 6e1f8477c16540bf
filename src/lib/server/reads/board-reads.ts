import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Locale } from '../../i18n';
import type { ReportContext } from '../../journey/export/report';
import { readConfig } from '../config';
import type { Db } from '../db';
import { tables } from '../db/tables';
import { storedStateKey, storedUpdates } from '../doc-store';
import type { JourneyRead, ReadTask } from './derive';
import { ReadCache } from './read-cache';
import { readRunner } from './read-runner';

const cache = new ReadCache(readConfig().readCacheBytes);

/** A short key naming a report context. */
const contextKey = (context: ReportContext) => createHash('sha256').update(JSON.stringify(context)).digest('base64url').slice(0, 22);

/** What can be read of one board, or of one saved version of it. */
export interface BoardReads {
	/** The journey (its JSON, title and card count). */
	journey(): Promise<JourneyRead>;
	/** The analysis as JSON in UTF-8. */
	analysis(): Promise<Uint8Array>;
	/** The board as an export format (`json`, `csv`, `md`, `svg`, `png`, `pdf`) in a language, as bytes; `context` for the PDF's report lines. */
	export(format: string, locale: Locale, context?: ReportContext): Promise<Uint8Array>;
}

/** A saved version's reads, with its name and time. */
export interface VersionReads extends BoardReads {
	name: string;
	createdAt: string;
}

/**
 * Reads of one journey, kept in the cache under `key` while its state is `stateKey`, each derived
 * once, off the event loop; `journeyTask` is asked for only when the journey is not kept.
 */
function journeyReads(key: string, stateKey: string, journeyTask: () => Promise<ReadTask>): BoardReads {
	const run = readRunner();
	const journey = () => cache.get(key, stateKey, 'journey', async () => (await run.run(await journeyTask())) as JourneyRead);
	return {
		journey,
		analysis: () =>
			cache.get(
				key,
				stateKey,
				'analysis',
				async () => (await run.run({ kind: 'analysis', journey: (await journey()).json })) as Uint8Array
			),
		export: (format, locale, context) =>
			cache.get(
				key,
				stateKey,
				// The same state with another made-at minute, version or vote is another report.
				`export:${format}:${locale}${context ? `:${contextKey(context)}` : ''}`,
				async () => (await run.run({ kind: 'export', format, journey: (await journey()).json, locale, context })) as Uint8Array
			)
	};
}

/**
 * The board's reads, each derived once per stored state, off the event loop, and kept until the
 * state changes. The state is named by its stored key (every logged update and every compaction
 * changes it, also while the room sleeps), so a kept value is never older than the request.
 */
export async function boardReads(db: Db, boardId: string): Promise<BoardReads> {
	return journeyReads(boardId, await storedStateKey(db, boardId), async () => ({
		kind: 'journey',
		updates: await storedUpdates(db, boardId)
	}));
}

/** A saved version's reads (a version never changes, so they are kept until the cache needs room), or null when the board has no such version. */
export async function versionReads(db: Db, boardId: string, versionId: string): Promise<VersionReads | null> {
	const { versions } = tables(db);
	const where = and(eq(versions.id, versionId), eq(versions.boardId, boardId));
	const [row] = await db.select({ name: versions.name, createdAt: versions.createdAt }).from(versions).where(where).limit(1);
	if (!row) return null;
	const state = async () => (await db.select({ state: versions.state }).from(versions).where(where).limit(1))[0].state;
	return {
		name: row.name,
		createdAt: new Date(row.createdAt).toISOString(),
		...journeyReads(`version:${versionId}`, 'saved', async () => ({ kind: 'version', state: await state() }))
	};
}

/**
 * What changed from one journey to another, as the JSON `{comparison}`, derived off the event loop
 * and kept with the board's state (a comparison with the current state changes with it).
 */
export async function comparisonOf(
	db: Db,
	boardId: string,
	names: { from: string; to: string },
	before: BoardReads,
	after: BoardReads
): Promise<Uint8Array> {
	return cache.get(boardId, await storedStateKey(db, boardId), `compare:${names.from}:${names.to}`, async () => {
		const [from, to] = await Promise.all([before.journey(), after.journey()]);
		return (await readRunner().run({ kind: 'compare', before: from.json, after: to.json })) as Uint8Array;
	});
}
