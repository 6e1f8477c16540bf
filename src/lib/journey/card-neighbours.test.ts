import { describe, expect, it } from 'vitest';
import { nearestCard, neighbourCell, neighbourMoves } from './card-neighbours';
import { card, GRID_JOURNEY, overlaps } from '../../../tests/support/placement-grid';

describe('neighbour cells', () => {
	it('steps to the next stage or lane and stops at the grid’s edge', () => {
		expect(neighbourCell(GRID_JOURNEY, { stageId: 's1', laneId: 'l1' }, 'right')).toEqual({ stageId: 's2', laneId: 'l1' });
		expect(neighbourCell(GRID_JOURNEY, { stageId: 's2', laneId: 'l1' }, 'down')).toEqual({ stageId: 's2', laneId: 'l2' });
		expect(neighbourCell(GRID_JOURNEY, { stageId: 's1', laneId: 'l1' }, 'left')).toBeNull();
		expect(neighbourCell(GRID_JOURNEY, { stageId: 's3', laneId: 'l2' }, 'down')).toBeNull();
	});

	it('moves cards to a free spot of the next cell, covering no card there nor each other', () => {
		const journey = {
			...GRID_JOURNEY,
			touchpoints: [card('a', 's1', 'l1', 16, 48), card('b', 's1', 'l1', 168, 48), card('c', 's2', 'l1', 656, 48)]
		};
		const moves = neighbourMoves(journey, ['a', 'b'], 'right');
		expect(moves.map((move) => [move.id, move.stageId, move.laneId])).toEqual([
			['a', 's2', 'l1'],
			['b', 's2', 'l1']
		]);
		const moved = { ...journey, touchpoints: journey.touchpoints.map((t) => ({ ...t, ...moves.find((move) => move.id === t.id) })) };
		expect(overlaps(moved)).toEqual([]);
		expect(neighbourMoves(journey, ['a'], 'left')).toEqual([]);
	});
});

describe('nearest card', () => {
	const cards = [
		{ id: 'start', x: 0, y: 0 },
		{ id: 'right-far', x: 400, y: 0 },
		{ id: 'right-near', x: 150, y: 20 },
		{ id: 'below', x: 10, y: 200 },
		{ id: 'diagonal', x: 100, y: -300 }
	];
	it('takes the closest card that lies in the direction', () => {
		expect(nearestCard(cards, 'start', 'right')).toBe('right-near');
		expect(nearestCard(cards, 'start', 'down')).toBe('below');
		expect(nearestCard(cards, 'start', 'up')).toBe('diagonal');
		expect(nearestCard(cards, 'start', 'left')).toBeNull();
		expect(nearestCard(cards, 'right-near', 'left')).toBe('start');
	});
});
