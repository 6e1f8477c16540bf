import { desc, eq } from 'drizzle-orm';
import type { ReportContext, ReportRatingRound } from '../../journey/export/report';
import { lastVoteRound } from '../../journey/workshop-rounds';
import { isFinishedAction } from '../../journey/actions';
import type { Journey } from '../../journey/schema';
import { finishedActionChecks } from '../action-checks';
import type { Db } from '../db';
import type { JourneyRead } from '../reads/derive';
import { tables } from '../db/tables';
import { listRounds } from '../workshop-rounds';

/** Revealed rating rounds a report lists, newest first. */
export const REPORT_RATING_ROUNDS = 10;
/** Reports name the minute they were made: a PDF asked again within it is the one already made. */
const MADE_AT_RESOLUTION_MS = 60_000;

/** When a report of the board is made, its latest saved version, its last closed dot vote and its revealed rating rounds. */
export async function reportContext(db: Db, boardId: string, now = Date.now()): Promise<ReportContext> {
	const { versions } = tables(db);
	const [version] = await db
		.select({ name: versions.name, createdAt: versions.createdAt })
		.from(versions)
		.where(eq(versions.boardId, boardId))
		.orderBy(desc(versions.createdAt))
		.limit(1);
	const rounds = await listRounds(db, boardId);
	const vote = lastVoteRound(rounds);
	const ratingRounds: ReportRatingRound[] = [];
	for (const round of rounds) {
		if (round.kind !== 'rating' || !round.results || ratingRounds.length >= REPORT_RATING_ROUNDS) continue;
		const { title, segmentName, startedAt, results, adopted } = round;
		ratingRounds.push({ title, segmentName, startedAt, results, adopted });
	}
	return {
		madeAt: new Date(Math.floor(now / MADE_AT_RESOLUTION_MS) * MADE_AT_RESOLUTION_MS).toISOString(),
		latestVersion: version ? { name: version.name, savedAt: new Date(version.createdAt).toISOString() } : null,
		lastVote: vote?.results ? { startedAt: vote.startedAt, endedAt: vote.endedAt, results: vote.results } : null,
		ratingRounds
	};
}

const decoder = new TextDecoder();

/** The PDF's report context: `reportContext` with whether each done action worked, as the summary page says it. */
export async function pdfReportContext(db: Db, boardId: string, read: JourneyRead): Promise<ReportContext> {
	const context = await reportContext(db, boardId);
	// The journey is parsed here only when there is a done action to weigh against the saved versions.
	if (!read.actions.some(isFinishedAction)) return context;
	const journey = JSON.parse(decoder.decode(read.json)) as Journey;
	return { ...context, actionChecks: await finishedActionChecks(db, boardId, journey) };
}
