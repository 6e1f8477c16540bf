/**
 * What protects a board holds across processes, whichever process a request or a socket lands
 * on: a removed member's sockets close on every process, the facilitator's lock set through one
 * process drops edits on the other, each such change holds everywhere before it is answered, and
 * the log-in throttle counts failures made on either.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { putItem } from '../../src/lib/journey/document';
import { CLOSE_CODES } from '../../server/close-codes';
import { addition, ProbeSocket, storedBoard, syncUpdate } from '../sync/battery-helpers';
import {
	addMember,
	api,
	barrier,
	cleanup,
	connectClient,
	PASSWORD,
	sessionCookie,
	signUp,
	touchpoint,
	touchpointIds,
	upgradeStatus,
	waitFor,
	type Account,
	type Endpoint
} from '../sync/helpers';
import { startCluster } from '../support/cluster';
import { clusterBoard } from './cluster-board';

/** The log-in limits of docs/api.md: failures per account, and per client address. */
const LOGIN_MAX_FAILURES = 5;
/** Changes made through one process while the person's socket is on the other, each raced by a frame. */
const ANSWER_ROUNDS = 20;
/** How late process b hears Redis in that test. */
const REDIS_DELAY_MS = 100;

afterAll(cleanup);

describe('a member removed while connected to both processes', () => {
	test('their sockets close on both with 4403, and neither process lets them back', async () => {
		const { a, b, owner, members, boardId } = await clusterBoard({ members: { member: 'editor' } });
		const ownerClient = connectClient(a, owner.cookie, boardId);
		const onA = connectClient(a, members.member.cookie, boardId);
		const onB = connectClient(b, members.member.cookie, boardId);
		await Promise.all([ownerClient.synced, onA.synced, onB.synced]);

		// Removed through process a: b closes its socket too.
		const removed = await api(a, 'DELETE', `/api/boards/${boardId}/members/${members.member.id}`, { cookie: owner.cookie });
		expect(removed.status).toBe(204);
		await waitFor(() => onA.closeCodes.includes(CLOSE_CODES.accessRevoked), 'the socket on a to close with 4403');
		await waitFor(() => onB.closeCodes.includes(CLOSE_CODES.accessRevoked), 'the socket on b to close with 4403');
		for (const server of [a, b]) expect(await upgradeStatus(server, boardId, { cookie: members.member.cookie })).toBe(404);

		// Whatever the removed member's copy does now reaches nobody.
		putItem(onB.doc, 'touchpoints', touchpoint('tp-after-removal'));
		const late = connectClient(b, owner.cookie, boardId);
		await late.synced;
		await barrier(late, ownerClient);
		expect(touchpointIds(ownerClient.doc)).not.toContain('tp-after-removal');
		expect(touchpointIds((await storedBoard(a, boardId)).doc)).not.toContain('tp-after-removal');
	});
});

describe('the facilitator’s lock', () => {
	test('locked through one process, an editor’s edits on the other are dropped; unlocked through that one, they apply', async () => {
		const { a, b, owner, members, boardId } = await clusterBoard({ members: { editor: 'editor' } });
		const facilitate = (server: Endpoint, locked: boolean) =>
			api(server, 'PATCH', `/api/boards/${boardId}/facilitation`, { cookie: owner.cookie, body: { locked } });
		const lockedOn = async (server: Endpoint) =>
			(await api(server, 'GET', `/api/boards/${boardId}/facilitation`, { cookie: members.editor.cookie })).body.state.locked;
		const ownerClient = connectClient(a, owner.cookie, boardId);
		const editorClient = connectClient(b, members.editor.cookie, boardId);
		await Promise.all([ownerClient.synced, editorClient.synced]);
		putItem(editorClient.doc, 'touchpoints', touchpoint('tp-before-lock'));
		await waitFor(() => touchpointIds(ownerClient.doc).includes('tp-before-lock'), 'an edit before the lock');

		const locked = await facilitate(a, true);
		expect(locked.status).toBe(200);
		expect(await lockedOn(b)).toBe(true);
		putItem(editorClient.doc, 'touchpoints', touchpoint('tp-editor-locked'));
		putItem(ownerClient.doc, 'touchpoints', touchpoint('tp-owner-locked'));
		await waitFor(() => touchpointIds(editorClient.doc).includes('tp-owner-locked'), 'the owner’s edit to reach the editor');
		await barrier(editorClient, ownerClient);
		expect(touchpointIds(ownerClient.doc)).toEqual(['tp-before-lock', 'tp-owner-locked']);
		// An editor who connects to the other process meanwhile cannot write either.
		const editorOnA = connectClient(a, members.editor.cookie, boardId);
		await editorOnA.synced;
		putItem(editorOnA.doc, 'touchpoints', touchpoint('tp-editor-locked-on-a'));
		await barrier(editorOnA, ownerClient);
		expect(touchpointIds(ownerClient.doc)).toEqual(['tp-before-lock', 'tp-owner-locked']);
		expect(touchpointIds((await storedBoard(a, boardId)).doc)).toEqual(['tp-before-lock', 'tp-owner-locked']);

		const unlocked = await facilitate(b, false);
		expect(unlocked.status).toBe(200);
		expect(await lockedOn(a)).toBe(false);
		putItem(editorClient.doc, 'touchpoints', touchpoint('tp-after-unlock'));
		await waitFor(() => touchpointIds(ownerClient.doc).includes('tp-after-unlock'), 'the editor’s edit after the unlock');
		expect(editorClient.closeCodes.filter((code) => code >= 4000)).toEqual([]);
	});
});

describe('a change answered by one process', () => {
	test(`holds on the other before the answer: for ${ANSWER_ROUNDS} sign-outs, removals, demotions and locks, a frame sent right after it is never applied`, async () => {
		// What a publishes reaches b late, as it would a loaded process: an answer given before b
		// applied the change would let the frame through.
		const { a, b, owner, boardId } = await clusterBoard({ redisDelayMs: [0, REDIS_DELAY_MS] });
		const ownerClient = connectClient(a, owner.cookie, boardId);
		await ownerClient.synced;
		const facilitate = (locked: boolean) =>
			api(a, 'PATCH', `/api/boards/${boardId}/facilitation`, { cookie: owner.cookie, body: { locked } });
		const changes: Record<string, (person: Account) => Promise<{ status: number }>> = {
			'sign-out': (person) => api(a, 'POST', '/api/auth/logout', { cookie: person.cookie }),
			removal: (person) => api(a, 'DELETE', `/api/boards/${boardId}/members/${person.id}`, { cookie: owner.cookie }),
			demotion: (person) =>
				api(a, 'POST', `/api/boards/${boardId}/members`, { cookie: owner.cookie, body: { email: person.email, role: 'viewer' } }),
			lock: () => facilitate(true)
		};
		const sent: string[] = [];
		for (let round = 0; round < ANSWER_ROUNDS; round++) {
			const [kind, change] = Object.entries(changes)[round % 4];
			const person = await signUp(b, `Person ${round}`);
			await addMember(b, owner, boardId, person, 'editor');
			// The person's socket is on b and has joined the board's room there.
			const socket = await ProbeSocket.open(b, person.cookie, boardId);
			await waitFor(() => socket.received.length > 0, 'the socket to join the room');
			const id = `tp-${kind}-${round}`;
			const frame = syncUpdate(addition(ownerClient.doc, id));
			// Asked of a; the frame leaves as soon as the answer is in.
			const answer = await change(person);
			expect(answer.status).toBeLessThan(300);
			sent.push(id);
			// A pong: b handled the frame (and dropped it); a close: b had closed the socket already.
			await socket.deliver(frame);
			if (kind === 'lock') expect((await facilitate(false)).status).toBe(200);
			socket.close();
		}
		const check = connectClient(b, owner.cookie, boardId);
		await check.synced;
		await barrier(check, ownerClient);
		for (const id of sent) expect(touchpointIds(ownerClient.doc)).not.toContain(id);
		expect(touchpointIds((await storedBoard(a, boardId)).doc)).toEqual([]);
	});
});

describe('the log-in throttle', () => {
	test(`${LOGIN_MAX_FAILURES} failures spread over both processes block the account on both`, async () => {
		const { processes } = await startCluster();
		const [a, b] = processes;
		const login = (server: Endpoint, email: string, password = PASSWORD) =>
			api(server, 'POST', '/api/auth/login', { body: { email, password } });
		const target = await signUp(a, 'Target');
		const bystander = await signUp(b, 'Bystander');
		for (let i = 0; i < LOGIN_MAX_FAILURES; i++) {
			expect((await login(processes[i % 2], target.email, `guess ${i}`)).status).toBe(401);
		}
		for (const server of [a, b]) {
			const blocked = await login(server, target.email);
			expect(blocked.status).toBe(429);
			expect(sessionCookie(blocked.headers)).toBeNull();
		}
		expect((await login(a, bystander.email)).status).toBe(200);
		expect((await login(b, bystander.email)).status).toBe(200);
	});
});
