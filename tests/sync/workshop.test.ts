import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newEvidence } from '../../src/lib/journey/touchpoint';
import * as Y from 'yjs';
import { deleteTouchpoint, patchItem, putItem, readJourney } from '../../src/lib/journey/document';
import type { Journey } from '../../src/lib/journey/schema';
import { templateJourney } from '../../src/lib/journey/templates';
import {
	addMember,
	api,
	barrier,
	cleanup,
	connectClient,
	getJourney,
	PASSWORD,
	sessionCookie,
	signUp,
	touchpoint,
	touchpointIds,
	waitFor,
	type Account,
	type ApiResponse,
	type Client,
	type TestServer,
	queryServerDb
} from './helpers';
import { setupBoard, type BoardInput } from './setup';

// Tracker issue 5, "Workshop facilitation, sharing and versions", against the built server:
// role changes and the facilitator's lock on open sockets, invite links and guests, dot voting,
// private ratings, and versions (save, list, compare, restore, the daily automatic version).

function expectError(response: ApiResponse, status: number): void {
	expect(response.status, JSON.stringify(response.body)).toBe(status);
	expect(response.body).toEqual({ error: expect.any(String) });
}

/** Sorted ids of every item of a journey, per collection: what "no duplicates" is checked on. */
function shape(journey: Journey) {
	const ids = (items: { id: string }[]) => items.map((item) => item.id).sort();
	return {
		title: journey.title,
		stages: ids(journey.stages),
		lanes: ids(journey.lanes),
		touchpoints: ids(journey.touchpoints),
		links: ids(journey.links),
		evidence: ids(journey.evidence)
	};
}

/** A journey with its arrays sorted by id, for comparing a client's document with the server's. */
function normalized(journey: Journey): Journey {
	const byId = <T extends { id: string }>(items: readonly T[]) => [...items].sort((a, b) => a.id.localeCompare(b.id));
	return {
		...journey,
		stages: byId(journey.stages),
		lanes: byId(journey.lanes),
		touchpoints: byId(journey.touchpoints),
		links: byId(journey.links),
		evidence: byId(journey.evidence)
	};
}

/** Every item id in a document's collection maps, counting repeats (a Y.Map cannot hold two, but a reader could). */
function allIds(doc: Y.Doc): string[] {
	return ['stages', 'lanes', 'touchpoints', 'links', 'evidence'].flatMap((name) =>
		[...doc.getMap<Y.Map<unknown>>(name).values()].map((item) => `${name}:${String(item.get('id'))}`)
	);
}

/**
 * What a browser sends with a plain form: SvelteKit answers an action with a JSON result when the
 * request prefers JSON (fetch's default `Accept: *\/*` does), and with a 303 to an HTML form post.
 */
const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html,application/xhtml+xml' };

let server: TestServer;
let owner: Account;
let editor: Account;
let commenter: Account;
let viewer: Account;
let outsider: Account;

beforeAll(async () => {
	({
		server,
		owner,
		members: { editor, commenter, viewer, outsider }
	} = await setupBoard({
		owner: 'Olivia Owner',
		members: {
			editor: { role: null, name: 'Eddie Editor' },
			commenter: { role: null, name: 'Carla Commenter' },
			viewer: { role: null, name: 'Vic Viewer' },
			outsider: { role: null, name: 'Oscar Outsider' }
		},
		board: false
	}));
});
afterAll(cleanup);

/** A blank board with the editor, commenter and viewer on it. */
/** A board with every role on it; with `touchpointIds`, a blank board holding those touchpoints. */
async function newBoard(title: string, touchpointIds: string[] = []): Promise<string> {
	const journey = { ...templateJourney('blank', title), touchpoints: touchpointIds.map((id) => touchpoint(id)) };
	return (await boardWith(touchpointIds.length > 0 ? { title, journey } : { title, template: 'blank' })).boardId;
}

/** A board with every role on it, and clients of `clients` connected and synced. */
function boardWith(board: BoardInput, clients: readonly ('owner' | 'editor')[] = []) {
	return setupBoard({
		server,
		owner,
		members: {
			editor: { role: 'editor', account: editor },
			commenter: { role: 'commenter', account: commenter },
			viewer: { role: 'viewer', account: viewer }
		},
		board,
		clients
	});
}

const facilitate = (boardId: string, account: Account, body: unknown) =>
	api(server, 'PATCH', `/api/boards/${boardId}/facilitation`, { cookie: account.cookie, body });
const facilitationOf = async (boardId: string, account: Account) => {
	const response = await api(server, 'GET', `/api/boards/${boardId}/facilitation`, { cookie: account.cookie });
	expect(response.status).toBe(200);
	return response.body;
};
const storedIds = async (boardId: string) => (await getJourney(server, owner, boardId)).touchpoints.map((item) => item.id).sort();

// ─────────────────────────────────────────────────────────────────────────────────────────────
describe('a role change on an open socket', () => {
	let boardId: string;
	let ownerClient: Client;
	let memberClient: Client;

	beforeAll(async () => {
		({
			boardId,
			clients: [ownerClient, memberClient]
		} = await boardWith({ title: 'Role change', template: 'blank' }, ['owner', 'editor']));
	});

	test('editor → viewer: the very next edit is dropped (never relayed, never stored), the socket stays open', async () => {
		putItem(memberClient.doc, 'touchpoints', touchpoint('tp-while-editor'));
		await waitFor(() => touchpointIds(ownerClient.doc).includes('tp-while-editor'), 'the editor’s edit to arrive');

		await addMember(server, owner, boardId, editor, 'viewer');
		// No wait at all between the 201 and the edit: the new role is in force on the open socket.
		putItem(memberClient.doc, 'touchpoints', touchpoint('tp-while-viewer'));
		await barrier(memberClient, ownerClient);

		expect(touchpointIds(ownerClient.doc)).toEqual(['tp-while-editor']);
		expect(await storedIds(boardId)).toEqual(['tp-while-editor']);
		expect(memberClient.closeCodes).toEqual([]);
		expect((await api(server, 'GET', `/api/boards/${boardId}`, { cookie: editor.cookie })).body.board.role).toBe('viewer');
	});

	test('viewer → editor: it writes again on the same socket and both documents converge', async () => {
		await addMember(server, owner, boardId, editor, 'editor');
		putItem(memberClient.doc, 'touchpoints', touchpoint('tp-promoted-again'));
		await waitFor(() => touchpointIds(ownerClient.doc).includes('tp-promoted-again'), 'the re-promoted editor’s edit');
		await waitFor(
			() => JSON.stringify(touchpointIds(ownerClient.doc)) === JSON.stringify(touchpointIds(memberClient.doc)),
			'the two documents to converge'
		);
		expect(await storedIds(boardId)).toContain('tp-promoted-again');
		expect(memberClient.closeCodes).toEqual([]);
	});
});

// ─────────────────────────────────────────────────────────────────────────────────────────────
describe('the facilitator’s lock', () => {
	let boardId: string;
	let ownerClient: Client;
	let editorClient: Client;

	beforeAll(async () => {
		({
			boardId,
			clients: [ownerClient, editorClient]
		} = await boardWith({ title: 'Lock', template: 'blank' }, ['owner', 'editor']));
	});

	test('only owners may lock', async () => {
		expectError(await facilitate(boardId, editor, { locked: true }), 403);
		expectError(await facilitate(boardId, outsider, { locked: true }), 404);
		expectError(await facilitate(boardId, owner, { locked: 'yes' }), 400);
		expect((await facilitationOf(boardId, editor)).state.locked).toBe(false);
	});

	test('while locked an editor’s edits are dropped and the owner’s still apply', async () => {
		putItem(editorClient.doc, 'touchpoints', touchpoint('tp-before-lock'));
		await waitFor(() => touchpointIds(ownerClient.doc).includes('tp-before-lock'), 'an edit before the lock');

		const locked = await facilitate(boardId, owner, { locked: true });
		expect(locked.status).toBe(200);
		expect(locked.body.state.locked).toBe(true);
		expect((await facilitationOf(boardId, editor)).state.locked).toBe(true);

		putItem(editorClient.doc, 'touchpoints', touchpoint('tp-editor-locked'));
		patchItem(editorClient.doc, 'touchpoints', 'tp-before-lock', { title: 'Renamed while locked' });
		putItem(ownerClient.doc, 'touchpoints', touchpoint('tp-owner-locked'));
		await waitFor(() => touchpointIds(editorClient.doc).includes('tp-owner-locked'), 'the owner’s edit to reach the editor');
		await barrier(editorClient, ownerClient);

		expect(touchpointIds(ownerClient.doc)).toEqual(['tp-before-lock', 'tp-owner-locked']);
		expect(readJourney(ownerClient.doc).touchpoints.find((item) => item.id === 'tp-before-lock')?.title).toBe('Touchpoint tp-before-lock');
		expect(await storedIds(boardId)).toEqual(['tp-before-lock', 'tp-owner-locked']);
		expect(editorClient.closeCodes).toEqual([]);
	});

	test('an editor connecting while locked cannot smuggle state in through sync step 2', async () => {
		const offline = new Y.Doc();
		putItem(offline, 'touchpoints', touchpoint('tp-smuggled'));
		const late = connectClient(server, editor.cookie, boardId, { doc: offline });
		await late.synced;
		await barrier(late, ownerClient);
		expect(touchpointIds(ownerClient.doc)).not.toContain('tp-smuggled');
		expect(await storedIds(boardId)).not.toContain('tp-smuggled');
		late.destroy();
	});

	test('the lock survives a restart of the server', async () => {
		await server.restart();
		await waitFor(() => ownerClient.provider.synced && editorClient.provider.synced, 'both clients to resync');
		expect((await facilitationOf(boardId, owner)).state.locked).toBe(true);
		putItem(editorClient.doc, 'touchpoints', touchpoint('tp-after-restart'));
		await barrier(editorClient, ownerClient);
		expect(touchpointIds(ownerClient.doc)).not.toContain('tp-after-restart');
		expect(await storedIds(boardId)).not.toContain('tp-after-restart');
	});

	test('unlocking lets the editor write again, and everyone converges', async () => {
		const unlocked = await facilitate(boardId, owner, { locked: false });
		expect(unlocked.status).toBe(200);
		expect(unlocked.body.state.locked).toBe(false);
		putItem(editorClient.doc, 'touchpoints', touchpoint('tp-after-unlock'));
		await waitFor(() => touchpointIds(ownerClient.doc).includes('tp-after-unlock'), 'the editor’s edit after the unlock');
		await waitFor(
			() => JSON.stringify(readJourney(ownerClient.doc)) === JSON.stringify(readJourney(editorClient.doc)),
			'owner and editor to converge'
		);
		expect(await storedIds(boardId)).toContain('tp-after-unlock');
		expect(editorClient.closeCodes.filter((code) => code >= 4000)).toEqual([]);
	});
});

// ─────────────────────────────────────────────────────────────────────────────────────────────
describe('invite links and guests', () => {
	let boardId: string;

	beforeAll(async () => {
		boardId = await newBoard('Workshop with guests');
	});

	const createInvite = (account: Account, body: unknown) =>
		api(server, 'POST', `/api/boards/${boardId}/invites`, { cookie: account.cookie, body });
	/** The token part of an invite URL. */
	const tokenOf = (url: string) => new URL(url).pathname.split('/').pop()!;
	const joinPage = (token: string, cookie?: string) => api(server, 'GET', `/join/${token}`, { cookie });
	/** Posts the join page's guest form the way a browser without JavaScript would. */
	const joinAsGuest = (token: string, name: string, origin: string | null = server.origin) =>
		api(server, 'POST', `/join/${token}?/guest`, {
			body: new URLSearchParams({ name }).toString(),
			headers: { ...FORM_HEADERS, ...(origin ? { origin } : {}) }
		});
	const joinSignedIn = (token: string, account: Account) =>
		api(server, 'POST', `/join/${token}?/join`, {
			cookie: account.cookie,
			body: '',
			headers: { ...FORM_HEADERS, origin: server.origin }
		});
	const invitesList = async () => (await api(server, 'GET', `/api/boards/${boardId}/invites`, { cookie: owner.cookie })).body.invites;

	/** Joins as a guest through a fresh link with `role`; returns the guest's cookie and the invite. */
	async function guestThrough(role: string, name: string) {
		const created = await createInvite(owner, { role, expiresInHours: 1 });
		expect(created.status).toBe(201);
		const response = await joinAsGuest(tokenOf(created.body.invite.url), name);
		expect(response.status, String(response.body).slice(0, 300)).toBe(303);
		expect(response.headers.get('location')).toBe(`/boards/${boardId}`);
		const cookie = sessionCookie(response.headers);
		expect(cookie).not.toBeNull();
		return { cookie: cookie!, invite: created.body.invite };
	}

	test('only owners create links; bad input is 400', async () => {
		expectError(await createInvite(editor, { role: 'editor', expiresInHours: 1 }), 403);
		expectError(await createInvite(outsider, { role: 'editor', expiresInHours: 1 }), 404);
		expectError(await createInvite(owner, { role: 'owner', expiresInHours: 1 }), 400);
		expectError(await createInvite(owner, { role: 'editor', expiresInHours: 0 }), 400);
		expectError(await createInvite(owner, { role: 'editor', expiresInHours: 24 * 365 }), 400);
		expectError(await createInvite(owner, { role: 'editor' }), 400);
		const created = await createInvite(owner, { role: 'viewer', expiresInHours: 2 });
		expect(created.status).toBe(201);
		expect(created.body.invite).toMatchObject({ role: 'viewer', id: expect.any(String), expiresAt: expect.any(String) });
		expect(created.body.invite.url).toMatch(/\/join\/[a-z0-9]{20,}$/);
		// The secret is shown once: the list never carries it.
		expect(JSON.stringify(await invitesList())).not.toContain(tokenOf(created.body.invite.url));
		expect((await joinPage(tokenOf(created.body.invite.url))).status).toBe(200);
		expect((await joinPage('no-such-token')).status).toBe(404);
	});

	test('joining as a guest gives a session cookie and membership with the link’s role', async () => {
		const { cookie, invite } = await guestThrough('editor', 'Gina Guest');
		const me = await api(server, 'GET', '/api/me', { cookie });
		expect(me.status).toBe(200);
		expect(me.body.user).toMatchObject({ name: 'Gina Guest' });
		const board = await api(server, 'GET', `/api/boards/${boardId}`, { cookie });
		expect(board.status).toBe(200);
		expect(board.body.board.role).toBe('editor');
		const members = (await api(server, 'GET', `/api/boards/${boardId}`, { cookie: owner.cookie })).body.board.members;
		expect(members).toContainEqual(expect.objectContaining({ userId: me.body.user.id, name: 'Gina Guest', role: 'editor' }));
		expect((await invitesList()).find((item: { id: string }) => item.id === invite.id).uses).toBe(1);

		// The guest's socket writes like any editor's.
		const guestClient = connectClient(server, cookie, boardId);
		const ownerClient = connectClient(server, owner.cookie, boardId);
		await Promise.all([guestClient.synced, ownerClient.synced]);
		putItem(guestClient.doc, 'touchpoints', touchpoint('tp-by-guest'));
		await waitFor(() => touchpointIds(ownerClient.doc).includes('tp-by-guest'), 'the guest’s edit');
		guestClient.destroy();
		ownerClient.destroy();
	});

	test('a commenter link makes a commenter; a name is required; another origin is refused', async () => {
		const { cookie } = await guestThrough('commenter', 'Chris Commenting Guest');
		expect((await api(server, 'GET', `/api/boards/${boardId}`, { cookie })).body.board.role).toBe('commenter');

		const created = await createInvite(owner, { role: 'editor', expiresInHours: 1 });
		const token = tokenOf(created.body.invite.url);
		const nameless = await joinAsGuest(token, '   ');
		expect(nameless.status).toBe(400);
		expect(sessionCookie(nameless.headers)).toBeNull();
		const foreign = await joinAsGuest(token, 'Mallory', 'https://evil.example');
		expect(foreign.status).toBe(403);
		expect(sessionCookie(foreign.headers)).toBeNull();
		// A browser-less client without Origin passes, like the JSON API.
		expect((await joinAsGuest(token, 'No Origin', null)).status).toBe(303);
	});

	test('a signed-in account joins with the link’s role; a stronger role it already has is kept', async () => {
		const newcomer = await signUp(server, 'Nina Newcomer');
		const created = await createInvite(owner, { role: 'commenter', expiresInHours: 1 });
		const token = tokenOf(created.body.invite.url);
		expect((await api(server, 'GET', `/api/boards/${boardId}`, { cookie: newcomer.cookie })).status).toBe(404);
		const joined = await joinSignedIn(token, newcomer);
		expect(joined.status).toBe(303);
		expect(joined.headers.get('location')).toBe(`/boards/${boardId}`);
		expect((await api(server, 'GET', `/api/boards/${boardId}`, { cookie: newcomer.cookie })).body.board.role).toBe('commenter');
		// The owner following a commenter link stays owner; the editor stays editor.
		expect((await joinSignedIn(token, owner)).status).toBe(303);
		expect((await joinSignedIn(token, editor)).status).toBe(303);
		const members = (await api(server, 'GET', `/api/boards/${boardId}`, { cookie: owner.cookie })).body.board.members;
		expect(members.find((member: { userId: string }) => member.userId === owner.id).role).toBe('owner');
		expect(members.find((member: { userId: string }) => member.userId === editor.id).role).toBe('editor');
	});

	test('someone with an account who is not logged in comes back to the link after logging in', async () => {
		const created = await createInvite(owner, { role: 'viewer', expiresInHours: 1 });
		const token = tokenOf(created.body.invite.url);
		const back = `/join/${token}`;
		const signedOut = await api(server, 'POST', `/join/${token}?/join`, { body: '', headers: { ...FORM_HEADERS, origin: server.origin } });
		expect(signedOut.status).toBe(303);
		expect(signedOut.headers.get('location')).toBe(`/login?next=${encodeURIComponent(back)}`);
		expect(await joinPage(token).then((page) => String(page.body))).toContain(`/login?next=${encodeURIComponent(back)}`);

		const returning = await signUp(server, 'Rita Returning');
		const logIn = (next: string) =>
			api(server, 'POST', `/login?next=${encodeURIComponent(next)}`, {
				body: new URLSearchParams({ email: returning.email, password: PASSWORD }).toString(),
				headers: { ...FORM_HEADERS, origin: server.origin }
			});
		const loggedIn = await logIn(back);
		expect(loggedIn.status).toBe(303);
		expect(loggedIn.headers.get('location')).toBe(back);
		expect(
			(await api(server, 'GET', `/login?next=${encodeURIComponent(back)}`, { cookie: returning.cookie })).headers.get('location')
		).toBe(back);
		// Only paths on this site: anything else goes to the board list.
		for (const elsewhere of ['//evil.example/x', '/\\evil.example', '/\t/evil.example', 'https://evil.example/']) {
			expect((await logIn(elsewhere)).headers.get('location')).toBe('/boards');
		}
	});

	test('an expired link is refused (410) and makes nobody a member', async () => {
		const created = await createInvite(owner, { role: 'editor', expiresInHours: 0.0003 }); // about 1 s
		expect(created.status).toBe(201);
		const token = tokenOf(created.body.invite.url);
		await waitFor(async () => (await joinPage(token)).status === 410, 'the link to expire', 15_000);
		const before = (await api(server, 'GET', `/api/boards/${boardId}`, { cookie: owner.cookie })).body.board.members.length;
		const guest = await joinAsGuest(token, 'Too Late');
		expect(guest.status).toBe(410);
		expect(sessionCookie(guest.headers)).toBeNull();
		const latecomer = await signUp(server, 'Larry Latecomer');
		expect((await joinSignedIn(token, latecomer)).status).toBe(410);
		expect((await api(server, 'GET', `/api/boards/${boardId}`, { cookie: latecomer.cookie })).status).toBe(404);
		expect((await api(server, 'GET', `/api/boards/${boardId}`, { cookie: owner.cookie })).body.board.members.length).toBe(before);
		expect((await invitesList()).find((item: { id: string }) => item.id === created.body.invite.id)).toMatchObject({
			expired: true,
			uses: 0
		});
	});

	test('a revoked link is refused (410); people who joined through it stay members', async () => {
		const { cookie, invite } = await guestThrough('viewer', 'Early Bird');
		const token = tokenOf(invite.url);
		expectError(await api(server, 'DELETE', `/api/boards/${boardId}/invites/${invite.id}`, { cookie: editor.cookie }), 403);
		expect((await api(server, 'DELETE', `/api/boards/${boardId}/invites/${invite.id}`, { cookie: owner.cookie })).status).toBe(204);
		expectError(await api(server, 'DELETE', `/api/boards/${boardId}/invites/no-such-invite`, { cookie: owner.cookie }), 404);
		expect((await joinPage(token)).status).toBe(410);
		const guest = await joinAsGuest(token, 'Too Late Again');
		expect(guest.status).toBe(410);
		expect(sessionCookie(guest.headers)).toBeNull();
		expect((await invitesList()).find((item: { id: string }) => item.id === invite.id)).toMatchObject({ revoked: true, uses: 1 });
		expect((await api(server, 'GET', `/api/boards/${boardId}`, { cookie })).body.board.role).toBe('viewer');
	});

	test('guests cannot create boards; upgrading keeps their id, comments and membership', async () => {
		const { cookie } = await guestThrough('editor', 'Gus Guest');
		const guestId = (await api(server, 'GET', '/api/me', { cookie })).body.user.id;
		expectError(await api(server, 'POST', '/api/boards', { cookie, body: { title: 'Mine', template: 'blank' } }), 403);
		const comment = await api(server, 'POST', `/api/boards/${boardId}/comments`, { cookie, body: { body: 'A guest’s thought' } });
		expect(comment.status).toBe(201);

		// Only guests upgrade, to an email nobody has, with a valid password.
		expectError(
			await api(server, 'POST', '/api/auth/upgrade', { cookie: editor.cookie, body: { email: 'x@example.test', password: PASSWORD } }),
			400
		);
		expectError(await api(server, 'POST', '/api/auth/upgrade', { cookie, body: { email: editor.email, password: PASSWORD } }), 409);
		expectError(
			await api(server, 'POST', '/api/auth/upgrade', { cookie, body: { email: editor.email.toUpperCase(), password: PASSWORD } }),
			409
		);
		// A guest has no password: its placeholder address (members see it) never logs in.
		const guestEmail = (await api(server, 'GET', '/api/me', { cookie })).body.user.email;
		for (const password of ['', PASSWORD]) {
			expectError(await api(server, 'POST', '/api/auth/login', { body: { email: guestEmail, password } }), 401);
		}
		expectError(await api(server, 'POST', '/api/auth/upgrade', { cookie, body: { email: 'gus@example.test', password: 'short' } }), 400);
		expectError(await api(server, 'POST', '/api/auth/upgrade', { body: { email: 'gus@example.test', password: PASSWORD } }), 401);

		const upgraded = await api(server, 'POST', '/api/auth/upgrade', { cookie, body: { email: 'gus@example.test', password: PASSWORD } });
		expect(upgraded.status).toBe(200);
		expect(upgraded.body.user).toMatchObject({ id: guestId, email: 'gus@example.test', name: 'Gus Guest' });
		expectError(await api(server, 'POST', '/api/auth/upgrade', { cookie, body: { email: 'gus2@example.test', password: PASSWORD } }), 400);

		// The same account logs in with its new password and finds everything it had.
		const login = await api(server, 'POST', '/api/auth/login', { body: { email: 'gus@example.test', password: PASSWORD } });
		expect(login.status).toBe(200);
		expect(login.body.user.id).toBe(guestId);
		const fresh = sessionCookie(login.headers)!;
		const boards = (await api(server, 'GET', '/api/boards', { cookie: fresh })).body.boards;
		expect(boards).toContainEqual(expect.objectContaining({ id: boardId, role: 'editor' }));
		const comments = (await api(server, 'GET', `/api/boards/${boardId}/comments`, { cookie: fresh })).body.comments;
		expect(comments.find((item: { id: string }) => item.id === comment.body.comment.id)).toBeDefined();
		expect(JSON.stringify(comments.find((item: { id: string }) => item.id === comment.body.comment.id))).toContain(guestId);
		// The old guest session still works, and both may now create boards.
		expect((await api(server, 'GET', '/api/me', { cookie })).body.user).toMatchObject({ id: guestId, email: 'gus@example.test' });
		expect((await api(server, 'POST', '/api/boards', { cookie: fresh, body: { title: 'Now mine', template: 'blank' } })).status).toBe(201);
	});
});

// ─────────────────────────────────────────────────────────────────────────────────────────────
describe('dot voting', () => {
	let boardId: string;

	beforeAll(async () => {
		boardId = await newBoard('Voting', ['tp-a', 'tp-b']);
	});

	const vote = (account: Account, touchpointId: string, delta: number) =>
		api(server, 'POST', `/api/boards/${boardId}/votes`, { cookie: account.cookie, body: { touchpointId, delta } });

	test('votes are refused while voting is closed', async () => {
		expect((await facilitationOf(boardId, editor)).state.votingOpen).toBe(false);
		expectError(await vote(editor, 'tp-a', 1), 409);
	});

	test('each person has the budget; past it is 409; taking a dot back frees one', async () => {
		expectError(await facilitate(boardId, editor, { votingOpen: true }), 403);
		expectError(await facilitate(boardId, owner, { votingOpen: true, votingBudget: 0 }), 400);
		const opened = await facilitate(boardId, owner, { votingOpen: true, votingBudget: 2 });
		expect(opened.status).toBe(200);
		expect(opened.body.state).toMatchObject({ votingOpen: true, votingBudget: 2 });

		expect((await vote(editor, 'tp-a', 1)).body.votes).toEqual({ totals: { 'tp-a': 1 }, mine: { 'tp-a': 1 }, remaining: 1 });
		expect((await vote(editor, 'tp-a', 1)).body.votes.remaining).toBe(0);
		expectError(await vote(editor, 'tp-b', 1), 409);
		expectError(await vote(editor, 'tp-a', 1), 409);
		expect((await vote(commenter, 'tp-b', 1)).status).toBe(200);
		expectError(await vote(viewer, 'tp-b', 1), 403);
		expectError(await vote(outsider, 'tp-b', 1), 404);
		expectError(await vote(editor, 'tp-a', 2), 400);
		expectError(await vote(commenter, 'tp-gone', 1), 404);
		expectError(await vote(commenter, 'tp-a', -1), 400);

		const back = await vote(editor, 'tp-a', -1);
		expect(back.body.votes).toEqual({ totals: { 'tp-a': 1, 'tp-b': 1 }, mine: { 'tp-a': 1 }, remaining: 1 });
		expect((await vote(editor, 'tp-b', 1)).body.votes.remaining).toBe(0);
		expectError(await vote(editor, 'tp-b', 1), 409);

		// Everyone sees the totals, and only their own dots.
		const seenByOwner = (await facilitationOf(boardId, owner)).votes;
		expect(seenByOwner).toEqual({ totals: { 'tp-a': 1, 'tp-b': 2 }, mine: {}, remaining: 2 });
		expect((await facilitationOf(boardId, viewer)).votes.totals).toEqual({ 'tp-a': 1, 'tp-b': 2 });
	});

	test('closing keeps the result and refuses votes; reopening starts a new round with no dots', async () => {
		expect((await facilitate(boardId, owner, { votingOpen: false })).status).toBe(200);
		expectError(await vote(commenter, 'tp-a', 1), 409);
		expect((await facilitationOf(boardId, owner)).votes.totals).toEqual({ 'tp-a': 1, 'tp-b': 2 });

		expect((await facilitate(boardId, owner, { votingOpen: true })).status).toBe(200);
		expect((await facilitationOf(boardId, editor)).votes).toEqual({ totals: {}, mine: {}, remaining: 2 });
		expect((await vote(editor, 'tp-a', 1)).status).toBe(200);
	});

	test('a dot on a card deleted since is back in the budget, and counts again when the card is restored', async () => {
		const cardsBoard = await newBoard('Voting on deleted cards', ['tp-a', 'tp-b']);
		const castOn = (touchpointId: string, delta: number) =>
			api(server, 'POST', `/api/boards/${cardsBoard}/votes`, { cookie: editor.cookie, body: { touchpointId, delta } });
		expect((await facilitate(cardsBoard, owner, { votingOpen: true, votingBudget: 2 })).status).toBe(200);
		expect((await castOn('tp-a', 1)).status).toBe(200);
		expect((await castOn('tp-b', 1)).body.votes.remaining).toBe(0);

		const facilitator = connectClient(server, owner.cookie, cardsBoard);
		await facilitator.synced;
		const removed = readJourney(facilitator.doc).touchpoints.find((item) => item.id === 'tp-b')!;
		deleteTouchpoint(facilitator.doc, 'tp-b');
		const afterDelete = await waitFor(async () => {
			const { votes } = await facilitationOf(cardsBoard, editor);
			return votes.remaining === 1 ? votes : null;
		}, 'the dot on the deleted card to return to the budget');
		expect(afterDelete).toEqual({ totals: { 'tp-a': 1 }, mine: { 'tp-a': 1 }, remaining: 1 });
		expectError(await castOn('tp-b', 1), 404);
		expectError(await castOn('tp-b', -1), 404);

		// Restored (an undo, say): the dot it had counts again.
		putItem(facilitator.doc, 'touchpoints', removed);
		const afterRestore = await waitFor(async () => {
			const { votes } = await facilitationOf(cardsBoard, editor);
			return votes.remaining === 0 ? votes : null;
		}, 'the restored card to count its dot again');
		expect(afterRestore).toEqual({ totals: { 'tp-a': 1, 'tp-b': 1 }, mine: { 'tp-a': 1, 'tp-b': 1 }, remaining: 0 });
		facilitator.destroy();
	});
});

// ─────────────────────────────────────────────────────────────────────────────────────────────
describe('private ratings with a reveal', () => {
	let boardId: string;

	beforeAll(async () => {
		boardId = await newBoard('Ratings', ['tp-a', 'tp-b']);
	});

	const rate = (account: Account, touchpointId: string, emotion: number) =>
		api(server, 'POST', `/api/boards/${boardId}/ratings`, { cookie: account.cookie, body: { touchpointId, emotion } });

	test('no round, no rating', async () => {
		expect((await facilitationOf(boardId, editor)).rating).toBeNull();
		expectError(await rate(editor, 'tp-a', 2), 409);
	});

	test('before the reveal others see how many rated, never the values', async () => {
		expectError(await facilitate(boardId, editor, { ratingTouchpointId: 'tp-a' }), 403);
		expectError(await facilitate(boardId, owner, { ratingTouchpointId: 'tp-gone' }), 404);
		expect((await facilitate(boardId, owner, { ratingTouchpointId: 'tp-a' })).status).toBe(200);

		const first = await rate(editor, 'tp-a', -2);
		expect(first.status).toBe(200);
		expect(first.body.rating).toMatchObject({ touchpointId: 'tp-a', revealed: false, count: 1, mine: -2, results: null });
		expect((await rate(commenter, 'tp-a', 3)).status).toBe(200);
		// Changing one's mind replaces the rating.
		expect((await rate(commenter, 'tp-a', 4)).body.rating).toMatchObject({ count: 2, mine: 4, results: null });

		expectError(await rate(editor, 'tp-b', 1), 409);
		expectError(await rate(editor, 'tp-a', 6), 400);
		expectError(await rate(editor, 'tp-a', 1.5), 400);
		expectError(await rate(viewer, 'tp-a', 1), 403);

		const seenByOwner = (await facilitationOf(boardId, owner)).rating;
		expect(seenByOwner).toEqual({
			touchpointId: 'tp-a',
			segmentId: null,
			revealed: false,
			count: 2,
			mine: null,
			adopted: null,
			results: null
		});
		const seenByEditor = (await facilitationOf(boardId, editor)).rating;
		expect(seenByEditor).toEqual({
			touchpointId: 'tp-a',
			segmentId: null,
			revealed: false,
			count: 2,
			mine: -2,
			adopted: null,
			results: null
		});
		// Not anywhere in what another member gets.
		const raw = JSON.stringify(await facilitationOf(boardId, viewer));
		expect(raw).not.toContain('Carla');
		expect((await facilitationOf(boardId, viewer)).rating.mine).toBeNull();
	});

	test('the reveal shows every rating, anonymous, with mean and spread; names only when the facilitator shows them', async () => {
		expect((await facilitate(boardId, owner, { ratingRevealed: true })).status).toBe(200);
		const round = (await facilitationOf(boardId, viewer)).rating;
		expect(round).toMatchObject({ touchpointId: 'tp-a', revealed: true, count: 2 });
		expect(round.results).toMatchObject({ mean: 1, min: -2, max: 4, spread: 3, named: false });
		expect(round.results.ratings).toEqual([
			{ userId: null, name: null, emotion: -2 },
			{ userId: null, name: null, emotion: 4 }
		]);
		expect(JSON.stringify(await facilitationOf(boardId, viewer))).not.toContain('Eddie');
		expectError(await facilitate(boardId, editor, { ratingNamesShown: true }), 403);
		expect((await facilitate(boardId, owner, { ratingNamesShown: true })).status).toBe(200);
		expect((await facilitationOf(boardId, viewer)).rating.results.ratings).toEqual(
			expect.arrayContaining([
				{ userId: editor.id, name: 'Eddie Editor', emotion: -2 },
				{ userId: commenter.id, name: 'Carla Commenter', emotion: 4 }
			])
		);
		expectError(await rate(editor, 'tp-a', 0), 409);
	});

	test('a new round on the same touchpoint starts empty and hidden', async () => {
		expect((await facilitate(boardId, owner, { ratingTouchpointId: 'tp-a' })).status).toBe(200);
		expect((await facilitationOf(boardId, editor)).rating).toEqual({
			touchpointId: 'tp-a',
			segmentId: null,
			revealed: false,
			count: 0,
			mine: null,
			adopted: null,
			results: null
		});
		expect((await facilitate(boardId, owner, { ratingTouchpointId: null })).status).toBe(200);
		expect((await facilitationOf(boardId, editor)).rating).toBeNull();
	});
});

// ─────────────────────────────────────────────────────────────────────────────────────────────
describe('versions', () => {
	let boardId: string;
	let ownerClient: Client;
	let editorClient: Client;
	let v1: string;
	let v2: string;

	/** The workshop's board before: a at −3 with a weighted gap of 5 × (4 − 7) = −15, b at +2, c unrated. */
	const START: Journey = {
		format: 'journey-map/v1',
		title: 'Versioned journey',
		stages: [
			{ id: 'stage-a', name: 'Arrive', order: 1 },
			{ id: 'stage-b', name: 'Leave', order: 2 }
		],
		lanes: [{ id: 'lane-t', name: 'Touchpoints', order: 1, type: 'touchpoints' }],
		touchpoints: [
			touchpoint('tp-a', {
				stageId: 'stage-a',
				laneId: 'lane-t',
				title: 'Queue',
				x: 0,
				emotion: -3,
				expectation: 7,
				experience: 4,
				importance: 5
			}),
			touchpoint('tp-b', { stageId: 'stage-a', laneId: 'lane-t', title: 'Counter', x: 200, emotion: 2 }),
			touchpoint('tp-c', { stageId: 'stage-b', laneId: 'lane-t', title: 'Leaflet', x: 0 })
		],
		links: [
			{ id: 'l-ab', source: 'tp-a', target: 'tp-b', label: '' },
			{ id: 'l-bc', source: 'tp-b', target: 'tp-c', label: '' }
		],
		evidence: [
			newEvidence({ id: 'ev-a', touchpointId: 'tp-a', type: 'quote', text: 'It took ages', count: 3 }),
			newEvidence({ id: 'ev-c', touchpointId: 'tp-c', type: 'observation', text: 'Nobody reads it' })
		]
	} as unknown as Journey;

	const listVersions = async (account: Account = owner) => {
		const response = await api(server, 'GET', `/api/boards/${boardId}/versions`, { cookie: account.cookie });
		expect(response.status).toBe(200);
		return response.body.versions as {
			id: string;
			name: string;
			automatic: boolean;
			createdAt: string;
			author: { id: string; name: string } | null;
			touchpoints: number;
		}[];
	};
	const compare = (from: string, to?: string) =>
		api(server, 'GET', `/api/boards/${boardId}/versions/compare?from=${from}${to ? `&to=${to}` : ''}`, { cookie: viewer.cookie });

	beforeAll(async () => {
		({
			boardId,
			clients: [ownerClient, editorClient]
		} = await setupBoard({
			server,
			owner,
			members: { editor: { role: 'editor', account: editor }, viewer: { role: 'viewer', account: viewer } },
			board: { journey: START },
			clients: ['owner', 'editor']
		}));
	});

	test('save (editors and owners) and list with author and time', async () => {
		expectError(await api(server, 'POST', `/api/boards/${boardId}/versions`, { cookie: viewer.cookie, body: { name: 'Nope' } }), 403);
		expectError(await api(server, 'POST', `/api/boards/${boardId}/versions`, { cookie: editor.cookie, body: { name: '  ' } }), 400);
		const before = Date.now();
		const saved = await api(server, 'POST', `/api/boards/${boardId}/versions`, { cookie: editor.cookie, body: { name: 'As-is' } });
		expect(saved.status).toBe(201);
		v1 = saved.body.id;

		const versions = await listVersions(viewer);
		expect(versions).toHaveLength(1);
		expect(versions[0]).toMatchObject({
			id: v1,
			name: 'As-is',
			automatic: false,
			author: { id: editor.id, name: 'Eddie Editor' },
			touchpoints: 3
		});
		expect(Date.parse(versions[0].createdAt)).toBeGreaterThanOrEqual(before - 1000);
		expect(Date.parse(versions[0].createdAt)).toBeLessThanOrEqual(Date.now() + 1000);

		// A version saved before the count was kept is counted from its state.
		await queryServerDb(server, 'UPDATE versions SET touchpoints = NULL WHERE id = ?', [v1]);
		expect((await listVersions(viewer))[0].touchpoints).toBe(3);
	});

	test('GET one version gives its journey and analysis; unknown ids are 404', async () => {
		const one = await api(server, 'GET', `/api/boards/${boardId}/versions/${v1}`, { cookie: viewer.cookie });
		expect(one.status).toBe(200);
		expect(one.body.name).toBe('As-is');
		expect(shape(one.body.journey)).toEqual(shape(START));
		expect(one.body.analysis.peakEnd.remembered).toBe(-0.5);
		expectError(await api(server, 'GET', `/api/boards/${boardId}/versions/nope`, { cookie: viewer.cookie }), 404);
		expectError(await api(server, 'GET', `/api/boards/${boardId}/versions/${v1}`, { cookie: outsider.cookie }), 404);
	});

	test('compare shows added, removed and changed touchpoints with emotion, weighted and remembered deltas', async () => {
		// The workshop's edits: a gets better (emotion 1, experience 8), c goes, d comes at +4.
		ownerClient.doc.transact(() => {
			patchItem(ownerClient.doc, 'touchpoints', 'tp-a', { emotion: 1, experience: 8 });
			deleteTouchpoint(ownerClient.doc, 'tp-c');
			putItem(
				ownerClient.doc,
				'touchpoints',
				touchpoint('tp-d', { stageId: 'stage-b', laneId: 'lane-t', title: 'Follow-up call', x: 0, emotion: 4 })
			);
			putItem(ownerClient.doc, 'links', { id: 'l-bd', source: 'tp-b', target: 'tp-d', label: 'calls' });
			putItem(ownerClient.doc, 'evidence', { ...START.evidence[0], id: 'ev-d', touchpointId: 'tp-d', text: 'Loved the call' });
		});
		await waitFor(async () => (await storedIds(boardId)).includes('tp-d'), 'the edits to be stored');
		const saved = await api(server, 'POST', `/api/boards/${boardId}/versions`, { cookie: owner.cookie, body: { name: 'To-be' } });
		expect(saved.status).toBe(201);
		v2 = saved.body.id;

		for (const to of [v2, 'current', undefined]) {
			const response = await compare(v1, to);
			expect(response.status).toBe(200);
			const { comparison } = response.body;
			expect(comparison.added).toEqual([{ touchpointId: 'tp-d', title: 'Follow-up call' }]);
			expect(comparison.removed).toEqual([{ touchpointId: 'tp-c', title: 'Leaflet' }]);
			expect(comparison.changed).toEqual([
				{
					touchpointId: 'tp-a',
					title: 'Queue',
					fields: ['emotion', 'experience'],
					emotion: { before: -3, after: 1, delta: 4 },
					weighted: { before: -15, after: 5, delta: 20 }
				}
			]);
			// Peak and end: before a (−3) and b (+2) → −0.5; after d (+4) is both → 4.
			expect(comparison.remembered).toEqual({ before: -0.5, after: 4, delta: 4.5 });
			expect(comparison.average.before).toBe(-0.5);
			expect(comparison.average.after).toBeCloseTo(7 / 3);
		}
		const reverse = (await compare(v2, v1)).body.comparison;
		expect(reverse.added).toEqual([{ touchpointId: 'tp-c', title: 'Leaflet' }]);
		expect(reverse.removed).toEqual([{ touchpointId: 'tp-d', title: 'Follow-up call' }]);
		expectError(await compare('nope'), 404);
		expectError(await api(server, 'GET', `/api/boards/${boardId}/versions/compare`, { cookie: viewer.cookie }), 400);
	});

	test('restore: an online client and one that reconnects afterwards both converge, without duplicates', async () => {
		// The editor goes offline before the restore and comes back after it.
		editorClient.provider.disconnect();
		await waitFor(() => !editorClient.provider.wsconnected, 'the editor to be offline');

		expectError(await api(server, 'POST', `/api/boards/${boardId}/versions/${v1}/restore`, { cookie: editor.cookie }), 403);
		expectError(await api(server, 'POST', `/api/boards/${boardId}/versions/nope/restore`, { cookie: owner.cookie }), 404);
		const restored = await api(server, 'POST', `/api/boards/${boardId}/versions/${v1}/restore`, { cookie: owner.cookie });
		expect(restored.status).toBe(200);

		const expected = normalized({ ...START, segments: [], actions: [] });
		await waitFor(
			async () => JSON.stringify(normalized(await getJourney(server, owner, boardId))) === JSON.stringify(expected),
			'the server to hold the restored journey'
		);
		await waitFor(
			() => JSON.stringify(normalized(readJourney(ownerClient.doc))) === JSON.stringify(expected),
			'the online client to converge'
		);

		editorClient.provider.connect();
		await waitFor(
			() => editorClient.provider.synced && JSON.stringify(normalized(readJourney(editorClient.doc))) === JSON.stringify(expected),
			'the reconnected client to converge'
		);
		await barrier(editorClient, ownerClient);
		const server_ = normalized(await getJourney(server, owner, boardId));
		expect(normalized(readJourney(editorClient.doc))).toEqual(server_);
		expect(normalized(readJourney(ownerClient.doc))).toEqual(server_);
		expect(shape(server_)).toEqual(shape(START));
		for (const doc of [editorClient.doc, ownerClient.doc]) {
			const ids = allIds(doc);
			expect(new Set(ids).size).toBe(ids.length);
		}
		// The restored board still syncs: an edit after it reaches the other side once.
		putItem(editorClient.doc, 'touchpoints', touchpoint('tp-after-restore', { stageId: 'stage-b', laneId: 'lane-t' }));
		await waitFor(() => touchpointIds(ownerClient.doc).includes('tp-after-restore'), 'an edit after the restore');
		expect(touchpointIds(ownerClient.doc)).toEqual(['tp-a', 'tp-after-restore', 'tp-b', 'tp-c']);
	});

	test('restoring first saved the board as it was as a "Before restoring" version', async () => {
		const versions = await listVersions();
		const before = versions.find((version) => version.name.startsWith('Before restoring'));
		expect(before).toBeDefined();
		expect(before!.name).toContain('As-is');
		expect(before!.author).toEqual({ id: owner.id, name: 'Olivia Owner' });
		const journey = (await api(server, 'GET', `/api/boards/${boardId}/versions/${before!.id}`, { cookie: owner.cookie })).body.journey;
		expect(shape(journey).touchpoints).toEqual(['tp-a', 'tp-b', 'tp-d']);
		expect(shape(journey).links).toEqual(['l-ab', 'l-bd']);
		// Restoring that one undoes the restore.
		expect((await compare(before!.id, v2)).body.comparison).toMatchObject({ added: [], removed: [], changed: [] });
	});
});

// ─────────────────────────────────────────────────────────────────────────────────────────────
describe('the daily automatic version', () => {
	let boardId: string;

	const listVersions = async () =>
		(await api(server, 'GET', `/api/boards/${boardId}/versions`, { cookie: owner.cookie })).body.versions as {
			name: string;
			automatic: boolean;
			touchpoints: number;
		}[];

	beforeAll(async () => {
		({ boardId } = await setupBoard({
			server,
			owner,
			members: { editor: { role: 'editor', account: editor } },
			board: { journey: emptyJourney('Daily') }
		}));
	});

	function emptyJourney(title: string): Journey {
		return {
			format: 'journey-map/v1',
			title,
			stages: [{ id: 'stage-1', name: 'Stage', order: 1 }],
			lanes: [{ id: 'lane-touchpoints', name: 'Touchpoints', order: 1, type: 'touchpoints' }],
			touchpoints: [touchpoint('tp-existing')],
			links: [],
			evidence: []
		} as unknown as Journey;
	}

	test('connecting and reconnecting (nothing new to send) makes no version', async () => {
		const first = connectClient(server, editor.cookie, boardId);
		const witness = connectClient(server, owner.cookie, boardId);
		await Promise.all([first.synced, witness.synced]);
		first.provider.disconnect();
		await waitFor(() => !first.provider.wsconnected, 'the client to disconnect');
		first.provider.connect();
		await waitFor(() => first.provider.synced && first.provider.wsconnected, 'the client to resync');
		await barrier(first, witness);
		// A second client that joins with a copy of the board it already has.
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(first.doc));
		const again = connectClient(server, editor.cookie, boardId, { doc: copy });
		await again.synced;
		await barrier(again, witness);
		expect(await listVersions()).toEqual([]);
		first.destroy();
		again.destroy();
		witness.destroy();
	});

	test('the first real edit of the day keeps the board as it was before; later edits add nothing', async () => {
		const client = connectClient(server, editor.cookie, boardId);
		const witness = connectClient(server, owner.cookie, boardId);
		await Promise.all([client.synced, witness.synced]);
		putItem(client.doc, 'touchpoints', touchpoint('tp-first-today'));
		await waitFor(async () => (await listVersions()).length === 1, 'the automatic version');
		const [automatic] = await listVersions();
		const day = new Date().toISOString().slice(0, 10);
		expect(automatic).toMatchObject({ automatic: true, touchpoints: 1 });
		expect(automatic.name).toContain(day);

		putItem(client.doc, 'touchpoints', touchpoint('tp-second-today'));
		patchItem(client.doc, 'touchpoints', 'tp-first-today', { title: 'Edited again' });
		await waitFor(() => touchpointIds(witness.doc).includes('tp-second-today'), 'the second edit');
		await barrier(client, witness);
		expect(await listVersions()).toHaveLength(1);
		client.destroy();
		witness.destroy();
	});

	test('after a restart, reconnects and edits still make no second version that day', async () => {
		const client = connectClient(server, editor.cookie, boardId);
		await client.synced;
		await server.restart();
		await waitFor(() => client.provider.synced && client.provider.wsconnected, 'the client to resync after the restart');
		const witness = connectClient(server, owner.cookie, boardId);
		await witness.synced;
		await barrier(client, witness);
		expect(await listVersions()).toHaveLength(1);
		putItem(client.doc, 'touchpoints', touchpoint('tp-after-restart'));
		await waitFor(() => touchpointIds(witness.doc).includes('tp-after-restart'), 'the edit after the restart');
		expect(await listVersions()).toHaveLength(1);
		client.destroy();
		witness.destroy();
	});
});
