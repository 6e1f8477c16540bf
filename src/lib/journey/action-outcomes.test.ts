import { describe, expect, it } from 'vitest';
import { actionsByDepartment, actionsFinishedBetween, checkFinishedActions } from './action-outcomes';
import { compareJourneys } from './compare';
import { emptyJourney, type Action, type Journey } from './schema';
import { newTouchpoint } from './touchpoint';

const action = (id: string, fields: Partial<Action> = {}): Action => ({
	id,
	title: id,
	description: '',
	touchpointIds: ['q'],
	owner: 'Branch staff',
	status: 'open',
	impact: 3,
	effort: 3,
	customersTold: false,
	createdBy: '',
	createdAt: '',
	...fields
});

/** One card, Queueing, with an emotion and a satisfaction (experience − expectation), and a gold-card segment value. */
function board(emotion: number, experience: number, actions: Action[], goldEmotion?: number): Journey {
	return {
		...emptyJourney('Branch'),
		stages: [{ id: 's', name: 'S', order: 1 }],
		lanes: [{ id: 'l', name: 'L', order: 1, type: 'touchpoints' }],
		touchpoints: [
			{
				...newTouchpoint({ id: 'q', stageId: 's', laneId: 'l', title: 'Queueing', emotion, expectation: 8, experience, importance: 5 }),
				...(goldEmotion === undefined ? {} : { bySegment: { gold: { emotion: goldEmotion } } })
			}
		],
		segments: goldEmotion === undefined ? [] : [{ id: 'gold', name: 'Gold', order: 1 }],
		actions
	};
}

describe('did it work?', () => {
	it('compares the touchpoints of the actions finished between two versions, per segment', () => {
		const before = board(-4, 3, [action('a', { status: 'in-progress' }), action('b', { status: 'done' }), action('c')], -5);
		const after = board(
			-1,
			6,
			[action('a', { status: 'done' }), action('b', { status: 'verified' }), action('c'), action('d', { status: 'verified' })],
			-2
		);
		const outcomes = compareJourneys(before, after).actions;
		// b was already finished; c is not; d is new and verified.
		expect(outcomes.map((outcome) => outcome.actionId)).toEqual(['a', 'd']);
		expect(outcomes[0].touchpoints).toEqual([
			{
				touchpointId: 'q',
				title: 'Queueing',
				emotion: { before: -4, after: -1, delta: 3 },
				satisfaction: { before: -5, after: -2, delta: 3 },
				bySegment: [
					{
						segmentId: 'gold',
						name: 'Gold',
						emotion: { before: -5, after: -2, delta: 3 },
						satisfaction: { before: -5, after: -2, delta: 3 }
					}
				]
			}
		]);
		expect(actionsFinishedBetween(after, after)).toEqual([]);
	});

	it('flags a done action whose touchpoints did not improve since the last version before it was done, and customers not told', () => {
		const now = board(-4, 3, [
			action('fixed', { status: 'done', customersTold: true }),
			action('stuck', { status: 'verified' }),
			action('new', { status: 'done' })
		]);
		const versions = [
			// Newest first: here both were already done, so it is no baseline.
			{
				name: 'Friday',
				createdAt: '2026-01-09',
				journey: board(-4, 3, [action('fixed', { status: 'done' }), action('stuck', { status: 'done' })])
			},
			{
				name: 'Monday',
				createdAt: '2026-01-05',
				journey: board(-5, 3, [action('fixed', { status: 'in-progress' }), action('stuck', { status: 'planned' })])
			}
		];
		const checks = checkFinishedActions(now, versions);
		// Against Monday, emotion −5 → −4 rose (`fixed`, `stuck`). `new` is absent from Friday, so Friday is its baseline: nothing moved since.
		expect(checks).toEqual([
			{ actionId: 'fixed', baseline: { name: 'Monday', createdAt: '2026-01-05' }, improved: true, customersTold: true },
			{ actionId: 'stuck', baseline: { name: 'Monday', createdAt: '2026-01-05' }, improved: true, customersTold: false },
			{ actionId: 'new', baseline: { name: 'Friday', createdAt: '2026-01-09' }, improved: false, customersTold: false }
		]);
		expect(checkFinishedActions(now, [])[0].baseline).toBeNull();
	});

	it('groups actions by department however spelled, departments in name order, none last', () => {
		const journey = board(0, 8, [
			action('x', { owner: 'risk ' }),
			action('y', { owner: '' }),
			action('z', { owner: 'Branch staff' }),
			action('w', { owner: 'Risk' })
		]);
		const groups = actionsByDepartment(journey, ['w', 'x', 'y', 'z'], []);
		expect(groups.map((group) => [group.department, group.actions.map((item) => item.id)])).toEqual([
			['Branch staff', ['z']],
			['risk', ['w', 'x']],
			['', ['y']]
		]);
	});
});
