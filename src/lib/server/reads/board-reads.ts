import { createHash } from 'node:crypto';
import type { Locale } from '../../i18n';
import type { ReportContext } from '../../journey/export/report';
import { readConfig } from '../config';
import type { Db } from '../db';
import { storedStateKey, storedUpdates } from '../doc-store';
import type { JourneyRead } from './derive';
import { ReadCache } from './read-cache';
import { readRunner } from './read-runner';

const cache = new ReadCache(readConfig().readCacheBytes);

/** A short key naming a report context. */
const contextKey = (context: ReportContext) => createHash('sha256').update(JSON.stringify(context)).digest('base64url').slice(0, 22);

/** What can be read of one board, all of it for the stored state the board had when asked. */
export interface BoardReads {
	/** The journey (its JSON, title and card count). */
	journey(): Promise<JourneyRead>;
	/** The analysis as JSON in UTF-8. */
	analysis(): Promise<Uint8Array>;
	/** The board as an export format (`json`, `csv`, `md`, `svg`, `png`, `pdf`) in a language, as bytes; `context` for the PDF's report lines. */
	export(format: string, locale: Locale, context?: ReportContext): Promise<Uint8Array>;
}

/**
 * The board's reads, each derived once per stored state, off the event loop, and kept until the
 * state changes. The state is named by its stored key (every logged update and every compaction
 * changes it, also while the room sleeps), so a kept value is never older than the request.
 */
export function boardReads(db: Db, boardId: string): BoardReads {
	const stateKey = storedStateKey(db, boardId);
	const run = readRunner();
	const journey = () =>
		cache.get(
			boardId,
			stateKey,
			'journey',
			async () => (await run.run({ kind: 'journey', updates: storedUpdates(db, boardId) })) as JourneyRead
		);
	return {
		journey,
		analysis: () =>
			cache.get(
				boardId,
				stateKey,
				'analysis',
				async () => (await run.run({ kind: 'analysis', journey: (await journey()).json })) as Uint8Array
			),
		export: (format, locale, context) =>
			cache.get(
				boardId,
				stateKey,
				// The same state with another made-at minute, version or vote is another report.
				`export:${format}:${locale}${context ? `:${contextKey(context)}` : ''}`,
				async () => (await run.run({ kind: 'export', format, journey: (await journey()).json, locale, context })) as Uint8Array
			)
	};
}
