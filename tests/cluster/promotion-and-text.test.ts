/**
 * What two processes serving one board must agree on without routing: a viewer promoted through
 * one process writes at once through the other (the edit sent before the role change reaches it
 * is not lost, and the socket stays open), and two people's offline typing merged across the
 * processes leaves each card's plain string equal to its collaborative text everywhere.
 */
import { afterAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { putItem } from '../../src/lib/journey/document';
import { storedBoard } from '../sync/battery-helpers';
import { card, textOf, typeOfflineAtOnce } from '../sync/offline-typing';
import { addMember, cleanup, connectClient, getJourney, touchpoint, touchpointIds, waitFor } from '../sync/helpers';
import { clusterBoard, converged } from './cluster-board';

afterAll(cleanup);

const inStep = (doc: Y.Doc, id: string, value: string) => textOf(doc, id) === value && card(doc, id).get('title') === value;

describe('a viewer promoted through one process', () => {
	test('edits sent through the other at once, and those dropped while a viewer, all reach the board; the socket stays open', async () => {
		const { a, b, owner, members, boardId } = await clusterBoard({ members: { member: 'viewer', newcomer: 'viewer' } });
		const ownerClient = connectClient(a, owner.cookie, boardId);
		const memberClient = connectClient(b, members.member.cookie, boardId);
		const newcomerClient = connectClient(b, members.newcomer.cookie, boardId);
		await Promise.all([ownerClient.synced, memberClient.synced, newcomerClient.synced]);
		putItem(memberClient.doc, 'touchpoints', touchpoint('tp-as-viewer'));

		// Promoted through a; each edits through b with no wait at all.
		await addMember(a, owner, boardId, members.member, 'editor');
		putItem(memberClient.doc, 'touchpoints', touchpoint('tp-promoted-1'));
		putItem(memberClient.doc, 'touchpoints', touchpoint('tp-promoted-2'));
		await addMember(a, owner, boardId, members.newcomer, 'editor');
		putItem(newcomerClient.doc, 'touchpoints', touchpoint('tp-first-edit'));

		const expected = ['tp-as-viewer', 'tp-first-edit', 'tp-promoted-1', 'tp-promoted-2'];
		await waitFor(
			() => JSON.stringify(touchpointIds(ownerClient.doc).sort()) === JSON.stringify(expected),
			'every edit to reach the owner'
		);
		await converged([ownerClient, memberClient, newcomerClient]);
		expect(touchpointIds((await storedBoard(a, boardId)).doc).sort()).toEqual(expected);
		expect(memberClient.closeCodes).toEqual([]);
		expect(newcomerClient.closeCodes).toEqual([]);
	});
});

describe('offline typing merged across processes', () => {
	test('the card’s string equals its merged text on both processes, in the store and in the journey', async () => {
		const { a, b, owner, members, boardId } = await clusterBoard({ members: { alice: 'editor', bob: 'editor' } });
		const alice = connectClient(a, members.alice.cookie, boardId);
		const bob = connectClient(b, members.bob.cookie, boardId);
		await Promise.all([alice.synced, bob.synced]);
		const merged = await typeOfflineAtOnce(alice, bob);
		await waitFor(() => inStep(alice.doc, 'tp-1', merged) && inStep(bob.doc, 'tp-1', merged), 'the string to follow on both');
		// Each process's own readers: a fresh client on each, and the journey each serves.
		for (const server of [a, b]) {
			const reader = connectClient(server, owner.cookie, boardId);
			await reader.synced;
			await waitFor(() => inStep(reader.doc, 'tp-1', merged), 'a fresh reader to get the merged string');
			expect((await getJourney(server, owner, boardId)).touchpoints.find((item) => item.id === 'tp-1')?.title).toBe(merged);
		}
		await waitFor(async () => inStep((await storedBoard(a, boardId)).doc, 'tp-1', merged), 'the store to hold the merged string');
		expect(alice.closeCodes.filter((code) => code >= 4000 || code === 1002)).toEqual([]);
	});
});
