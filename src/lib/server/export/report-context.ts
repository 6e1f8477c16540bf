import { desc, eq } from 'drizzle-orm';
import type { ReportContext } from '../../journey/export/report';
import { lastVoteRound } from '../../journey/workshop-rounds';
import type { Db } from '../db';
import { versions } from '../db/schema';
import { listRounds } from '../workshop-rounds';

/** Reports name the minute they were made: a PDF asked again within it is the one already made. */
const MADE_AT_RESOLUTION_MS = 60_000;

/** When a report of the board is made, its latest saved version and its last closed dot vote. */
export function reportContext(db: Db, boardId: string, now = Date.now()): ReportContext {
	const version = db
		.select({ name: versions.name, createdAt: versions.createdAt })
		.from(versions)
		.where(eq(versions.boardId, boardId))
		.orderBy(desc(versions.createdAt))
		.limit(1)
		.get();
	const vote = lastVoteRound(listRounds(db, boardId));
	return {
		madeAt: new Date(Math.floor(now / MADE_AT_RESOLUTION_MS) * MADE_AT_RESOLUTION_MS).toISOString(),
		latestVersion: version ? { name: version.name, savedAt: new Date(version.createdAt).toISOString() } : null,
		lastVote: vote?.results ? { startedAt: vote.startedAt, endedAt: vote.endedAt, results: vote.results } : null
	};
}
