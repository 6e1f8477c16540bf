import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deleteTouchpoint, journeyToDoc, patchItem, putItem, writeJourney } from './document';
import { MAX_ITEMS, shapeProblem } from './document-shape';
import { emptyJourney, LIMITS, type Journey } from './schema';
import { TEXT_KEY_LIMITS, typeText } from './text-fields';
import { TEMPLATE_NAMES, templateJourney } from './templates';
import { newEvidence, newTouchpoint } from './touchpoint';

/** A small board: one stage, one lane, one card. */
function board(): Y.Doc {
	return journeyToDoc({
		...emptyJourney('Board'),
		stages: [{ id: 's1', name: 'Stage', order: 1 }],
		lanes: [{ id: 'l1', name: 'Lane', order: 1, type: 'touchpoints' }],
		touchpoints: [newTouchpoint({ id: 'tp-1', stageId: 's1', laneId: 'l1', title: 'Card' })]
	});
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

/** The touchpoint map of a document. */
const card = (doc: Y.Doc, id = 'tp-1') => doc.getMap<Y.Map<unknown>>('touchpoints').get(id)!;

/** A realistic large board: 2,000 cards over 10 stages and 5 lanes, each with a link and evidence. */
function bigJourney(): Journey {
	const stages = Array.from({ length: 10 }, (_, i) => ({ id: `s${i}`, name: `Stage ${i}`, order: i }));
	const lanes = Array.from({ length: 5 }, (_, i) => ({ id: `l${i}`, name: `Lane ${i}`, order: i, type: 'touchpoints' as const }));
	const touchpoints = Array.from({ length: 2_000 }, (_, i) => ({
		...newTouchpoint({ id: `tp-${i}`, stageId: `s${i % 10}`, laneId: `l${i % 5}`, title: `Card ${i}`, x: i * 10, y: i }),
		description: `What happens at step ${i}`,
		emotion: (i % 11) - 5,
		expectation: 6,
		experience: i % 10,
		importance: 3,
		ideal: 9,
		channel: 'web',
		owner: 'Sales'
	}));
	const links = touchpoints.slice(1).map((tp, i) => ({ id: `ln-${i}`, source: touchpoints[i].id, target: tp.id, label: 'then' }));
	const evidence = touchpoints.map((tp, i) =>
		newEvidence({
			id: `ev-${i}`,
			touchpointId: tp.id,
			type: 'metric',
			text: 'Waiting time',
			source: 'Survey',
			value: i,
			unit: 'min',
			count: 12,
			createdBy: 'u1',
			createdAt: '2026-01-01T00:00:00Z'
		})
	);
	return { ...emptyJourney('Big'), stages, lanes, touchpoints, links, evidence };
}

describe('shapeProblem', () => {
	it('passes every template and a big realistic board written into an empty board', () => {
		for (const name of TEMPLATE_NAMES) {
			expect(check(new Y.Doc(), (doc) => writeJourney(doc, templateJourney(name, name)))).toBeNull();
		}
		expect(check(new Y.Doc(), (doc) => writeJourney(doc, bigJourney()))).toBeNull();
	}, 60_000);

	it('passes ordinary edits: new cards, field changes, removed fields, deletions, renames', () => {
		const doc = board();
		expect(
			check(doc, (d) => putItem(d, 'touchpoints', newTouchpoint({ id: 'tp-2', stageId: 's1', laneId: 'l1', title: 'Two' })))
		).toBeNull();
		expect(check(doc, (d) => patchItem(d, 'touchpoints', 'tp-1', { title: 'Renamed', emotion: 3, x: 12.5 }))).toBeNull();
		expect(check(doc, (d) => patchItem(d, 'touchpoints', 'tp-1', { emotion: undefined }))).toBeNull();
		expect(check(doc, (d) => d.getMap('board').set('title', 'New title'))).toBeNull();
		expect(check(doc, (d) => deleteTouchpoint(d, 'tp-2'))).toBeNull();
		expect(
			check(doc, (d) => putItem(d, 'touchpoints', newTouchpoint({ id: 'tp-1', stageId: 's1', laneId: 'l1', title: 'Again' })))
		).toBeNull();
	});

	it('leaves out-of-range values to the reader', () => {
		const doc = board();
		expect(check(doc, (d) => card(d).set('emotion', 99))).toBeNull();
		expect(check(doc, (d) => card(d).set('title', 'x'.repeat(LIMITS.title + 1)))).toBeNull();
		expect(check(doc, (d) => card(d).set('kind', 'not a kind'))).toBeNull();
	});

	it('refuses a shared type where a plain value belongs', () => {
		expect(check(board(), (d) => card(d).set('title', new Y.Map()))).toBe('touchpoints.tp-1.title: a text value expected');
		expect(check(board(), (d) => card(d).set('x', new Y.Array()))).toBe('touchpoints.tp-1.x: a number expected');
		expect(check(board(), (d) => d.getMap('board').set('title', new Y.Text('t')))).toBe('board.title: a text value expected');
	});

	it("takes a touchpoint's collaborative title and description, in plain characters within their limit", () => {
		const doc = board();
		expect(check(doc, (d) => typeText(card(d), 'title', 'Card, typed'))).toBeNull();
		expect(check(doc, (d) => typeText(card(d), 'description', 'Longer text'))).toBeNull();
		expect(check(doc, (d) => (card(d).get('titleText') as Y.Text).insert(4, ' more'))).toBeNull();
		expect(check(doc, (d) => (card(d).get('titleText') as Y.Text).insert(0, 'x'.repeat(TEXT_KEY_LIMITS.titleText)))).toBe(
			`touchpoints.tp-1.titleText: at most ${TEXT_KEY_LIMITS.titleText} characters`
		);
		expect(check(board(), (d) => card(d).set('titleText', 'plain'))).toBe('touchpoints.tp-1.titleText: a collaborative text expected');
		expect(check(board(), (d) => card(d).set('titleText', new Y.Map()))).toBe('touchpoints.tp-1.titleText: a collaborative text expected');
		expect(
			check(board(), (d) => {
				const text = new Y.Text();
				card(d).set('titleText', text);
				text.insert(0, 'bold', { bold: true });
			})
		).toBe('touchpoints.tp-1.titleText: plain characters expected');
		expect(
			check(board(), (d) => {
				const text = new Y.Text();
				card(d).set('titleText', text);
				text.insertEmbed(0, { image: 'x' });
			})
		).toBe('touchpoints.tp-1.titleText: plain characters expected');
		expect(check(board(), (d) => d.getMap<Y.Map<unknown>>('stages').get('s1')!.set('titleText', new Y.Text('x')))).toBe(
			'stages.s1.titleText: not a field of the journey document'
		);
	});

	it('refuses a title nested 20,000 maps deep, naming the field', () => {
		const problem = check(board(), (d) =>
			d.transact(() => {
				let map = new Y.Map<unknown>();
				card(d).set('title', map);
				for (let i = 0; i < 20_000; i++) {
					const inner = new Y.Map<unknown>();
					map.set('title', inner);
					map = inner;
				}
			})
		);
		expect(problem).toBe('touchpoints.tp-1.title: a text value expected');
	}, 60_000);

	it('refuses nesting below a shared type that is already on the board', () => {
		const doc = board();
		// As if an older server had taken it: written without the check.
		card(doc).set('owner', new Y.Map());
		expect(check(doc, (d) => (card(d).get('owner') as Y.Map<unknown>).set('deeper', 'x'))).toBe(
			'touchpoints.tp-1.owner: a text value expected'
		);
	});

	it('refuses a field of the wrong primitive type, and null where the schema takes none', () => {
		expect(check(board(), (d) => card(d).set('title', 7))).toBe('touchpoints.tp-1.title: a text value expected');
		expect(check(board(), (d) => card(d).set('emotion', '3'))).toBe('touchpoints.tp-1.emotion: a number expected');
		expect(check(board(), (d) => card(d).set('x', true))).toBe('touchpoints.tp-1.x: a number expected');
		expect(check(board(), (d) => card(d).set('channel', { nested: 'object' }))).toBe('touchpoints.tp-1.channel: a text value expected');
		expect(check(board(), (d) => card(d).set('title', null))).toBe('touchpoints.tp-1.title: a text value expected');
		expect(check(board(), (d) => card(d).set('description', null))).toBeNull();
	});

	it('refuses fields and top-level types the contract does not have', () => {
		expect(check(board(), (d) => card(d).set('colour', 'red'))).toBe('touchpoints.tp-1.colour: not a field of the journey document');
		expect(check(board(), (d) => d.getMap('board').set('notes', 'hi'))).toBe('board.notes: not a field of the journey document');
		expect(check(board(), (d) => d.getMap('secrets').set('a', 1))).toBe('secrets: not part of a board');
		expect(check(board(), (d) => d.getText('notes').insert(0, 'hello'))).toBe('notes: not part of a board');
	});

	it('refuses an item that is not a map of fields, and list entries in a map', () => {
		expect(check(board(), (d) => d.getMap('stages').set('s2', 'a stage'))).toBe('stages.s2: a map of fields expected');
		expect(check(board(), (d) => d.getMap('lanes').set('l2', new Y.Array()))).toBe('lanes.l2: a map of fields expected');
		const fresh = new Y.Doc();
		expect(check(fresh, (d) => d.getArray('touchpoints').insert(0, ['not a map']))).toBe(
			'touchpoints.[]: a list entry where a map belongs'
		);
	});

	it('refuses more items than LIMITS, counting only collections the update grew', () => {
		const stages = Array.from({ length: LIMITS.stages }, (_, i) => ({ id: `s${i}`, name: `S${i}`, order: i }));
		const doc = journeyToDoc({ ...emptyJourney('Full'), stages });
		expect(check(doc, (d) => d.getMap('board').set('title', 'Still fine'))).toBeNull();
		expect(
			check(doc, (d) => {
				const stage = new Y.Map<unknown>();
				d.getMap('stages').set('one-more', stage);
				stage.set('name', 'One more');
			})
		).toBe(`stages: at most ${LIMITS.stages} items`);
		// Each action holds one list of touchpoint ids besides its map.
		expect(MAX_ITEMS).toBe(
			LIMITS.stages + LIMITS.lanes + LIMITS.touchpoints + LIMITS.links + LIMITS.evidence + LIMITS.segments + 2 * LIMITS.actions
		);
	});

	it('skips what the update itself deleted', () => {
		expect(
			check(board(), (d) =>
				d.transact(() => {
					card(d).set('colour', new Y.Map());
					card(d).delete('colour');
				})
			)
		).toBeNull();
	});
});
