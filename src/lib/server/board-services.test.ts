import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi, type Mock } from 'vitest';
import { templateJourney } from '../journey/templates';
import { eventStream } from './board-event-streams';
import { createBoardInput } from './board-start';
import { createBoardFor, deleteBoard, listMembers, roleOf } from './boards';
import { createComment } from './comments';
import { openDb, type Db } from './db';
import { users } from './db/schema';
import { changeFacilitation, placeVote } from './facilitation';
import { createInvite, findInvite, joinAsGuest, joinBoard } from './invites';
import { addMember, removeMember } from './members';
import { parseInput } from './service-result';
import { registerSyncHub, type SyncHub } from './sync-hub';
import { listVersions, restoreVersion, saveNamedVersion } from './versions';
import { presentStage } from './presentation';

const OWNER = { id: 'owner-1', email: 'olga@example.com', name: 'Olga', isGuest: false };
const EDITOR = { id: 'editor-1', email: 'emil@example.com', name: 'Emil', isGuest: false };
const GUEST = { id: 'guest-1', email: 'guest-1@guest.invalid', name: 'Gus', isGuest: true };

let dataDir: string;
let db: Db;
let hub: { [K in Exclude<keyof SyncHub, 'readDocument'>]: Mock<SyncHub[K]> } & Pick<SyncHub, 'readDocument'>;
let listeners: { stop(): void }[];

beforeEach(() => {
	dataDir = mkdtempSync(join(tmpdir(), 'journey-services-'));
	db = openDb(dataDir);
	for (const user of [OWNER, EDITOR, GUEST])
		db.insert(users)
			.values({ ...user, passwordHash: '', createdAt: 0 })
			.run();
	hub = {
		closeSession: vi.fn<SyncHub['closeSession']>(),
		setMemberRole: vi.fn<SyncHub['setMemberRole']>(),
		closeBoard: vi.fn<SyncHub['closeBoard']>(),
		setLocked: vi.fn<SyncHub['setLocked']>(),
		presentStage: vi.fn<SyncHub['presentStage']>(async (boardId, stageId) => presentStage(boardId, stageId)),
		editDocument: vi.fn<SyncHub['editDocument']>(),
		readDocument: () => {
			throw new Error('not read in these tests');
		}
	};
	registerSyncHub(hub);
	listeners = [];
});

afterEach(() => {
	for (const listener of listeners) listener.stop();
	db.$client.close();
	rmSync(dataDir, { recursive: true, force: true });
});

/** A board made from a template, owned by OWNER. */
async function newBoard(template: 'blank' | 'bank-branch' = 'bank-branch'): Promise<string> {
	const created = await createBoardFor(db, OWNER, body({ title: 'Branch visit', template }), 'en');
	if (!created.ok) throw new Error(created.error);
	return created.id;
}

/** A request body as the API receives it. */
function body(input: unknown): Uint8Array {
	return new TextEncoder().encode(JSON.stringify(input));
}

/** The events one member's stream on the board receives, and whether it was closed. */
function listen(boardId: string, userId = OWNER.id) {
	const abort = new AbortController();
	const reader = eventStream(boardId, { userId, sessionId: `session-${userId}` }, abort.signal).body!.getReader();
	const heard = { events: [] as string[], closed: false, stop: () => abort.abort() };
	listeners.push(heard);
	void (async () => {
		const decoder = new TextDecoder();
		for (;;) {
			const { value, done } = await reader.read();
			if (done) break;
			for (const match of decoder.decode(value).matchAll(/^event: (\w+)$/gm)) heard.events.push(match[1]);
		}
		heard.closed = true;
	})();
	return heard;
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('creating a board', () => {
	test('guests are refused before anything else', async () => {
		expect(await createBoardFor(db, GUEST, body({ title: 'Mine' }), 'en')).toEqual({
			ok: false,
			status: 403,
			error: 'Guests take part in the board they joined; create an account to make boards'
		});
	});

	test('a template needs a title; an imported journey must be valid', async () => {
		expect(await createBoardFor(db, OWNER, body({ template: 'blank' }), 'en')).toMatchObject({
			ok: false,
			status: 400,
			error: 'title is required'
		});
		expect(await createBoardFor(db, OWNER, new TextEncoder().encode('{"title":'), 'en')).toMatchObject({
			ok: false,
			status: 400,
			error: 'The request body must be JSON'
		});
		const invalid = await createBoardFor(db, OWNER, body({ journey: { nope: true } }), 'en');
		expect(invalid).toMatchObject({ ok: false, status: 400 });
		expect(!invalid.ok && invalid.error).toMatch(/^journey is not valid journey JSON: /);
	});

	test('an imported journey keeps its title unless one is given', async () => {
		const journey = templateJourney('lifecycle', 'Imported title');
		const created = await createBoardFor(db, OWNER, body({ journey }), 'en');
		expect(created.ok).toBe(true);
		const renamed = await createBoardFor(db, OWNER, body({ title: 'Given', journey }), 'en');
		expect(renamed.ok).toBe(true);
	});

	test('the creator owns the new board', async () => {
		const id = await newBoard();
		expect(await roleOf(db, id, OWNER.id)).toBe('owner');
	});

	test('form fields are checked with the API’s schema and messages', () => {
		expect(parseInput(createBoardInput, { title: '  ' })).toEqual({ ok: false, error: 'title: title must not be empty' });
		expect(parseInput(createBoardInput, { title: 'Fine', template: 'nope' })).toEqual({
			ok: false,
			error: 'template: template must be one of blank, lifecycle, bank-branch'
		});
		expect(parseInput(createBoardInput, { title: ' Fine ' })).toEqual({ ok: true, data: { title: 'Fine' } });
	});
});

describe('deleting a board', () => {
	test('closes its sockets and event streams', async () => {
		const id = await newBoard();
		const stream = listen(id);
		await deleteBoard(db, id);
		await settled();
		expect(hub.closeBoard).toHaveBeenCalledWith(id);
		expect(stream.closed).toBe(true);
		expect(await roleOf(db, id, OWNER.id)).toBeNull();
	});
});

describe('members', () => {
	test('adding one applies the role to their sockets and tells the board', async () => {
		const id = await newBoard();
		const stream = listen(id);
		const added = await addMember(db, id, { email: EDITOR.email, role: 'editor' });
		expect(added).toEqual({ ok: true, member: { userId: EDITOR.id, email: EDITOR.email, name: EDITOR.name, role: 'editor' } });
		await settled();
		expect(hub.setMemberRole).toHaveBeenCalledWith(id, EDITOR.id, 'editor');
		expect(stream.events).toEqual(['members']);
	});

	test('an unknown email and the last owner are refused, with nothing notified', async () => {
		const id = await newBoard();
		expect(await addMember(db, id, { email: 'nobody@example.com', role: 'viewer' })).toEqual({
			ok: false,
			status: 404,
			error: 'No account with the email nobody@example.com'
		});
		expect(await addMember(db, id, { email: OWNER.email, role: 'editor' })).toEqual({
			ok: false,
			status: 400,
			error: 'A board needs at least one owner'
		});
		expect(await removeMember(db, id, OWNER.id)).toEqual({ ok: false, status: 400, error: 'A board needs at least one owner' });
		expect(await removeMember(db, id, EDITOR.id)).toEqual({ ok: false, status: 404, error: 'Not a member of this board' });
		expect(hub.setMemberRole).not.toHaveBeenCalled();
	});

	test('removing one closes their sockets and streams and tells the others', async () => {
		const id = await newBoard();
		await addMember(db, id, { email: EDITOR.email, role: 'editor' });
		const owner = listen(id);
		const editor = listen(id, EDITOR.id);
		expect(await removeMember(db, id, EDITOR.id)).toEqual({ ok: true });
		await settled();
		expect(hub.setMemberRole).toHaveBeenLastCalledWith(id, EDITOR.id, null);
		expect(editor.closed).toBe(true);
		expect(owner.closed).toBe(false);
		expect(owner.events).toEqual(['members']);
	});

	test('joining through a link, as a member or a new guest, tells the board', async () => {
		const id = await newBoard();
		const stream = listen(id);
		const { token } = await createInvite(db, id, OWNER.id, { role: 'commenter', expiresInHours: 1 });
		const lookup = await findInvite(db, token);
		if (!lookup.ok) throw new Error(lookup.reason);
		expect(await joinBoard(db, lookup.invite, EDITOR.id)).toBe('commenter');
		const guest = await joinAsGuest(db, lookup.invite, 'Walk-in');
		expect(guest).toMatchObject({ name: 'Walk-in', isGuest: true });
		expect(await roleOf(db, id, guest.id)).toBe('commenter');
		await settled();
		expect(stream.events).toEqual(['members', 'members']);
		expect((await listMembers(db, id)).map((member) => member.role)).toEqual(['owner', 'commenter', 'commenter']);
	});
});

describe('facilitation', () => {
	test('only a change of the lock reaches the sockets; every change tells the board', async () => {
		const id = await newBoard();
		const stream = listen(id);
		const locked = await changeFacilitation(db, id, OWNER.id, { locked: true });
		expect(locked).toMatchObject({ ok: true, state: { locked: true } });
		await changeFacilitation(db, id, OWNER.id, { timerSeconds: 60 });
		await settled();
		expect(hub.setLocked).toHaveBeenCalledTimes(1);
		expect(hub.setLocked).toHaveBeenCalledWith(id, true);
		expect(stream.events).toEqual(['facilitation', 'facilitation']);
	});

	test('a rating round needs one of the board’s touchpoints', async () => {
		const id = await newBoard();
		expect(await changeFacilitation(db, id, OWNER.id, { ratingTouchpointId: 'tp-nowhere' })).toEqual({
			ok: false,
			status: 404,
			error: 'No such touchpoint on this board'
		});
	});

	test('dots go on while voting is open, and opening a vote again starts with none', async () => {
		const id = await newBoard('bank-branch');
		const touchpointId = templateJourney('bank-branch', 'x').touchpoints[0].id;
		expect(await placeVote(db, id, OWNER.id, { touchpointId, delta: 1 })).toEqual({ ok: false, status: 409, error: 'Voting is closed' });
		expect(await placeVote(db, id, OWNER.id, { touchpointId: 'tp-nowhere', delta: 1 })).toMatchObject({ ok: false, status: 404 });
		await changeFacilitation(db, id, OWNER.id, { votingOpen: true });
		const stream = listen(id);
		const placed = await placeVote(db, id, OWNER.id, { touchpointId, delta: 1 });
		expect(placed).toMatchObject({ ok: true, votes: { totals: { [touchpointId]: 1 }, remaining: 2 } });
		await settled();
		expect(stream.events).toEqual(['facilitation']);
		await changeFacilitation(db, id, OWNER.id, { votingOpen: false });
		await changeFacilitation(db, id, OWNER.id, { votingOpen: true });
		expect(await placeVote(db, id, OWNER.id, { touchpointId, delta: 1 })).toMatchObject({
			ok: true,
			votes: { totals: { [touchpointId]: 1 } }
		});
	});
});

describe('comments and versions', () => {
	test('a new comment tells the board', async () => {
		const id = await newBoard();
		const stream = listen(id);
		expect(await createComment(db, id, OWNER.id, { body: 'Why so slow?' })).toMatchObject({ ok: true });
		await settled();
		expect(stream.events).toEqual(['comments']);
	});

	test('saving and restoring versions', async () => {
		const id = await newBoard();
		const stream = listen(id);
		const versionId = await saveNamedVersion(db, id, OWNER.id, 'Workshop start');
		expect(await restoreVersion(db, id, 'missing', OWNER.id)).toEqual({ ok: false, status: 404, error: 'Version not found' });
		expect(await restoreVersion(db, id, versionId, OWNER.id)).toEqual({ ok: true });
		await settled();
		expect(hub.editDocument).toHaveBeenCalledTimes(1);
		expect(hub.editDocument.mock.calls[0][0]).toBe(id);
		expect((await listVersions(db, id)).map((version) => version.name)).toEqual(['Before restoring “Workshop start”', 'Workshop start']);
		expect(stream.events).toEqual(['versions', 'versions']);
	});
});
