/**
 * Redis stops and starts again: each process goes on serving its own sockets, edits made on one
 * process still reach the other's clients within its polling of PostgreSQL, and once Redis is
 * back the board converges everywhere, and what was changed meanwhile (a removal, a sign-out) holds on every process.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { putItem } from '../../src/lib/journey/document';
import { fingerprint, storedBoard } from '../sync/battery-helpers';
import { CLOSE_CODES } from '../../server/close-codes';
import { api, barrier, cleanup, connectClient, loadFresh, touchpoint, touchpointIds, waitFor } from '../sync/helpers';
import { clusterBoard, converged } from './cluster-board';

afterAll(cleanup);

describe('Redis stopped and started', () => {
	test('each process keeps serving its sockets; the board converges while Redis is down and after', async () => {
		const { cluster, a, b, owner, members, boardId } = await clusterBoard({ members: { editor: 'editor' } });
		const onA = connectClient(a, owner.cookie, boardId);
		const alsoOnA = connectClient(a, members.editor.cookie, boardId);
		const onB = connectClient(b, members.editor.cookie, boardId);
		const clients = [onA, alsoOnA, onB];
		await Promise.all(clients.map((client) => client.synced));
		putItem(onA.doc, 'touchpoints', touchpoint('tp-before'));
		await converged(clients, 'the clients to converge before the outage');

		await cluster.redis.halt();
		putItem(onA.doc, 'touchpoints', touchpoint('tp-down-a'));
		await waitFor(() => touchpointIds(alsoOnA.doc).includes('tp-down-a'), 'an edit to reach a client of the same process');
		putItem(onB.doc, 'touchpoints', touchpoint('tp-down-b'));
		await waitFor(() => touchpointIds(onA.doc).includes('tp-down-b'), 'an edit on b to reach a through PostgreSQL');
		await waitFor(() => touchpointIds(onB.doc).includes('tp-down-a'), 'an edit on a to reach b through PostgreSQL');
		// A client that connects meanwhile loads from PostgreSQL what both processes stored.
		expect(touchpointIds(await loadFresh(b, owner, boardId))).toEqual(['tp-before', 'tp-down-a', 'tp-down-b']);
		const whileDown = await converged(clients, 'the clients to converge while Redis is down');

		await cluster.redis.start();
		putItem(onB.doc, 'touchpoints', touchpoint('tp-after-b'));
		putItem(onA.doc, 'touchpoints', touchpoint('tp-after-a'));
		const agreed = await converged(clients, 'the clients to converge once Redis is back');
		expect(agreed).not.toBe(whileDown);
		expect(touchpointIds(onA.doc)).toEqual(['tp-after-a', 'tp-after-b', 'tp-before', 'tp-down-a', 'tp-down-b']);
		expect(fingerprint(await loadFresh(a, owner, boardId))).toBe(agreed);
		const stored = await storedBoard(a, boardId);
		expect(stored.integrity).toBe('ok');
		expect(fingerprint(stored.doc)).toBe(agreed);
		// Presence crosses processes again once Redis is back.
		await barrier(onB, onA);
	});

	test('a member removed through one process while Redis is down is closed on the other once it is back', async () => {
		const { cluster, a, b, owner, members, boardId } = await clusterBoard({ members: { member: 'editor' } });
		const onB = connectClient(b, members.member.cookie, boardId);
		await onB.synced;
		await cluster.redis.halt();
		const removed = await api(a, 'DELETE', `/api/boards/${boardId}/members/${members.member.id}`, { cookie: owner.cookie });
		expect(removed.status).toBe(204);
		await cluster.redis.start();
		await waitFor(() => onB.closeCodes.includes(CLOSE_CODES.accessRevoked), 'the socket on b to close with 4403 once Redis is back');
	});

	test('a sign-out through one process while Redis is down closes the session’s socket on the other once it is back', async () => {
		const { cluster, a, b, members, boardId } = await clusterBoard({ members: { member: 'editor' } });
		const onB = connectClient(b, members.member.cookie, boardId);
		await onB.synced;
		await cluster.redis.halt();
		const signedOut = await api(a, 'POST', '/api/auth/logout', { cookie: members.member.cookie });
		expect(signedOut.status).toBe(204);
		await cluster.redis.start();
		// Not left to the keep-alive's next round (30 s): b checks its sockets' sessions once Redis is back.
		await waitFor(() => onB.closeCodes.includes(CLOSE_CODES.sessionEnded), 'the socket on b to close with 4401 once Redis is back');
	});
});
