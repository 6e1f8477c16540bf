import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { overlapMoves } from '$lib/journey/card-slots';
import { readJourney, writeJourney } from '$lib/journey/document';
import { cardPosition, cellOfCard, DEFAULT_STAGE_WIDTH, gridLayout } from '$lib/journey/layout';
import { BoardActions } from './board-actions';
import { card, GRID_JOURNEY, overlaps } from '../../../tests/support/placement-grid';

/** A small deterministic random generator, so a failing order can be replayed. */
function random(seed: number): () => number {
	let state = seed >>> 0 || 1;
	return () => {
		state ^= state << 13;
		state ^= state >>> 17;
		state ^= state << 5;
		return (state >>> 0) / 2 ** 32;
	};
}

describe('concurrent adds', () => {
	/**
	 * People add cards to one cell at the same moment, from the same state. Updates then reach
	 * the others in a random order; every client that receives one parts overlaps by the rule
	 * (some only later, some never: viewers). All must end with the same board, no overlap.
	 */
	function workshop(seed: number, people: number, adds: number) {
		const rng = random(seed);
		const start = new Y.Doc();
		writeJourney(start, { ...GRID_JOURNEY, touchpoints: [card('existing', 's2', 'l1', DEFAULT_STAGE_WIDTH + 16, 48)] });
		const clients = Array.from({ length: people }, () => {
			const doc = new Y.Doc();
			Y.applyUpdate(doc, Y.encodeStateAsUpdate(start));
			return { doc, actions: new BoardActions(doc), editor: rng() > 0.2, inbox: [] as Uint8Array[] };
		});
		clients[0].editor = true;
		let moves = 0;
		for (const [index, client] of clients.entries()) {
			client.doc.on('update', (update: Uint8Array, origin: unknown) => {
				if (origin === 'remote') return;
				for (const [other, peer] of clients.entries()) if (other !== index) peer.inbox.push(update);
			});
		}
		for (const client of clients) {
			for (let add = 0; add < adds; add += 1) client.actions.addTouchpoint(readJourney(client.doc), 'New', { stageId: 's2', laneId: 'l1' });
		}
		for (let step = 0; step < 10_000; step += 1) {
			const waiting = clients.filter((client) => client.inbox.length > 0);
			if (waiting.length === 0) break;
			const client = waiting[Math.floor(rng() * waiting.length)];
			// Deliver one or several pending updates, in any order.
			const count = 1 + Math.floor(rng() * client.inbox.length);
			for (let delivered = 0; delivered < count; delivered += 1) {
				const [update] = client.inbox.splice(Math.floor(rng() * client.inbox.length), 1);
				Y.applyUpdate(client.doc, update, 'remote');
			}
			if (client.editor && rng() > 0.3) moves += client.actions.separate(readJourney(client.doc));
		}
		// Once the room is quiet, every editor looks once more (as the app does after each change).
		for (let round = 0; round < people; round += 1) {
			for (const client of clients.filter((candidate) => candidate.editor)) moves += client.actions.separate(readJourney(client.doc));
			for (const client of clients) {
				for (const update of client.inbox.splice(0)) Y.applyUpdate(client.doc, update, 'remote');
			}
		}
		return { journeys: clients.map((client) => readJourney(client.doc)), moves };
	}

	for (const seed of [1, 2, 3, 42, 1234, 99_991]) {
		it(`five people adding at once converge to one board with no overlap (seed ${seed})`, () => {
			const { journeys, moves } = workshop(seed, 5, 1);
			for (const journey of journeys) expect(journey).toEqual(journeys[0]);
			expect(journeys[0].touchpoints).toHaveLength(6);
			expect(overlaps(journeys[0])).toEqual([]);
			expect(overlapMoves(journeys[0])).toEqual([]);
			const layout = gridLayout(journeys[0]);
			for (const touchpoint of journeys[0].touchpoints) {
				expect(cellOfCard(layout, cardPosition(layout, touchpoint)!)).toEqual({ stageId: 's2', laneId: 'l1' });
			}
			// No card moved back and forth: at most one move per new card and client.
			expect(moves).toBeLessThanOrEqual(5 * 5);
		});
	}

	it('converges with many people each adding several cards', () => {
		const { journeys } = workshop(7, 8, 3);
		for (const journey of journeys) expect(journey).toEqual(journeys[0]);
		expect(journeys[0].touchpoints).toHaveLength(25);
		expect(overlaps(journeys[0])).toEqual([]);
	}, 30_000);
});
