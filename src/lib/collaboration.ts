/** Shapes of the board's collaboration data shared by the API and the browser. */

export type { RankedTouchpoint, RatingResults, VoteResults, WorkshopRound } from './journey/workshop-rounds';

/** A board's live workshop controls. */
export interface FacilitationState {
	locked: boolean;
	timerEndsAt: string | null;
	timerSeconds: number | null;
	followUserId: string | null;
	spotlightId: string | null;
	ratingTouchpointId: string | null;
	/** The customer segment the rating round is for: participants rate how that customer felt (null: all customers). */
	ratingSegmentId: string | null;
	ratingRevealed: boolean;
	votingOpen: boolean;
	votingBudget: number;
	/** The stage the leading facilitator presents (presentation mode): followers see it full screen; null when not presenting. */
	presentStageId: string | null;
	/** Everyone sees the ranked voting results. */
	resultsShown: boolean;
	/** Revealed ratings show who gave which value; anonymous otherwise. */
	ratingNamesShown: boolean;
}

/** Dots each person has in a new vote unless the facilitator sets another budget. */
export const DEFAULT_VOTING_BUDGET = 3;

/** A board's workshop controls before anyone has used them. */
export const DEFAULT_FACILITATION: FacilitationState = {
	locked: false,
	timerEndsAt: null,
	timerSeconds: null,
	followUserId: null,
	spotlightId: null,
	ratingTouchpointId: null,
	ratingSegmentId: null,
	ratingRevealed: false,
	votingOpen: false,
	votingBudget: DEFAULT_VOTING_BUDGET,
	presentStageId: null,
	resultsShown: false,
	ratingNamesShown: false
};

/** Dot votes as one person sees them. */
export interface VoteTally {
	/** Touchpoint id → all dots on it. */
	totals: Record<string, number>;
	/** Touchpoint id → the caller's dots on it. */
	mine: Record<string, number>;
	/** Dots the caller has left. */
	remaining: number;
}

/** The current rating round as one person may see it: others' values stay hidden until revealed. */
export interface RatingRound {
	touchpointId: string;
	/** The customer segment being rated (null: all customers). */
	segmentId: string | null;
	revealed: boolean;
	/** How many people have rated so far (visible before the reveal, values are not). */
	count: number;
	mine: number | null;
	/** The emotion the facilitator adopted from this round, once adopted. */
	adopted: number | null;
	/** After the reveal: every rating (with its author only when the facilitator shows names), and the figures. */
	results: {
		ratings: { userId: string | null; name: string | null; emotion: number }[];
		/** Whether `ratings` name their authors. */
		named: boolean;
		mean: number;
		min: number;
		max: number;
		/** Population standard deviation: how far apart the room is. */
		spread: number;
	} | null;
}

/** A comment as the API returns it. */
export interface BoardComment {
	id: string;
	touchpointId: string | null;
	parentId: string | null;
	author: { id: string; name: string };
	body: string;
	mentions: string[];
	resolved: boolean;
	resolvedBy: string | null;
	createdAt: string;
	editedAt: string | null;
}
