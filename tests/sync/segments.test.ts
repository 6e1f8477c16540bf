import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { readJourney, setSegmentValue } from '../../src/lib/journey/document';
import { api, cleanup, createBoard, getJourney, waitFor, type Account, type Client, type TestServer } from './helpers';
import { ALICE_AND_BOB, setupBoard } from './setup';

/** The board as JSON, for comparing documents. */
function state(doc: Y.Doc): string {
	return JSON.stringify(readJourney(doc));
}

describe('customer segments over HTTP and sync', () => {
	let server: TestServer;
	let owner: Account;
	let boardId: string;
	let alice: Client;
	let bob: Client;

	beforeAll(async () => {
		({
			server,
			owner,
			boardId,
			clients: [alice, bob]
		} = await setupBoard({ ...ALICE_AND_BOB, board: { title: 'Branch', template: 'bank-branch' } }));
	});
	afterAll(cleanup);

	test('the bank-branch template comes with its segments and their values, and the analysis finds the gold-card paradox', async () => {
		const journey = await getJourney(server, owner, boardId);
		expect(journey.segments.map((segment) => segment.id)).toEqual(['seg-vip', 'seg-gold', 'seg-regular']);
		expect(journey.touchpoints.find((touchpoint) => touchpoint.id === 't8')?.bySegment?.['seg-gold']).toEqual({
			emotion: -5,
			expectation: 9,
			experience: 7
		});
		const analysis = await api(server, 'GET', `/api/boards/${boardId}/analysis`, { cookie: owner.cookie });
		expect(analysis.status).toBe(200);
		expect(analysis.body.segments.map((segment: { segmentId: string }) => segment.segmentId)).toEqual([
			'seg-vip',
			'seg-gold',
			'seg-regular'
		]);
		expect(analysis.body.paradoxes[0]).toMatchObject({ touchpointId: 't8', segmentId: 'seg-gold', comparedWith: 'seg-regular' });
	});

	test('two people setting different segments’ values of one card at once both keep theirs', async () => {
		// In one synchronous turn, so neither client has seen the other's edit.
		setSegmentValue(alice.doc, 't1', 'seg-vip', 'emotion', 4);
		setSegmentValue(bob.doc, 't1', 'seg-regular', 'emotion', -2);
		const t1 = (doc: Y.Doc) => readJourney(doc).touchpoints.find((touchpoint) => touchpoint.id === 't1');
		await waitFor(
			() => state(alice.doc) === state(bob.doc) && Object.keys(t1(alice.doc)?.bySegment ?? {}).length === 2,
			'the documents to converge'
		);
		const merged = readJourney(bob.doc).touchpoints.find((touchpoint) => touchpoint.id === 't1');
		expect(merged?.bySegment).toEqual({ 'seg-vip': { emotion: 4 }, 'seg-regular': { emotion: -2 } });
		const stored = await waitFor(async () => {
			const journey = await getJourney(server, owner, boardId);
			return journey.touchpoints.find((touchpoint) => touchpoint.id === 't1')?.bySegment?.['seg-regular'] ? journey : null;
		}, 'the server to store both');
		expect(stored.touchpoints.find((touchpoint) => touchpoint.id === 't1')?.bySegment).toEqual(merged?.bySegment);
	});

	test('a journey with segments exported and imported again is equal', async () => {
		const exported = await getJourney(server, owner, boardId);
		const copyId = await createBoard(server, owner, { journey: exported });
		const imported = await getJourney(server, owner, copyId);
		expect(imported).toEqual(exported);
	});

	test('import refuses a bySegment key naming no segment, and a value out of range, with the path', async () => {
		const exported = await getJourney(server, owner, boardId);
		const unknown = structuredClone(exported);
		unknown.touchpoints[2].bySegment = { 'seg-ghost': { emotion: 1 } };
		const refused = await api(server, 'POST', '/api/boards', { cookie: owner.cookie, body: { journey: unknown } });
		expect(refused.status).toBe(400);
		expect(JSON.stringify(refused.body)).toContain('touchpoints[2].bySegment.seg-ghost: no segment');
		const outOfRange = structuredClone(exported);
		outOfRange.touchpoints[2].bySegment = { 'seg-gold': { importance: 12 } };
		const refusedRange = await api(server, 'POST', '/api/boards', { cookie: owner.cookie, body: { journey: outOfRange } });
		expect(refusedRange.status).toBe(400);
		expect(JSON.stringify(refusedRange.body)).toContain('touchpoints[2].bySegment.seg-gold.importance: must be from 0 to 10');
	});
});
