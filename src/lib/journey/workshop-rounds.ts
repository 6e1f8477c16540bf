/**
 * Workshop rounds as kept and reported: dot-voting results ranked, and the figures of a rating
 * round. Plain data, shared by the board, the summary and the PDF.
 */
import { roundFigure } from './figures';

/** One touchpoint's place in a dot vote. */
export interface RankedTouchpoint {
	touchpointId: string;
	/** The title when the result was taken ('' when the card had none or is unknown). */
	title: string;
	dots: number;
	/** Competition rank: equal dots share a rank, the next rank skips (1, 2, 2, 4). */
	rank: number;
	/** Whether another touchpoint has the same dots. */
	tied: boolean;
}

/** A dot vote's outcome. */
export interface VoteResults {
	/** Touchpoints with at least one dot, most dots first. */
	ranking: RankedTouchpoint[];
	/** All dots cast. */
	dots: number;
	/** People who cast at least one dot. */
	voters: number;
}

/** A rating round's figures, without who gave which value. */
export interface RatingResults {
	count: number;
	mean: number;
	min: number;
	max: number;
	/** Population standard deviation: how far apart the room is. */
	spread: number;
	/** Every value given, lowest first. */
	values: number[];
}

/** A workshop round as kept on the server and listed in the history, newest first. */
export type WorkshopRound = {
	id: string;
	startedAt: string;
	/** null while the round runs. */
	endedAt: string | null;
} & (
	| { kind: 'vote'; budget: number; results: VoteResults | null }
	| {
			kind: 'rating';
			touchpointId: string;
			/** The touchpoint's title when the round started. */
			title: string;
			/** The customer segment rated, when the round is for one (null: the journey as a whole). */
			segmentId: string | null;
			/** That segment's name when the round started (null for all customers, and for rounds kept before segment rounds). */
			segmentName: string | null;
			revealed: boolean;
			/** The emotion the facilitator adopted from the ratings, once adopted (null: none adopted). */
			adopted: number | null;
			/** Only after the reveal. */
			results: RatingResults | null;
	  }
);

/**
 * Touchpoints by dots, most first; ties share a rank and keep journey order (`order`: touchpoint ids
 * in journey order; ids not in it come last, by id). Touchpoints without dots are left out.
 */
export function rankVotes(
	totals: Readonly<Record<string, number>>,
	order: readonly string[] = [],
	titles: ReadonlyMap<string, string> = new Map()
): RankedTouchpoint[] {
	const position = new Map(order.map((id, index) => [id, index]));
	const entries = Object.entries(totals).filter(([, dots]) => dots > 0);
	entries.sort(
		([aId, aDots], [bId, bDots]) =>
			bDots - aDots ||
			(position.get(aId) ?? Number.MAX_SAFE_INTEGER) - (position.get(bId) ?? Number.MAX_SAFE_INTEGER) ||
			(aId < bId ? -1 : aId > bId ? 1 : 0)
	);
	const perDots = new Map<number, number>();
	for (const [, dots] of entries) perDots.set(dots, (perDots.get(dots) ?? 0) + 1);
	let rank = 0;
	return entries.map(([touchpointId, dots], index) => {
		if (index === 0 || entries[index - 1][1] !== dots) rank = index + 1;
		return { touchpointId, title: titles.get(touchpointId) ?? '', dots, rank, tied: (perDots.get(dots) ?? 0) > 1 };
	});
}

/** The emotion adopting a round's ratings writes: their mean rounded to a whole step, halves away from zero (−2.5 → −3). */
export function adoptedEmotion(mean: number): number {
	return roundFigure(mean, 0);
}

/** The figures of a set of ratings, or null when nobody rated. */
export function ratingResults(values: readonly number[]): RatingResults | null {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
	return {
		count: sorted.length,
		mean,
		min: sorted[0],
		max: sorted[sorted.length - 1],
		spread: Math.sqrt(sorted.reduce((sum, value) => sum + (value - mean) ** 2, 0) / sorted.length),
		values: sorted
	};
}

/** The most recent vote round that has results (a closed one first; else the running one), or null. */
export function lastVoteRound(rounds: readonly WorkshopRound[]): Extract<WorkshopRound, { kind: 'vote' }> | null {
	const votes = rounds.filter(
		(round): round is Extract<WorkshopRound, { kind: 'vote' }> => round.kind === 'vote' && round.results !== null
	);
	return votes.find((round) => round.endedAt !== null) ?? votes[0] ?? null;
}
