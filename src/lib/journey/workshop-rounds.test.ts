import { describe, expect, it } from 'vitest';
import { adoptedEmotion, lastVoteRound, rankVotes, ratingResults, type WorkshopRound } from './workshop-rounds';

describe('rankVotes', () => {
	it('ranks by dots, ties share a rank and the next rank skips', () => {
		const ranking = rankVotes({ a: 2, b: 5, c: 2, d: 1, e: 0 }, ['a', 'b', 'c', 'd', 'e'], new Map([['b', 'Queue']]));
		expect(ranking.map(({ touchpointId, dots, rank, tied }) => [touchpointId, dots, rank, tied])).toEqual([
			['b', 5, 1, false],
			['a', 2, 2, true],
			['c', 2, 2, true],
			['d', 1, 4, false]
		]);
		expect(ranking[0].title).toBe('Queue');
	});

	it('keeps journey order among ties, then ids', () => {
		expect(rankVotes({ x: 3, c: 3, a: 3 }, ['c', 'a']).map((entry) => entry.touchpointId)).toEqual(['c', 'a', 'x']);
		expect(rankVotes({ x: 3, c: 3, a: 3 }).every((entry) => entry.rank === 1 && entry.tied)).toBe(true);
		expect(rankVotes({})).toEqual([]);
	});
});

describe('adoptedEmotion', () => {
	it('rounds the mean to a whole step, halves away from zero, never −0', () => {
		expect([2.5, -2.5, -1.75, 1.4, -0.4, 0].map(adoptedEmotion)).toEqual([3, -3, -2, 1, 0, 0]);
		expect(Object.is(adoptedEmotion(-0.4), -0)).toBe(false);
		// The mean of (−2, −1, −2, −2) as a room adopts it.
		expect(adoptedEmotion(ratingResults([-2, -1, -2, -2])!.mean)).toBe(-2);
	});
});

describe('ratingResults', () => {
	it('gives the figures of the room without names', () => {
		expect(ratingResults([-2, -1, -2, -2])).toEqual({
			count: 4,
			mean: -1.75,
			min: -2,
			max: -1,
			spread: Math.sqrt(0.1875),
			values: [-2, -2, -2, -1]
		});
		expect(ratingResults([])).toBeNull();
	});
});

describe('lastVoteRound', () => {
	it('prefers the latest closed round with results', () => {
		const rounds: WorkshopRound[] = [
			{ id: '3', kind: 'vote', budget: 3, startedAt: '2026-01-03', endedAt: null, results: { ranking: [], dots: 0, voters: 0 } },
			{ id: '2', kind: 'vote', budget: 3, startedAt: '2026-01-02', endedAt: '2026-01-02', results: { ranking: [], dots: 4, voters: 2 } },
			{ id: '1', kind: 'vote', budget: 3, startedAt: '2026-01-01', endedAt: '2026-01-01', results: null }
		];
		expect(lastVoteRound(rounds)?.id).toBe('2');
		expect(lastVoteRound(rounds.slice(0, 1))?.id).toBe('3');
		expect(lastVoteRound([])).toBeNull();
	});
});
