import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { EMOTION_MAX, EMOTION_MIN } from '../journey/schema';
import { ratingResults } from '../journey/workshop-rounds';
import { DEFAULT_FACILITATION, type FacilitationState, type RatingRound, type VoteTally } from '../collaboration';
import type { Journey } from '../journey/schema';
import { hasStage, hasTouchpoint, readBoardJourney, touchpointIds } from './board-journey';
import { presentedStage } from './presentation';
import { syncHub } from './sync-hub';
import { notifyBoard } from './board-notify';
import type { Db } from './db';
import type { facilitation } from './db/schema';
import { tables } from './db/tables';
import { transaction } from './db/transaction';
import { refuse, type Refusal } from './service-result';
import { keepRounds, revealRatingRound } from './workshop-rounds';

/** Longest countdown a facilitator can start. */
export const TIMER_MAX_SECONDS = 4 * 60 * 60;
/** Most dots a person can be given. */
export const VOTING_BUDGET_MAX = 50;

export const facilitationInput = z
	.object({
		locked: z.boolean(),
		/** Starts a countdown of this many seconds; null stops it. */
		timerSeconds: z.number().int().min(1).max(TIMER_MAX_SECONDS).nullable(),
		/** Participants follow the caller's view; false stops it. */
		follow: z.boolean(),
		spotlightId: z.string().min(1).max(64).nullable(),
		ratingTouchpointId: z.string().min(1).max(64).nullable(),
		/** With `ratingTouchpointId`: the round is for this customer segment (null or absent: all customers). */
		ratingSegmentId: z.string().min(1).max(64).nullable(),
		ratingRevealed: z.boolean(),
		votingOpen: z.boolean(),
		votingBudget: z.number().int().min(1).max(VOTING_BUDGET_MAX),
		/** Presents this stage to the people following the caller (presentation mode); null ends the presentation. */
		presentStageId: z.string().min(1).max(64).nullable(),
		/** Everyone on the board sees the ranked voting results. */
		resultsShown: z.boolean(),
		/** Revealed ratings show who gave which value. */
		ratingNamesShown: z.boolean()
	})
	.partial();

/** The board's workshop controls. */
export async function facilitationState(db: Db, boardId: string): Promise<FacilitationState> {
	const { facilitation } = tables(db);
	const [row] = await db.select().from(facilitation).where(eq(facilitation.boardId, boardId)).limit(1);
	if (!row) return DEFAULT_FACILITATION;
	const presenting = row.followUserId === null ? null : presentedStage(boardId);
	return {
		locked: row.lockedBy !== null,
		timerEndsAt: row.timerEndsAt === null ? null : new Date(row.timerEndsAt).toISOString(),
		timerSeconds: row.timerSeconds,
		followUserId: row.followUserId,
		spotlightId: row.spotlightId,
		ratingTouchpointId: row.ratingTouchpointId,
		ratingSegmentId: row.ratingTouchpointId === null ? null : row.ratingSegmentId,
		ratingRevealed: row.ratingRevealed,
		votingOpen: row.votingOpen,
		votingBudget: row.votingBudget,
		presentStageId: presenting,
		resultsShown: row.resultsShown,
		ratingNamesShown: row.ratingNamesShown
	};
}

/** Whether the board is locked (everyone but owners read-only). */
export async function isLocked(db: Db, boardId: string): Promise<boolean> {
	return (await facilitationState(db, boardId)).locked;
}

/**
 * An owner changes the workshop controls (a rating round or the spotlight only on one of the board's touchpoints, a rating
 * round's segment only one of its segments): a rating round starts with no ratings, opening a vote starts with no dots,
 * and the lock applies to open sockets at once.
 */
export async function changeFacilitation(
	db: Db,
	boardId: string,
	ownerId: string,
	change: z.infer<typeof facilitationInput>
): Promise<{ ok: true; state: FacilitationState } | Refusal> {
	const named = [change.ratingTouchpointId, change.spotlightId].filter((id): id is string => typeof id === 'string');
	for (const id of named) if (!(await hasTouchpoint(db, boardId, id))) return refuse(404, 'No such touchpoint on this board');
	if (change.presentStageId && !(await hasStage(db, boardId, change.presentStageId))) return refuse(404, 'No such stage on this board');
	if (change.ratingSegmentId && !change.ratingTouchpointId) {
		return refuse(400, 'ratingSegmentId: a segment is rated only in a new rating round, with ratingTouchpointId');
	}
	const before = await facilitationState(db, boardId);
	// Read only when a round needs titles: a rating round starting, or a vote closing with its results.
	const needsJourney = Boolean(change.ratingTouchpointId) || (before.votingOpen && change.votingOpen !== undefined);
	const journey = needsJourney ? await readBoardJourney(db, boardId) : null;
	if (change.ratingSegmentId && !journey?.segments.some((segment) => segment.id === change.ratingSegmentId)) {
		return refuse(404, 'No such segment on this board');
	}
	const state = await updateFacilitation(db, boardId, ownerId, change, journey);
	await notifyBoard(boardId, {
		live: state.locked !== before.locked ? (hub) => hub.setLocked(boardId, state.locked) : undefined,
		event: 'facilitation'
	});
	return { ok: true, state };
}

/**
 * Applies an owner's change to the controls and keeps the rounds: a new rating round starts with no
 * ratings, opening a vote starts a new round with no dots, closing it keeps its ranked results.
 */
async function updateFacilitation(
	db: Db,
	boardId: string,
	ownerId: string,
	change: z.infer<typeof facilitationInput>,
	journey: Journey | null,
	now = Date.now()
): Promise<FacilitationState> {
	const patch: Partial<typeof facilitation.$inferInsert> = { updatedAt: now };
	if (change.locked !== undefined) patch.lockedBy = change.locked ? ownerId : null;
	if (change.timerSeconds !== undefined) {
		patch.timerSeconds = change.timerSeconds;
		patch.timerEndsAt = change.timerSeconds === null ? null : now + change.timerSeconds * 1000;
	}
	if (change.follow !== undefined) patch.followUserId = change.follow ? ownerId : null;
	// Presenting leads the view; a presentation ends when leading stops.
	if (change.presentStageId) patch.followUserId = ownerId;
	if (change.presentStageId !== undefined) await syncHub().presentStage(boardId, change.presentStageId);
	else if (change.follow === false) await syncHub().presentStage(boardId, null);
	if (change.spotlightId !== undefined) patch.spotlightId = change.spotlightId;
	if (change.ratingTouchpointId !== undefined) {
		patch.ratingTouchpointId = change.ratingTouchpointId;
		patch.ratingSegmentId = change.ratingTouchpointId === null ? null : (change.ratingSegmentId ?? null);
		patch.ratingRevealed = false;
	}
	if (change.ratingRevealed !== undefined) patch.ratingRevealed = change.ratingRevealed;
	if (change.votingOpen !== undefined) patch.votingOpen = change.votingOpen;
	if (change.votingBudget !== undefined) patch.votingBudget = change.votingBudget;
	if (change.resultsShown !== undefined) patch.resultsShown = change.resultsShown;
	if (change.ratingNamesShown !== undefined) patch.ratingNamesShown = change.ratingNamesShown;
	await transaction(db, async (tx) => {
		const { facilitation, ratings } = tables(tx);
		await tx.insert(facilitation).values({ boardId, updatedAt: now }).onConflictDoNothing();
		const [before] = await tx.select().from(facilitation).where(eq(facilitation.boardId, boardId)).limit(1);
		Object.assign(patch, await keepRounds(tx, boardId, before, change, journey, now));
		await tx.update(facilitation).set(patch).where(eq(facilitation.boardId, boardId));
		if (change.ratingTouchpointId) {
			await tx.delete(ratings).where(and(eq(ratings.boardId, boardId), eq(ratings.touchpointId, change.ratingTouchpointId)));
		}
		// A reveal (or hiding again) of the running round; a new round leaves the last one as it was.
		const reveal = change.ratingTouchpointId === undefined ? change.ratingRevealed : undefined;
		if (reveal !== undefined && reveal !== before.ratingRevealed && before.ratingRoundId && before.ratingTouchpointId) {
			await revealRatingRound(tx, boardId, before.ratingRoundId, before.ratingTouchpointId, reveal);
		}
	});
	return await facilitationState(db, boardId);
}

// ── dot voting ──────────────────────────────────────────────────────────

export const voteInput = z.object({
	touchpointId: z.string().min(1).max(64),
	delta: z.union([z.literal(1), z.literal(-1)], { error: 'delta must be 1 or -1' })
});

/**
 * Vote totals and the caller's own dots, on the touchpoints the board has (`touchpoints`): a dot on
 * a card deleted since is back in its owner's budget, and counts again if the card is restored.
 */
export async function voteTally(db: Db, boardId: string, userId: string, touchpoints: ReadonlySet<string>): Promise<VoteTally> {
	const { votes } = tables(db);
	const rows = await db.select().from(votes).where(eq(votes.boardId, boardId));
	const totals: Record<string, number> = {};
	const mine: Record<string, number> = {};
	let used = 0;
	for (const row of rows) {
		if (!touchpoints.has(row.touchpointId)) continue;
		totals[row.touchpointId] = (totals[row.touchpointId] ?? 0) + row.dots;
		if (row.userId === userId) {
			mine[row.touchpointId] = row.dots;
			used += row.dots;
		}
	}
	return { totals, mine, remaining: Math.max(0, (await facilitationState(db, boardId)).votingBudget - used) };
}

type VoteResult = { ok: true } | Refusal;

/** Places (+1) or takes back (−1) one of the person's dots; the tally after it, as they see it. */
export async function placeVote(
	db: Db,
	boardId: string,
	userId: string,
	input: z.infer<typeof voteInput>
): Promise<{ ok: true; votes: VoteTally } | Refusal> {
	// A dot on a card deleted since no longer counts (it is back in the budget): nothing to place or take back.
	const touchpoints = await touchpointIds(db, boardId);
	if (!touchpoints.has(input.touchpointId)) return refuse(404, 'No such touchpoint on this board');
	const result = await castVote(db, boardId, userId, input, touchpoints);
	if (!result.ok) return result;
	await notifyBoard(boardId, { event: 'facilitation' });
	return { ok: true, votes: await voteTally(db, boardId, userId, touchpoints) };
}

/** Places or takes back one dot, within the person's budget, while voting is open, on one of the board's `touchpoints`. */
async function castVote(
	db: Db,
	boardId: string,
	userId: string,
	input: z.infer<typeof voteInput>,
	touchpoints: ReadonlySet<string>
): Promise<VoteResult> {
	return await transaction(db, async (tx) => {
		const { votes } = tables(tx);
		const state = await facilitationState(tx, boardId);
		if (!state.votingOpen) return { ok: false, status: 409, error: 'Voting is closed' } as const;
		const tally = await voteTally(tx, boardId, userId, touchpoints);
		const current = tally.mine[input.touchpointId] ?? 0;
		if (input.delta === 1 && tally.remaining <= 0) {
			return { ok: false, status: 409, error: `You have used all ${state.votingBudget} of your dots` } as const;
		}
		if (input.delta === -1 && current === 0) return { ok: false, status: 400, error: 'No dot of yours to take back' } as const;
		const dots = current + input.delta;
		if (dots === 0) {
			await tx.delete(votes).where(and(eq(votes.boardId, boardId), eq(votes.touchpointId, input.touchpointId), eq(votes.userId, userId)));
		} else {
			await tx
				.insert(votes)
				.values({ boardId, touchpointId: input.touchpointId, userId, dots })
				.onConflictDoUpdate({ target: [votes.boardId, votes.touchpointId, votes.userId], set: { dots } });
		}
		return { ok: true } as const;
	});
}

// ── participant ratings ─────────────────────────────────────────────────

export const ratingInput = z.object({
	touchpointId: z.string().min(1).max(64),
	emotion: z
		.number()
		.int(`emotion must be an integer from ${EMOTION_MIN} to ${EMOTION_MAX}`)
		.min(EMOTION_MIN, `emotion must be an integer from ${EMOTION_MIN} to ${EMOTION_MAX}`)
		.max(EMOTION_MAX, `emotion must be an integer from ${EMOTION_MIN} to ${EMOTION_MAX}`)
});

/** The current rating round as the caller may see it: others' values stay hidden until revealed. */
export async function ratingRound(db: Db, boardId: string, userId: string): Promise<RatingRound | null> {
	const { facilitation, ratings, users, workshopRounds } = tables(db);
	const state = await facilitationState(db, boardId);
	if (!state.ratingTouchpointId) return null;
	const rows = await db
		.select({ userId: ratings.userId, emotion: ratings.emotion, name: users.name })
		.from(ratings)
		.innerJoin(users, eq(ratings.userId, users.id))
		.where(and(eq(ratings.boardId, boardId), eq(ratings.touchpointId, state.ratingTouchpointId)));
	const figures = state.ratingRevealed ? ratingResults(rows.map((row) => row.emotion)) : null;
	const [kept] = await db
		.select({ adopted: workshopRounds.adopted })
		.from(facilitation)
		.innerJoin(workshopRounds, eq(workshopRounds.id, facilitation.ratingRoundId))
		.where(eq(facilitation.boardId, boardId))
		.limit(1);
	// Anonymous unless the facilitator shows names: values only, lowest first, so order tells nothing.
	const shown = state.ratingNamesShown
		? rows
		: rows.map((row) => ({ userId: null, name: null, emotion: row.emotion })).sort((a, b) => a.emotion - b.emotion);
	return {
		touchpointId: state.ratingTouchpointId,
		segmentId: state.ratingSegmentId,
		revealed: state.ratingRevealed,
		count: rows.length,
		mine: rows.find((row) => row.userId === userId)?.emotion ?? null,
		adopted: kept?.adopted ?? null,
		results: figures
			? { ratings: shown, named: state.ratingNamesShown, mean: figures.mean, min: figures.min, max: figures.max, spread: figures.spread }
			: null
	};
}

/** Records the person's private rating of the touchpoint being rated; the round as they see it after. */
export async function submitRating(
	db: Db,
	boardId: string,
	userId: string,
	input: z.infer<typeof ratingInput>
): Promise<{ ok: true; rating: RatingRound | null } | Refusal> {
	const result = await rate(db, boardId, userId, input);
	if (!result.ok) return result;
	await notifyBoard(boardId, { event: 'facilitation' });
	return { ok: true, rating: await ratingRound(db, boardId, userId) };
}

/** Records the caller's private rating of the touchpoint being rated. */
async function rate(db: Db, boardId: string, userId: string, input: z.infer<typeof ratingInput>): Promise<VoteResult> {
	const { ratings } = tables(db);
	const state = await facilitationState(db, boardId);
	if (state.ratingTouchpointId !== input.touchpointId) {
		return { ok: false, status: 409, error: 'This touchpoint is not being rated now' };
	}
	if (state.ratingRevealed) return { ok: false, status: 409, error: 'The ratings are already revealed' };
	await db
		.insert(ratings)
		.values({ boardId, touchpointId: input.touchpointId, userId, emotion: input.emotion, ratedAt: Date.now() })
		.onConflictDoUpdate({
			target: [ratings.boardId, ratings.touchpointId, ratings.userId],
			set: { emotion: input.emotion, ratedAt: sql`excluded.rated_at` }
		});
	return { ok: true };
}
