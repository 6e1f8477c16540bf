import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { orderWork, waitsOn, type WorkItem } from './actions';
import { analyzeJourney } from './analysis';
import { applyJourney, journeyToDoc, putItem, readJourney } from './document';
import { shapeProblem } from './document-shape';
import { JourneyReader } from './journey-reader';
import { emptyJourney, LIMITS, parseJourney, type Action, type Journey } from './schema';
import { newTouchpoint } from './touchpoint';

const action = (fields: Partial<Action> & { id: string }): Action => ({
	title: 'Fix the queue',
	description: '',
	touchpointIds: [],
	owner: 'Operations',
	status: 'open',
	impact: 3,
	effort: 3,
	customersTold: false,
	createdBy: 'u1',
	createdAt: '2026-01-01T00:00:00.000Z',
	...fields
});

function journey(actions: Action[] = []): Journey {
	return {
		...emptyJourney('Board'),
		stages: [{ id: 's1', name: 'Stage', order: 1 }],
		lanes: [{ id: 'l1', name: 'Lane', order: 1, type: 'touchpoints' }],
		touchpoints: [
			newTouchpoint({ id: 'tp-1', stageId: 's1', laneId: 'l1', title: 'Queueing', x: 0 }),
			newTouchpoint({ id: 'tp-2', stageId: 's1', laneId: 'l1', title: 'Counter', x: 200 })
		],
		actions
	};
}

/** A client edits a copy of `base`; the edit is applied to `base` and checked there, as the guard does. */
function check(base: Y.Doc, change: (doc: Y.Doc) => void): string | null {
	const client = new Y.Doc();
	Y.applyUpdate(client, Y.encodeStateAsUpdate(base));
	const before = Y.encodeStateVector(client);
	change(client);
	const update = Y.encodeStateAsUpdate(client, before);
	const since = new Map<number, number>();
	for (const { id } of Y.decodeUpdate(update).structs) since.set(id.client, Y.getState(base.store, id.client));
	Y.applyUpdate(base, update);
	client.destroy();
	return shapeProblem(base, since);
}

const actionMap = (doc: Y.Doc, id = 'a1') => doc.getMap<Y.Map<unknown>>('actions').get(id)!;

describe('actions in the document', () => {
	it('stores touchpointIds as a Y.Array and reads the action back equal', () => {
		const planned = action({
			id: 'a1',
			touchpointIds: ['tp-2', 'tp-1'],
			assigneeId: 'u2',
			due: '2026-03-31',
			status: 'planned',
			impact: 5,
			effort: 2
		});
		const doc = journeyToDoc(journey([planned]));
		expect(actionMap(doc).get('touchpointIds')).toBeInstanceOf(Y.Array);
		expect(readJourney(doc).actions).toEqual([planned]);
	});

	it('reads without duplicates and ids the board lacks, in the incremental reader too', () => {
		const doc = journeyToDoc(journey([action({ id: 'a1', touchpointIds: ['tp-1'] })]));
		const reader = new JourneyReader(doc);
		expect(reader.read().actions?.[0].touchpointIds).toEqual(['tp-1']);
		(actionMap(doc).get('touchpointIds') as Y.Array<string>).push(['tp-1', 'gone', 'tp-2']);
		expect(readJourney(doc).actions?.[0].touchpointIds).toEqual(['tp-1', 'tp-2']);
		expect(reader.read().actions?.[0].touchpointIds).toEqual(['tp-1', 'tp-2']);
		doc.getMap('touchpoints').delete('tp-2');
		expect(reader.read().actions?.[0].touchpointIds).toEqual(['tp-1']);
		expect(reader.read()).toEqual(readJourney(doc));
	});

	it('reads an unreadable status, impact or effort as its default, and keeps the action', () => {
		const doc = journeyToDoc(journey([action({ id: 'a1' })]));
		actionMap(doc).set('status', 'sleeping');
		actionMap(doc).set('impact', 9);
		actionMap(doc).set('due', '2026-02-30');
		const [read] = readJourney(doc).actions!;
		expect(read).toMatchObject({ status: 'open', impact: 3 });
		expect(read.due).toBeUndefined();
	});

	it('merges two people linking cards to one action at once', () => {
		const a = journeyToDoc(journey([action({ id: 'a1' })]));
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		(actionMap(a).get('touchpointIds') as Y.Array<string>).push(['tp-1']);
		(actionMap(b).get('touchpointIds') as Y.Array<string>).push(['tp-2']);
		actionMap(b).set('status', 'in-progress');
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		expect(readJourney(a)).toEqual(readJourney(b));
		expect([...readJourney(a).actions![0].touchpointIds].sort()).toEqual(['tp-1', 'tp-2']);
		expect(readJourney(a).actions![0].status).toBe('in-progress');
	});

	it('restores a version by changing only the list that differs', () => {
		const doc = journeyToDoc(journey([action({ id: 'a1', touchpointIds: ['tp-1'] })]));
		const list = actionMap(doc).get('touchpointIds');
		applyJourney(doc, journey([action({ id: 'a1', touchpointIds: ['tp-1'], title: 'Renamed' })]));
		expect(actionMap(doc).get('touchpointIds')).toBe(list);
		applyJourney(doc, journey([action({ id: 'a1', touchpointIds: ['tp-2'] })]));
		expect(readJourney(doc).actions![0]).toMatchObject({ title: 'Fix the queue', touchpointIds: ['tp-2'] });
	});
});

describe('journey JSON actions', () => {
	it('round-trips: export, import, export equal', () => {
		const exported = readJourney(
			journeyToDoc(journey([action({ id: 'a1', touchpointIds: ['tp-1', 'tp-2'], due: '2026-04-01', customersTold: true })]))
		);
		const parsed = parseJourney(JSON.parse(JSON.stringify(exported)));
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		expect(readJourney(journeyToDoc(parsed.value))).toEqual(exported);
	});

	it('imports journey JSON without actions as none', () => {
		const { actions: _actions, ...old } = journey();
		const parsed = parseJourney(JSON.parse(JSON.stringify(old)));
		expect(parsed.ok && parsed.value.actions).toEqual([]);
	});

	it.each([
		[{ status: 'later' }, 'actions[0].status: must be one of open, planned, in-progress, done, verified, dropped'],
		[{ impact: 6 }, 'actions[0].impact: must be an integer from 1 to 5'],
		[{ effort: 2.5 }, 'actions[0].effort: must be an integer from 1 to 5'],
		[{ due: '31/03/2026' }, 'actions[0].due: must be a date like 2026-03-31'],
		[{ customersTold: 'yes' }, 'actions[0].customersTold: Invalid input: expected boolean, received string'],
		[{ touchpointIds: 'tp-1' }, 'actions[0].touchpointIds: Invalid input: expected array, received string'],
		[{ touchpointIds: ['tp-9'] }, 'actions[0].touchpointIds[0]: no touchpoint "tp-9"'],
		[{ touchpointIds: ['tp-1', 'tp-1'] }, 'actions[0].touchpointIds[1]: "tp-1" is linked twice']
	])('refuses %j with the path', (fields, error) => {
		const json = JSON.parse(JSON.stringify(journey([action({ id: 'a1' })])));
		Object.assign(json.actions[0], fields);
		expect(parseJourney(json)).toEqual({ ok: false, error });
	});
});

describe('the shape guard and actions', () => {
	const base = () => journeyToDoc(journey([action({ id: 'a1', touchpointIds: ['tp-1'] })]));

	it('accepts creating, editing and linking an action as the board does', () => {
		const doc = base();
		expect(
			check(doc, (d) => putItem(d, 'actions', action({ id: 'a2', touchpointIds: ['tp-2'], assigneeId: 'u3', due: '2026-05-01' })))
		).toBeNull();
		expect(check(doc, (d) => actionMap(d).set('status', 'done'))).toBeNull();
		expect(check(doc, (d) => (actionMap(d).get('touchpointIds') as Y.Array<string>).push(['tp-2']))).toBeNull();
		expect(check(doc, (d) => (actionMap(d).get('touchpointIds') as Y.Array<string>).delete(0, 1))).toBeNull();
	});

	it('refuses values of the wrong type, unknown fields and lists where they do not belong', () => {
		expect(check(base(), (d) => actionMap(d).set('impact', '5'))).toBe('actions.a1.impact: a number expected');
		expect(check(base(), (d) => actionMap(d).set('customersTold', 1))).toBe('actions.a1.customersTold: true or false expected');
		expect(check(base(), (d) => actionMap(d).set('secret', 'x'))).toBe('actions.a1.secret: not a field of the journey document');
		expect(check(base(), (d) => actionMap(d).set('touchpointIds', ['tp-1']))).toBe('actions.a1.touchpointIds: a list of ids expected');
		expect(check(base(), (d) => actionMap(d).set('owner', Y.Array.from(['x'])))).toBe('actions.a1.owner: a text value expected');
		expect(
			check(base(), (d) =>
				d
					.getMap<Y.Map<unknown>>('touchpoints')
					.get('tp-1')!
					.set('title2', Y.Array.from(['x']))
			)
		).not.toBeNull();
	});

	it('refuses anything but ids in the list, and more ids than LIMITS', () => {
		const list = (d: Y.Doc) => actionMap(d).get('touchpointIds') as Y.Array<unknown>;
		expect(check(base(), (d) => list(d).push([42]))).toBe(`actions.a1.touchpointIds: ids of 1 to ${LIMITS.id} characters expected`);
		expect(check(base(), (d) => list(d).push(['x'.repeat(LIMITS.id + 1)]))).toBe(
			`actions.a1.touchpointIds: ids of 1 to ${LIMITS.id} characters expected`
		);
		expect(check(base(), (d) => list(d).push([new Y.Map()]))).toBe('actions.a1.touchpointIds: ids expected');
		const many = Array.from({ length: LIMITS.actionTouchpoints }, (_, i) => `tp-${i}`);
		expect(check(base(), (d) => list(d).push(many))).toBe(`actions.a1.touchpointIds: at most ${LIMITS.actionTouchpoints} ids`);
	});

	it('refuses more actions than LIMITS', () => {
		const full = journeyToDoc({ ...journey(), actions: Array.from({ length: LIMITS.actions }, (_, i) => action({ id: `a${i}` })) });
		expect(check(full, (d) => putItem(d, 'actions', action({ id: 'one-more' })))).toBe(`actions: at most ${LIMITS.actions} items`);
	});
});

describe('the analysis of actions', () => {
	/**
	 * Four cards in journey order q, w, c, e. Gaps (importance × (experience − expectation)):
	 * q 5 × (3 − 8) = −25, w 2 × (4 − 6) = −4, c 4 × (5 − 6) = −4, e 3 × (9 − 7) = 6.
	 * Worst first: q −25, w −4, c −4 (ties keep journey order), e 6. `p` has no scores and is a negative peak.
	 */
	function board(actions: Action[]): Journey {
		const card = (id: string, x: number, scores: Partial<Journey['touchpoints'][number]>) =>
			newTouchpoint({ id, stageId: 's1', laneId: 'l1', title: id, x, ...scores });
		return {
			...journey(),
			touchpoints: [
				card('q', 0, { expectation: 8, experience: 3, importance: 5 }),
				card('w', 100, { expectation: 6, experience: 4, importance: 2 }),
				card('p', 150, { kind: 'negative-peak', emotion: -3 }),
				card('c', 200, { expectation: 6, experience: 5, importance: 4 }),
				card('e', 300, { expectation: 7, experience: 9, importance: 3 })
			],
			evidence: [
				{
					id: 'ev1',
					touchpointId: 'q',
					type: 'metric',
					text: '',
					source: '',
					url: '',
					fileId: '',
					value: 40,
					unit: '%',
					count: 120,
					createdBy: '',
					createdAt: ''
				},
				{
					id: 'ev2',
					touchpointId: 'q',
					type: 'quote',
					text: 'Slow',
					source: '',
					url: '',
					fileId: '',
					value: null,
					unit: '',
					count: 30,
					createdBy: '',
					createdAt: ''
				},
				{
					id: 'ev3',
					touchpointId: 'w',
					type: 'quote',
					text: 'Meh',
					source: '',
					url: '',
					fileId: '',
					value: null,
					unit: '',
					count: null,
					createdBy: '',
					createdAt: ''
				},
				{
					id: 'ev4',
					touchpointId: 'c',
					type: 'observation',
					text: '',
					source: '',
					url: '',
					fileId: '',
					value: null,
					unit: '',
					count: 45,
					createdBy: '',
					createdAt: ''
				}
			],
			actions
		};
	}

	it('ranks by status group, worst gap, customers, impact, effort and id, with hand-computed figures', () => {
		const analysis = analyzeJourney(
			board([
				action({ id: 'dropped', status: 'dropped', touchpointIds: ['q'] }),
				action({ id: 'verified', status: 'verified', touchpointIds: ['q'] }),
				action({ id: 'done', status: 'done', touchpointIds: ['e'] }),
				// Equal gap −4 (w or c): c's 45 customers beat w's none.
				action({ id: 'on-w', status: 'planned', touchpointIds: ['w'] }),
				action({ id: 'on-c', status: 'in-progress', touchpointIds: ['c'] }),
				// No gap at all (null last among the waiting ones); then impact, then effort, then id.
				action({ id: 'z-none', touchpointIds: ['p'], impact: 4, effort: 2 }),
				action({ id: 'b-none', touchpointIds: [], impact: 4, effort: 2 }),
				action({ id: 'a-none-easy', touchpointIds: ['p'], impact: 4, effort: 1 }),
				action({ id: 'low-impact', touchpointIds: ['p'], impact: 2, effort: 1 }),
				// Linked in reverse order, a card twice and an id the board lacks: q −25 is its worst.
				action({ id: 'worst', status: 'open', touchpointIds: ['c', 'gone', 'q', 'c'] })
			])
		);
		expect(analysis.actions.map((ranked) => ranked.actionId)).toEqual([
			'worst',
			'on-c',
			'on-w',
			'a-none-easy',
			'b-none',
			'z-none',
			'low-impact',
			'done',
			'verified',
			'dropped'
		]);
		expect(analysis.actions[0]).toEqual({
			actionId: 'worst',
			title: 'Fix the queue',
			status: 'open',
			owner: 'Operations',
			touchpointIds: ['q', 'c'],
			customersAffected: 120,
			worstWeightedGap: -25,
			impact: 3,
			effort: 3
		});
		expect(analysis.actions.find((ranked) => ranked.actionId === 'on-w')).toMatchObject({ customersAffected: 0, worstWeightedGap: -4 });
		expect(analysis.actions.find((ranked) => ranked.actionId === 'done')).toMatchObject({ customersAffected: 0, worstWeightedGap: 6 });
		expect(analysis.actions.find((ranked) => ranked.actionId === 'b-none')).toMatchObject({ touchpointIds: [], worstWeightedGap: null });
	});

	it('lists negative peaks and the first three gaps below zero that no action but a dropped one links', () => {
		// Candidates: q, w, c (first three gaps, all below zero) and p (negative peak); e is fourth and positive.
		expect(analyzeJourney(board([])).unplanned).toEqual(['q', 'w', 'p', 'c']);
		const planned = board([
			action({ id: 'a1', status: 'dropped', touchpointIds: ['q'] }),
			action({ id: 'a2', status: 'done', touchpointIds: ['w', 'p'] }),
			action({ id: 'a3', status: 'open', touchpointIds: ['e'] })
		]);
		expect(analyzeJourney(planned).unplanned).toEqual(['q', 'c']);
	});

	it('leaves a gap of zero or without importance out of unplanned', () => {
		const level = board([]);
		level.touchpoints = level.touchpoints.map((touchpoint) =>
			touchpoint.id === 'q'
				? { ...touchpoint, experience: 8 }
				: touchpoint.id === 'w'
					? { ...touchpoint, importance: undefined }
					: touchpoint
		);
		// Gaps now: c −4, q 0, e 6, w null. First three: c, q, e; only c is below zero.
		expect(analyzeJourney(level).unplanned).toEqual(['p', 'c']);
	});

	it('reads journey JSON kept from before actions existed as having none', () => {
		const { actions: _actions, ...old } = board([]);
		expect(analyzeJourney(old).actions).toEqual([]);
		expect(analyzeJourney(old).unplanned).toEqual(['q', 'w', 'p', 'c']);
	});
});

describe('a work list', () => {
	const item = (actionId: string, fields: Partial<WorkItem> = {}): WorkItem => ({
		boardId: 'b',
		boardTitle: 'Branch',
		actionId,
		title: actionId,
		status: 'open',
		owner: '',
		...fields
	});

	it('puts overdue open actions first, then by due date, undated last, then board title and id', () => {
		const ordered = orderWork(
			[
				item('undated'),
				item('later', { due: '2026-06-01' }),
				item('done-late', { due: '2026-01-02', status: 'done' }),
				item('overdue', { due: '2026-01-03', status: 'in-progress' }),
				item('soon-b', { due: '2026-02-01', boardTitle: 'Call centre' }),
				item('soon-a', { due: '2026-02-01' })
			],
			'2026-01-10'
		);
		expect(ordered.map((work) => work.actionId)).toEqual(['overdue', 'done-late', 'soon-a', 'soon-b', 'later', 'undated']);
	});

	it('waits on the assignee and on the owning department however it is spelled', () => {
		const keys = new Set(['branch staff']);
		expect(waitsOn({ assigneeId: 'u1', owner: '' }, 'u1', keys)).toBe(true);
		expect(waitsOn({ owner: ' Branch  Staff' }, 'u2', keys)).toBe(true);
		expect(waitsOn({ owner: 'ＢＲＡＮＣＨ staff' }, 'u2', keys)).toBe(true);
		expect(waitsOn({ owner: 'Marketing', assigneeId: 'u3' }, 'u2', keys)).toBe(false);
		expect(waitsOn({ owner: '' }, 'u2', new Set(['']))).toBe(false);
	});
});
