/**
 * Battery: authorization matrix. Every role (owner, editor, commenter, viewer, non-member,
 * signed-out, expired and signed-out-since sessions) against every sync message type and every
 * HTTP write on boards, members, files, comments and journey import. Read-only document writes
 * are all dropped with the board unchanged; refused HTTP writes change nothing; frames that reach
 * the server after it closed a socket (a removed member's, a signed-out session's, or those right
 * behind a refused frame) are never applied.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { putItem } from '../../src/lib/journey/document';
import { templateJourney } from '../../src/lib/journey/templates';
import { CLOSE_CODES } from '../../server/close-codes';
import { MESSAGE_AUTH } from '../../server/protocol';
import {
	addition,
	awarenessFrame,
	awarenessUpdate,
	fingerprint,
	ProbeSocket,
	queryAwareness,
	storedBoard,
	syncStep1,
	syncStep2,
	syncUpdate
} from './battery-helpers';
import {
	acceptInvite,
	addMember,
	api,
	barrier,
	cleanup,
	connectClient,
	FOREIGN_ORIGIN,
	loadFresh,
	PASSWORD,
	sessionCookie,
	signUp,
	touchpoint,
	touchpointIds,
	upgradeStatus,
	waitFor,
	type Account,
	type TestServer,
	queryServerDb
} from './helpers';
import { formWith, TINY_PNG } from './http-helpers';
import { setupBoard } from './setup';

const MEMBER_ROLES = ['owner', 'editor', 'commenter', 'viewer'] as const;
type MemberRole = (typeof MEMBER_ROLES)[number];
type Actor = MemberRole | 'non-member' | 'signed-out';
const ACTORS: Actor[] = [...MEMBER_ROLES, 'non-member', 'signed-out'];
const WRITERS: readonly Actor[] = ['owner', 'editor'];
/** Document writes each read-only role sends in the "100% rejected" check. */
const READ_ONLY_WRITES = 100;

/** Sets a session's expiry in the past, straight in the database. */
async function expireSession(server: TestServer, cookie: string): Promise<void> {
	const token = cookie.slice('session='.length);
	const id = createHash('sha256').update(token).digest('hex'); // the stored id (src/lib/server/session.ts)
	const { changes } = await queryServerDb(server, 'UPDATE sessions SET expires_at = ? WHERE id = ?', [Date.now() - 1000, id]);
	if (changes !== 1) throw new Error('session to expire not found');
}

describe('authorization matrix', () => {
	let server: TestServer;
	const accounts = {} as Record<MemberRole | 'non-member', Account>;
	let boardId: string;

	const cookieOf = (actor: Actor): string | undefined => (actor === 'signed-out' ? undefined : accounts[actor].cookie);

	beforeAll(async () => {
		const setup = await setupBoard({
			members: { editor: 'editor', commenter: 'commenter', viewer: 'viewer', outsider: null },
			board: { title: 'Matrix', template: 'lifecycle' }
		});
		({ server, boardId } = setup);
		const { editor, commenter, viewer, outsider } = setup.members;
		Object.assign(accounts, { owner: setup.owner, editor, commenter, viewer, 'non-member': outsider });
	});
	afterAll(cleanup);

	describe('sync endpoint', () => {
		test.each([
			['non-member', 404],
			['signed-out', 401]
		] as const)('a %s is refused at the upgrade with %i', async (actor, status) => {
			expect(await upgradeStatus(server, boardId, { cookie: cookieOf(actor) })).toBe(status);
			expect(await upgradeStatus(server, boardId, { cookie: 'session=not-a-real-token' })).toBe(401);
		});

		test('a session that expired or was signed out is refused with 401, and so are its HTTP requests', async () => {
			const login = await api(server, 'POST', '/api/auth/login', { body: { email: accounts.viewer.email, password: PASSWORD } });
			const expiring = sessionCookie(login.headers)!;
			expect(await upgradeStatus(server, boardId, { cookie: expiring })).toBe(101);
			await expireSession(server, expiring);
			expect(await upgradeStatus(server, boardId, { cookie: expiring })).toBe(401);
			expect((await api(server, 'GET', '/api/me', { cookie: expiring })).status).toBe(401);
			expect((await api(server, 'POST', '/api/boards', { cookie: expiring, body: { title: 'x' } })).status).toBe(401);

			const second = sessionCookie(
				(await api(server, 'POST', '/api/auth/login', { body: { email: accounts.viewer.email, password: PASSWORD } })).headers
			)!;
			expect((await api(server, 'POST', '/api/auth/logout', { cookie: second })).status).toBe(204);
			expect(await upgradeStatus(server, boardId, { cookie: second })).toBe(401);
			expect((await api(server, 'GET', `/api/boards/${boardId}`, { cookie: second })).status).toBe(401);
			// The viewer's first session is untouched.
			expect(await upgradeStatus(server, boardId, { cookie: accounts.viewer.cookie })).toBe(101);
		});

		test('an Origin naming another site is refused with 403 for every role', async () => {
			for (const role of MEMBER_ROLES) {
				expect(await upgradeStatus(server, boardId, { cookie: accounts[role].cookie, origin: FOREIGN_ORIGIN })).toBe(403);
			}
		});

		test.each(MEMBER_ROLES)('%s: every message type gets its contract answer', async (role) => {
			const watcher = connectClient(server, accounts.owner.cookie, boardId);
			await watcher.synced;
			const socket = await ProbeSocket.open(server, accounts[role].cookie, boardId);
			const storedBefore = fingerprint((await storedBoard(server, boardId)).doc);

			// Sync step 1: answered with sync step 2, whatever the role.
			const answered = socket.received.length;
			expect(await socket.deliver(syncStep1(new Uint8Array([0])))).toEqual({ closed: false });
			await waitFor(() => socket.received.slice(answered).some((frame) => frame[0] === 0 && frame[1] === 1), 'sync step 2');

			// Sync step 2 and update: taken, applied only for writers.
			expect(await socket.deliver(syncStep2(addition(watcher.doc, `tp-${role}-step2`)))).toEqual({ closed: false });
			expect(await socket.deliver(syncUpdate(addition(watcher.doc, `tp-${role}-update`)))).toEqual({ closed: false });

			// Awareness flows for every role, under the account's own name; a query is answered.
			const clientId = 4_000_000 + MEMBER_ROLES.indexOf(role);
			expect(await socket.deliver(awarenessFrame(awarenessUpdate([{ clientId, clock: 1, state: { user: { name: role } } }])))).toEqual({
				closed: false
			});
			await waitFor(
				() => watcher.provider.awareness.getStates().get(clientId)?.user?.name === accounts[role].name,
				'the awareness to flow'
			);
			expect(watcher.provider.awareness.getStates().get(clientId)?.user?.id).toBe(accounts[role].id);
			const queried = socket.received.length;
			expect(await socket.deliver(queryAwareness())).toEqual({ closed: false });
			await waitFor(() => socket.received.slice(queried).some((frame) => frame[0] === 1), 'the awareness answer');

			const fresh = await loadFresh(server, accounts.owner, boardId);
			const written = [`tp-${role}-step2`, `tp-${role}-update`];
			if (WRITERS.includes(role)) {
				for (const id of written) expect(touchpointIds(fresh)).toContain(id);
			} else {
				for (const id of written) expect(touchpointIds(fresh)).not.toContain(id);
				expect(fingerprint((await storedBoard(server, boardId)).doc)).toBe(storedBefore);
			}

			// Auth messages and unknown types are not the client's to send.
			expect(await socket.deliver(new Uint8Array([MESSAGE_AUTH, 0]))).toEqual({ closed: true, code: CLOSE_CODES.protocolError });
			const another = await ProbeSocket.open(server, accounts[role].cookie, boardId);
			expect(await another.deliver(new Uint8Array([7, 0]))).toEqual({ closed: true, code: CLOSE_CODES.protocolError });
			watcher.destroy();
		});

		test.each(['commenter', 'viewer'] as const)(
			`%s: ${READ_ONLY_WRITES} document writes of every kind are all dropped; board and log unchanged`,
			async (role) => {
				const base = await loadFresh(server, accounts.owner, boardId);
				const storedBefore = await storedBoard(server, boardId);
				const reader = connectClient(server, accounts[role].cookie, boardId);
				const socket = await ProbeSocket.open(server, accounts[role].cookie, boardId);
				await reader.synced;
				for (let i = 0; i < READ_ONLY_WRITES; i++) {
					const update = addition(base, `tp-${role}-forbidden-${i}`);
					const frame =
						i % 3 === 0
							? syncStep2(update)
							: i % 3 === 1
								? syncUpdate(update)
								: syncUpdate(Y.mergeUpdates([update, addition(base, `tp-${role}-merged-${i}`)]));
					expect(await socket.deliver(frame)).toEqual({ closed: false });
					// And through a real provider, as the browser would.
					putItem(reader.doc, 'touchpoints', touchpoint(`tp-${role}-provider-${i}`));
				}
				const owner = connectClient(server, accounts.owner.cookie, boardId);
				await barrier(reader, owner);
				const after = await loadFresh(server, accounts.owner, boardId);
				expect(fingerprint(after)).toBe(fingerprint(base));
				const storedAfter = await storedBoard(server, boardId);
				expect(storedAfter.logRows).toBe(storedBefore.logRows);
				expect(fingerprint(storedAfter.doc)).toBe(fingerprint(storedBefore.doc));
				expect(reader.closeCodes).toEqual([]);
				owner.destroy();
				reader.destroy();
			}
		);

		test('frames behind a refused frame, or sent after removal or sign-out, are never applied', async () => {
			const base = await loadFresh(server, accounts.owner, boardId);
			// A refused frame and a valid update in one burst: the update arrives after the close.
			const socket = await ProbeSocket.open(server, accounts.editor.cookie, boardId);
			socket.socket.send(new Uint8Array([MESSAGE_AUTH, 0]));
			socket.socket.send(syncUpdate(addition(base, 'tp-behind-refused')));
			await waitFor(() => socket.closeCode !== null, 'the close');
			expect(socket.closeCode).toBe(CLOSE_CODES.protocolError);

			// A member removed by the owner: the socket closes at once; what it sends later is dropped.
			const member = await signUp(server, 'Soon removed');
			await addMember(server, accounts.owner, boardId, member, 'editor');
			const removed = await ProbeSocket.open(server, member.cookie, boardId);
			expect((await api(server, 'DELETE', `/api/boards/${boardId}/members/${member.id}`, { cookie: accounts.owner.cookie })).status).toBe(
				204
			);
			if (removed.open) removed.socket.send(syncUpdate(addition(base, 'tp-after-removal')));
			await waitFor(() => removed.closeCode !== null, 'the removed member’s socket to close');
			expect(removed.closeCode).toBe(CLOSE_CODES.accessRevoked);

			// A session signed out: the same.
			const leaver = await signUp(server, 'Leaver');
			await addMember(server, accounts.owner, boardId, leaver, 'editor');
			const leaving = await ProbeSocket.open(server, leaver.cookie, boardId);
			expect((await api(server, 'POST', '/api/auth/logout', { cookie: leaver.cookie })).status).toBe(204);
			if (leaving.open) leaving.socket.send(syncUpdate(addition(base, 'tp-after-logout')));
			await waitFor(() => leaving.closeCode !== null, 'the signed-out socket to close');
			expect(leaving.closeCode).toBe(CLOSE_CODES.sessionEnded);

			const fresh = await loadFresh(server, accounts.owner, boardId);
			for (const id of ['tp-behind-refused', 'tp-after-removal', 'tp-after-logout']) expect(touchpointIds(fresh)).not.toContain(id);
		});
	});

	describe('HTTP writes', () => {
		/** Expected status per actor: owner first, then editor, commenter, viewer, non-member, signed-out. */
		const statuses = (owner: number, editor: number, commenter: number, viewer: number) =>
			({ owner, editor, commenter, viewer, 'non-member': 404, 'signed-out': 401 }) as Record<Actor, number>;

		async function boardExists(id: string): Promise<boolean> {
			return (await api(server, 'GET', `/api/boards/${id}`, { cookie: accounts.owner.cookie })).status === 200;
		}
		async function memberRoles(): Promise<Record<string, string>> {
			const board = (await api(server, 'GET', `/api/boards/${boardId}`, { cookie: accounts.owner.cookie })).body.board;
			return Object.fromEntries(board.members.map((member: { email: string; role: string }) => [member.email, member.role]));
		}
		async function comments(): Promise<{ id: string; body: string; resolved?: boolean; resolvedAt?: string | null }[]> {
			return (await api(server, 'GET', `/api/boards/${boardId}/comments`, { cookie: accounts.owner.cookie })).body.comments;
		}

		test.each(ACTORS)('%s: create a board, and import a journey', async (actor) => {
			const expected = actor === 'signed-out' ? 401 : 201;
			const created = await api(server, 'POST', '/api/boards', { cookie: cookieOf(actor), body: { title: `By ${actor}` } });
			expect(created.status).toBe(expected);
			const imported = await api(server, 'POST', '/api/boards', {
				cookie: cookieOf(actor),
				body: { journey: templateJourney('lifecycle', `Imported by ${actor}`) }
			});
			expect(imported.status).toBe(expected);
			// Bad import input is a 400 for anyone signed in, never a 500.
			const bad = await api(server, 'POST', '/api/boards', { cookie: cookieOf(actor), body: { journey: { format: 'nope' } } });
			expect(bad.status).toBe(actor === 'signed-out' ? 401 : 400);
		});

		test.each(ACTORS)('%s: add and remove members', async (actor) => {
			// The target's address is not confirmed (no mail here): the owner's add is a personal invite.
			const expected = statuses(202, 403, 403, 403);
			const target = await signUp(server, `Target of ${actor}`);
			const before = await memberRoles();
			const added = await api(server, 'POST', `/api/boards/${boardId}/members`, {
				cookie: cookieOf(actor),
				body: { email: target.email, role: 'viewer' }
			});
			expect(added.status).toBe(expected[actor]);
			if (added.status === 202) {
				expect(await memberRoles()).toEqual(before);
				await acceptInvite(server, target, added.body.invite.url);
			} else {
				expect(await memberRoles()).toEqual(before);
				// Nor may anyone but the owner promote themselves.
				if (actor !== 'signed-out' && actor !== 'non-member') {
					const self = await api(server, 'POST', `/api/boards/${boardId}/members`, {
						cookie: cookieOf(actor),
						body: { email: accounts[actor].email, role: 'owner' }
					});
					expect(self.status).toBe(403);
				}
				await addMember(server, accounts.owner, boardId, target, 'viewer');
			}
			const removal = await api(server, 'DELETE', `/api/boards/${boardId}/members/${target.id}`, { cookie: cookieOf(actor) });
			expect(removal.status).toBe(statuses(204, 403, 403, 403)[actor]);
			expect(Object.keys(await memberRoles()).includes(target.email)).toBe(removal.status !== 204);
		});

		test.each(ACTORS)('%s: attach an evidence file', async (actor) => {
			const response = await fetch(`${server.url}/api/boards/${boardId}/files`, {
				method: 'POST',
				headers: cookieOf(actor) ? { cookie: cookieOf(actor)! } : {},
				body: formWith({ bytes: TINY_PNG, name: 'evidence.png', type: 'image/png' })
			});
			expect(response.status).toBe(statuses(201, 201, 403, 403)[actor]);
		});

		test.each(ACTORS)('%s: comment, resolve, edit and delete comments', async (actor) => {
			const expected = statuses(201, 201, 201, 403);
			const target = (
				await api(server, 'POST', `/api/boards/${boardId}/comments`, {
					cookie: accounts.owner.cookie,
					body: { body: `Thread for ${actor}` }
				})
			).body.comment;
			const count = (await comments()).length;

			const own = await api(server, 'POST', `/api/boards/${boardId}/comments`, { cookie: cookieOf(actor), body: { body: `By ${actor}` } });
			expect(own.status).toBe(expected[actor]);
			expect((await comments()).length).toBe(count + (own.status === 201 ? 1 : 0));

			const resolve = await api(server, 'PATCH', `/api/boards/${boardId}/comments/${target.id}`, {
				cookie: cookieOf(actor),
				body: { resolved: true }
			});
			expect(resolve.status).toBe(statuses(200, 200, 200, 403)[actor]);
			const edit = await api(server, 'PATCH', `/api/boards/${boardId}/comments/${target.id}`, {
				cookie: cookieOf(actor),
				body: { body: 'rewritten' }
			});
			expect(edit.status).toBe(statuses(200, 403, 403, 403)[actor]);
			if (edit.status !== 200) expect((await comments()).find((comment) => comment.id === target.id)?.body).toBe(`Thread for ${actor}`);
			const remove = await api(server, 'DELETE', `/api/boards/${boardId}/comments/${target.id}`, { cookie: cookieOf(actor) });
			expect(remove.status).toBe(statuses(204, 403, 403, 403)[actor]);
			expect((await comments()).some((comment) => comment.id === target.id)).toBe(remove.status !== 204);
			if (own.status === 201) {
				expect(
					(await api(server, 'DELETE', `/api/boards/${boardId}/comments/${own.body.comment.id}`, { cookie: cookieOf(actor) })).status
				).toBe(204);
			}
			const read = await api(server, 'POST', `/api/boards/${boardId}/comments/read`, { cookie: cookieOf(actor) });
			expect(read.status).toBe(statuses(204, 204, 204, 204)[actor]);
		});

		test.each(ACTORS)('%s: delete a board', async (actor) => {
			const { boardId: doomed } = await setupBoard({
				server,
				owner: accounts.owner,
				members: {
					editor: { role: 'editor', account: accounts.editor },
					commenter: { role: 'commenter', account: accounts.commenter },
					viewer: { role: 'viewer', account: accounts.viewer }
				},
				board: { title: `Doomed by ${actor}` }
			});
			const response = await api(server, 'DELETE', `/api/boards/${doomed}`, { cookie: cookieOf(actor) });
			expect(response.status).toBe(statuses(204, 403, 403, 403)[actor]);
			expect(await boardExists(doomed)).toBe(response.status !== 204);
		});
	});
});
