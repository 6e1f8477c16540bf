import { and, desc, eq, isNull } from 'drizzle-orm';
import type { FacilitationState } from '../collaboration';
import { journeyOrder } from '../journey/order';
import type { Journey } from '../journey/schema';
import { rankVotes, ratingResults, type RatingResults, type VoteResults, type WorkshopRound } from '../journey/workshop-rounds';
import type { Db } from './db';
import { readBoardJourney } from './board-journey';
import type { facilitation } from './db/schema';
import { tables } from './db/tables';
import { newId } from './random-ids';

/** The controls an owner changes that start, end or reveal rounds. */
type FacilitationChange = Partial<
	Pick<
		FacilitationState,
		'votingOpen' | 'votingBudget' | 'ratingTouchpointId' | 'ratingSegmentId' | 'ratingRevealed' | 'resultsShown' | 'ratingNamesShown'
	>
>;

/** Most rounds listed in a board's history; older ones stay stored. */
export const ROUNDS_LISTED = 100;

/** The board's workshop rounds, newest first: votes with their ranked results once closed, ratings with their figures once revealed. */
export async function listRounds(db: Db, boardId: string, limit = ROUNDS_LISTED): Promise<WorkshopRound[]> {
	const { workshopRounds } = tables(db);
	const rows = await db
		.select()
		.from(workshopRounds)
		.where(eq(workshopRounds.boardId, boardId))
		.orderBy(desc(workshopRounds.startedAt), desc(workshopRounds.id))
		.limit(limit);
	return rows.map((row): WorkshopRound => {
		const common = {
			id: row.id,
			startedAt: new Date(row.startedAt).toISOString(),
			endedAt: row.endedAt === null ? null : new Date(row.endedAt).toISOString()
		};
		if (row.kind === 'vote') {
			return { ...common, kind: 'vote', budget: row.budget ?? 0, results: row.results ? (JSON.parse(row.results) as VoteResults) : null };
		}
		return {
			...common,
			kind: 'rating',
			touchpointId: row.touchpointId ?? '',
			title: row.title ?? '',
			segmentId: row.segmentId,
			segmentName: row.segmentName,
			revealed: row.revealed,
			adopted: row.adopted,
			results: row.revealed && row.results ? (JSON.parse(row.results) as RatingResults) : null
		};
	});
}

/** The dots now on the board's touchpoints, ranked, with the titles they have now. */
export async function currentVoteResults(db: Db, boardId: string, journey: Journey): Promise<VoteResults> {
	const { votes } = tables(db);
	const present = new Set(journey.touchpoints.map((touchpoint) => touchpoint.id));
	const totals: Record<string, number> = {};
	const voters = new Set<string>();
	let dots = 0;
	for (const row of await db.select().from(votes).where(eq(votes.boardId, boardId))) {
		if (!present.has(row.touchpointId)) continue;
		totals[row.touchpointId] = (totals[row.touchpointId] ?? 0) + row.dots;
		voters.add(row.userId);
		dots += row.dots;
	}
	const order = journeyOrder(journey.stages, journey.touchpoints);
	const titles = new Map(order.map((touchpoint) => [touchpoint.id, touchpoint.title]));
	return {
		ranking: rankVotes(
			totals,
			order.map((touchpoint) => touchpoint.id),
			titles
		),
		dots,
		voters: voters.size
	};
}

/** Starts a vote round; its id. */
export async function startVoteRound(db: Db, boardId: string, budget: number, now: number): Promise<string> {
	const { workshopRounds } = tables(db);
	const id = newId();
	await db.insert(workshopRounds).values({ id, boardId, kind: 'vote', budget, startedAt: now });
	return id;
}

/** Sets the running vote round's budget. */
export async function setVoteRoundBudget(db: Db, roundId: string, budget: number): Promise<void> {
	const { workshopRounds } = tables(db);
	await db
		.update(workshopRounds)
		.set({ budget })
		.where(and(eq(workshopRounds.id, roundId), isNull(workshopRounds.endedAt)));
}

/** Ends a vote round with its results (a round from before rounds were kept is recorded as it closes). */
export async function finishVoteRound(
	db: Db,
	boardId: string,
	roundId: string | null,
	budget: number,
	results: VoteResults,
	now: number
): Promise<void> {
	const { workshopRounds } = tables(db);
	const id = roundId ?? (await startVoteRound(db, boardId, budget, now));
	await db
		.update(workshopRounds)
		.set({ endedAt: now, results: JSON.stringify(results) })
		.where(eq(workshopRounds.id, id));
}

/** Starts a rating round of a touchpoint (optionally for one customer segment, whose name is kept with it); its id. */
export async function startRatingRound(
	db: Db,
	boardId: string,
	touchpoint: { id: string; title: string },
	now: number,
	segment: { id: string; name: string } | null = null
): Promise<string> {
	const { workshopRounds } = tables(db);
	const id = newId();
	await db.insert(workshopRounds).values({
		id,
		boardId,
		kind: 'rating',
		touchpointId: touchpoint.id,
		title: touchpoint.title,
		segmentId: segment?.id ?? null,
		segmentName: segment?.name ?? null,
		startedAt: now
	});
	return id;
}

/** Keeps the emotion the facilitator adopted from a rating round. */
export async function recordAdoption(db: Db, roundId: string, emotion: number): Promise<void> {
	const { workshopRounds } = tables(db);
	await db.update(workshopRounds).set({ adopted: emotion }).where(eq(workshopRounds.id, roundId));
}

/** Keeps the figures of the ratings given in a round as it is revealed (or hides them again). */
export async function revealRatingRound(db: Db, boardId: string, roundId: string, touchpointId: string, revealed: boolean): Promise<void> {
	const { ratings, workshopRounds } = tables(db);
	const rows = await db
		.select({ emotion: ratings.emotion })
		.from(ratings)
		.where(and(eq(ratings.boardId, boardId), eq(ratings.touchpointId, touchpointId)));
	const results = revealed ? ratingResults(rows.map((row) => row.emotion)) : null;
	await db
		.update(workshopRounds)
		.set({ revealed, results: results ? JSON.stringify(results) : null })
		.where(eq(workshopRounds.id, roundId));
}

/** Ends a rating round (what was revealed stays kept). */
export async function finishRound(db: Db, roundId: string, now: number): Promise<void> {
	const { workshopRounds } = tables(db);
	await db
		.update(workshopRounds)
		.set({ endedAt: now })
		.where(and(eq(workshopRounds.id, roundId), isNull(workshopRounds.endedAt)));
}

/** Clears every vote on the board (a new round). */
async function clearVotes(db: Db, boardId: string): Promise<void> {
	const { votes } = tables(db);
	await db.delete(votes).where(eq(votes.boardId, boardId));
}

/**
 * Starts and ends the kept rounds for a change of the controls; the round ids to store. A new vote
 * clears the last one's dots only after its results are kept; a new vote or rating hides the shown
 * results and names again.
 */
export async function keepRounds(
	db: Db,
	boardId: string,
	before: typeof facilitation.$inferSelect,
	change: FacilitationChange,
	journey: Journey | null,
	now: number
): Promise<Partial<typeof facilitation.$inferInsert>> {
	const patch: Partial<typeof facilitation.$inferInsert> = {};
	const budget = change.votingBudget ?? before.votingBudget;
	if (change.votingOpen === true && !before.votingOpen) {
		await clearVotes(db, boardId);
		patch.voteRoundId = await startVoteRound(db, boardId, budget, now);
		if (change.resultsShown === undefined) patch.resultsShown = false;
	} else if (change.votingOpen === false && before.votingOpen && journey) {
		await finishVoteRound(db, boardId, before.voteRoundId, budget, await currentVoteResults(db, boardId, journey), now);
	} else if (before.votingOpen && before.voteRoundId && change.votingBudget !== undefined) {
		await setVoteRoundBudget(db, before.voteRoundId, change.votingBudget);
	}
	if (change.ratingTouchpointId !== undefined) {
		if (before.ratingRoundId) await finishRound(db, before.ratingRoundId, now);
		patch.ratingRoundId = null;
		const touchpoint = journey?.touchpoints.find((candidate) => candidate.id === change.ratingTouchpointId);
		const segment = journey?.segments.find((candidate) => candidate.id === change.ratingSegmentId) ?? null;
		if (touchpoint) patch.ratingRoundId = await startRatingRound(db, boardId, touchpoint, now, segment);
		if (change.ratingNamesShown === undefined) patch.ratingNamesShown = false;
	} else if (change.ratingRevealed === true && before.ratingTouchpointId && !before.ratingRoundId) {
		// A round started before rounds were kept: kept from its reveal on.
		const title =
			(await readBoardJourney(db, boardId)).touchpoints.find((candidate) => candidate.id === before.ratingTouchpointId)?.title ?? '';
		patch.ratingRoundId = await startRatingRound(db, boardId, { id: before.ratingTouchpointId, title }, now);
		before.ratingRoundId = patch.ratingRoundId;
	}
	return patch;
}
