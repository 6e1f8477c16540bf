import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { collectionMap, readJourney, writeJourney } from '$lib/journey/document';
import { CARD_WIDTH, cardPosition, cellOfCard, DEFAULT_STAGE_WIDTH, gridLayout } from '$lib/journey/layout';
import { JOURNEY_FORMAT, parseJourney, type Journey } from '$lib/journey/schema';
import { BoardActions } from './board-actions';

function board(): { doc: Y.Doc; actions: BoardActions; journey: () => Journey } {
	const doc = new Y.Doc();
	const parsed = parseJourney({
		format: JOURNEY_FORMAT,
		title: 'Test',
		stages: [
			{ id: 's1', name: 'One', order: 1 },
			{ id: 's2', name: 'Two', order: 2 },
			{ id: 's3', name: 'Three', order: 3 }
		],
		lanes: [
			{ id: 'l1', name: 'Touchpoints', order: 1, type: 'touchpoints' },
			{ id: 'l2', name: 'Backstage', order: 2, type: 'backstage' }
		],
		touchpoints: [
			{ id: 'a', stageId: 's1', laneId: 'l1', title: 'A', kind: 'neutral', x: 100, y: 50 },
			{ id: 'b', stageId: 's2', laneId: 'l1', title: 'B', kind: 'neutral', x: DEFAULT_STAGE_WIDTH + 100, y: 50 },
			{ id: 'c', stageId: 's3', laneId: 'l2', title: 'C', kind: 'negative-peak', x: 2 * DEFAULT_STAGE_WIDTH + 100, y: 250 }
		],
		links: [{ id: 'k', source: 'a', target: 'b' }],
		evidence: [{ id: 'e', touchpointId: 'b', type: 'quote', text: 'Slow' }]
	});
	if (!parsed.ok) throw new Error(parsed.error);
	writeJourney(doc, parsed.value);
	return { doc, actions: new BoardActions(doc), journey: () => readJourney(doc) };
}

const byId = (journey: Journey, id: string) => journey.touchpoints.find((touchpoint) => touchpoint.id === id)!;

describe('BoardActions', () => {
	it('gives a dragged card the stage and lane its centre lands in', () => {
		const { actions, journey } = board();
		actions.moveTouchpoints(journey(), [{ id: 'a', x: 2 * DEFAULT_STAGE_WIDTH + 300, y: 260 }]);
		expect(byId(journey(), 'a')).toMatchObject({ stageId: 's3', laneId: 'l2', x: 2 * DEFAULT_STAGE_WIDTH + 300, y: 260 });
	});

	it('places an unplaced card only where it is dropped into a cell', () => {
		const { doc, actions, journey } = board();
		collectionMap(doc, 'stages').delete('s3');
		actions.moveTouchpoints(journey(), [{ id: 'c', x: 100, y: 2_000 }]);
		expect(byId(journey(), 'c')).toMatchObject({ stageId: 's3', laneId: 'l2', x: 2 * DEFAULT_STAGE_WIDTH + 100 });
		actions.moveTouchpoints(journey(), [{ id: 'c', x: DEFAULT_STAGE_WIDTH + 100, y: 250 }]);
		expect(byId(journey(), 'c')).toMatchObject({ stageId: 's2', laneId: 'l2', x: DEFAULT_STAGE_WIDTH + 100, y: 250 });
	});

	it('moves the cards of later columns with them when a column is widened', () => {
		const { actions, journey } = board();
		actions.resizeStage(journey(), 's1', DEFAULT_STAGE_WIDTH + 200);
		const after = journey();
		expect(byId(after, 'a').x).toBe(100);
		expect(byId(after, 'b').x).toBe(DEFAULT_STAGE_WIDTH + 300);
		expect(byId(after, 'c').x).toBe(2 * DEFAULT_STAGE_WIDTH + 300);
		expect(gridLayout(after).columns[1].left).toBe(DEFAULT_STAGE_WIDTH + 200);
	});

	it('never narrows a column past its cards', () => {
		const { actions, journey } = board();
		actions.resizeStage(journey(), 's1', 150);
		const column = gridLayout(journey()).columns[0];
		expect(column.width).toBeGreaterThanOrEqual(100 + CARD_WIDTH);
		expect(byId(journey(), 'b').x - gridLayout(journey()).columns[1].left).toBe(100);
	});

	it('swaps two stages with their cards', () => {
		const { actions, journey } = board();
		actions.moveStage(journey(), 's1', 1);
		const after = journey();
		expect(after.stages.map((stage) => stage.id)).toEqual(['s2', 's1', 's3']);
		expect(byId(after, 'b').x).toBe(100);
		expect(byId(after, 'a').x).toBe(DEFAULT_STAGE_WIDTH + 100);
		expect(after.touchpoints.map((touchpoint) => touchpoint.id)).toEqual(['b', 'a', 'c']);
	});

	it('deletes a stage with its cards, links and evidence, and closes the gap', () => {
		const { actions, journey } = board();
		actions.deleteStage(journey(), 's2');
		const after = journey();
		expect(after.stages.map((stage) => stage.id)).toEqual(['s1', 's3']);
		expect(after.touchpoints.map((touchpoint) => touchpoint.id)).toEqual(['a', 'c']);
		expect(after.links).toEqual([]);
		expect(after.evidence).toEqual([]);
		expect(byId(after, 'c').x).toBe(DEFAULT_STAGE_WIDTH + 100);
	});

	it('deletes a lane and moves the rows below up', () => {
		const { actions, journey } = board();
		actions.addLane(journey(), 'Notes', 'notes');
		actions.deleteLane(journey(), 'l1');
		const after = journey();
		expect(after.lanes.map((lane) => lane.type)).toEqual(['backstage', 'notes']);
		expect(byId(after, 'c').y).toBeLessThan(250);
	});

	it('duplicates a touchpoint with its evidence beside the original', () => {
		const { actions, journey } = board();
		const [copy] = actions.duplicate(journey(), ['b']);
		const after = journey();
		expect(byId(after, copy)).toMatchObject({ title: 'B', stageId: 's2' });
		expect(after.evidence.filter((item) => item.touchpointId === copy)).toHaveLength(1);
	});

	it('connects two touchpoints once', () => {
		const { actions, journey } = board();
		actions.connect('b', 'c');
		actions.connect('b', 'c');
		actions.connect('c', 'c');
		expect(journey().links).toHaveLength(2);
	});

	it('moves a card into the stage and lane chosen in the Details panel, drawn in that cell', () => {
		const { actions, journey } = board();
		actions.moveToCell(journey(), 'a', { stageId: 's3', laneId: 'l2' });
		const after = journey();
		const layout = gridLayout(after);
		const moved = byId(after, 'a');
		expect(moved).toMatchObject({ stageId: 's3', laneId: 'l2' });
		expect(cellOfCard(layout, cardPosition(layout, moved)!)).toEqual({ stageId: 's3', laneId: 'l2' });
		// Not on card c, already in that cell.
		expect(Math.abs(moved.x - byId(after, 'c').x)).toBeGreaterThanOrEqual(CARD_WIDTH);
	});

	it('tidies a cell in one undoable step', () => {
		const { doc, actions, journey } = board();
		actions.moveToCell(journey(), 'a', { stageId: 's2', laneId: 'l1' });
		actions.moveTouchpoints(journey(), [{ id: 'a', x: DEFAULT_STAGE_WIDTH + 40, y: 10 }]);
		const undo = new Y.UndoManager(collectionMap(doc, 'touchpoints'));
		const before = journey();
		actions.tidy(before, [{ stageId: 's2', laneId: 'l1' }]);
		expect(byId(journey(), 'a').x).toBeLessThan(byId(journey(), 'b').x);
		expect(byId(journey(), 'a').y).toBe(byId(journey(), 'b').y);
		undo.undo();
		expect(journey().touchpoints).toEqual(before.touchpoints);
	});

	it('adds a touchpoint into the first touchpoints lane of the first stage', () => {
		const { actions, journey } = board();
		const id = actions.addTouchpoint(journey(), 'New')!;
		expect(byId(journey(), id)).toMatchObject({ stageId: 's1', laneId: 'l1', kind: 'neutral', title: 'New' });
	});
});
