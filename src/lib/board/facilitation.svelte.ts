import { DEFAULT_FACILITATION, type FacilitationState, type RatingRound, type VoteTally, type WorkshopRound } from '$lib/collaboration';
import { callApi } from '$lib/api-client';
import type { BoardEventStream } from './board-event-source';

/** The board's workshop controls (lock, timer, follow, spotlight, ratings, votes), kept live. */
export class BoardFacilitation {
	state = $state.raw<FacilitationState>(DEFAULT_FACILITATION);
	votes = $state.raw<VoteTally>({ totals: {}, mine: {}, remaining: 0 });
	rating = $state.raw<RatingRound | null>(null);
	/** Every kept vote and rating round, newest first (the workshop history). */
	rounds = $state.raw<WorkshopRound[]>([]);
	#roundsKey = '';
	/** Server clock minus local clock, so everyone's countdown ends together. */
	clockOffsetMs = $state(0);
	error = $state('');

	constructor(
		readonly boardId: string,
		events: BoardEventStream
	) {
		events.on('facilitation', () => void this.refresh());
	}

	async refresh(): Promise<void> {
		const requestedAt = Date.now();
		const response = await fetch(`/api/boards/${this.boardId}/facilitation`);
		if (!response.ok) return;
		const body = await response.json();
		this.clockOffsetMs = Date.parse(body.serverTime) - (requestedAt + Date.now()) / 2;
		this.state = body.state;
		this.votes = body.votes;
		this.rating = body.rating;
		// The history changes only when a round starts, ends or is revealed: not on every dot.
		const { votingOpen, ratingTouchpointId, ratingSegmentId, ratingRevealed } = body.state as FacilitationState;
		const roundsKey = JSON.stringify([
			votingOpen,
			ratingTouchpointId,
			ratingSegmentId,
			ratingRevealed,
			body.rating?.count ?? null,
			body.rating?.adopted ?? null
		]);
		if (roundsKey !== this.#roundsKey) {
			this.#roundsKey = roundsKey;
			await this.refreshRounds();
		}
	}

	async refreshRounds(): Promise<void> {
		const response = await fetch(`/api/boards/${this.boardId}/rounds`);
		if (response.ok) this.rounds = (await response.json()).rounds;
	}

	/** An owner's change to the controls. */
	update(change: Partial<Omit<FacilitationState, 'followUserId' | 'timerEndsAt'>> & { follow?: boolean }): Promise<boolean> {
		return this.#send('PATCH', 'facilitation', change);
	}

	vote(touchpointId: string, delta: 1 | -1): Promise<boolean> {
		return this.#send('POST', 'votes', { touchpointId, delta });
	}

	rate(touchpointId: string, emotion: number): Promise<boolean> {
		return this.#send('POST', 'ratings', { touchpointId, emotion });
	}

	/** An owner adopts the revealed ratings' mean as the emotion (of the segment rated, in a segment round). */
	adopt(touchpointId: string): Promise<boolean> {
		return this.#send('POST', 'ratings/adopt', { touchpointId });
	}

	async #send(method: string, path: string, body: unknown): Promise<boolean> {
		this.error = '';
		const outcome = await callApi(method, `/api/boards/${this.boardId}/${path}`, body);
		if (!outcome.ok) {
			this.error = outcome.error;
			return false;
		}
		await this.refresh();
		return true;
	}
}
