/**
 * The board and collaboration services on real PostgreSQL: the same functions the SQLite suite
 * (`board-services.test.ts`) drives, run against a server the suite starts. Skipped, with the
 * reason in its name, only where PostgreSQL is not installed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { LockCache } from '../../../server/lock-cache';
import { postgresAvailable, postgresDatabase, postgresSuite } from '../../../tests/support/databases';
import { deleteBoard, listBoards, listMembers, renameBoard, roleOf, boardTitleOf } from './boards';
import { changeComment, createComment, deleteComment, listComments, markMentionsRead, unreadMentions } from './comments';
import type { Db } from './db';
import { tables } from './db/tables';
import { changeFacilitation, facilitationState, isLocked, voteTally } from './facilitation';
import { rememberLocale, setMailDigest, wantsMailDigest } from './mail-digest';
import { removeMember } from './members';
import { departmentsOf, setDepartments } from './my-work';
import { registerSyncHub, type SyncHub } from './sync-hub';
import { listRounds } from './workshop-rounds';
import { presentStage } from './presentation';

const OWNER = { id: 'owner-1', email: 'olga@example.com', name: 'Olga', isGuest: false };
const EDITOR = { id: 'editor-1', email: 'emil@example.com', name: 'Emil', isGuest: false };
const postgres = postgresDatabase();

let db: Db;
let boardCount = 0;

beforeAll(async () => {
	if (!postgresAvailable) return;
	db = await postgres.open();
	const { users } = tables(db);
	await db.insert(users).values([OWNER, EDITOR].map((user) => ({ ...user, passwordHash: '', createdAt: 0 })));
}, 60_000);

afterAll(async () => {
	if (db) await postgres.close(db);
});

beforeEach(() => {
	registerSyncHub({
		closeSession: vi.fn(),
		setMemberRole: vi.fn(),
		closeBoard: vi.fn(),
		setLocked: vi.fn(),
		presentStage: vi.fn(async (boardId: string, stageId: string | null) => presentStage(boardId, stageId)),
		editDocument: vi.fn(),
		readDocument: () => {
			throw new Error('not read in these tests');
		}
	} satisfies SyncHub);
});

/** A board row owned by OWNER, with EDITOR as an editor (its document is another service's). */
async function newBoard(title = 'Branch visit'): Promise<string> {
	const id = `board-${++boardCount}`;
	const { boards, boardMembers } = tables(db);
	const now = Date.now() + boardCount;
	await db.insert(boards).values({ id, title, createdBy: OWNER.id, createdAt: now, updatedAt: now });
	await db.insert(boardMembers).values([
		{ boardId: id, userId: OWNER.id, role: 'owner', addedAt: now },
		{ boardId: id, userId: EDITOR.id, role: 'editor', addedAt: now }
	]);
	return id;
}

describe.skipIf(!postgresAvailable)(postgresSuite('board services on PostgreSQL'), () => {
	test('boards: list, role, title, rename, members, delete', async () => {
		const first = await newBoard('First');
		const second = await newBoard('Second');
		expect((await listBoards(db, EDITOR.id)).map((board) => [board.id, board.role])).toEqual([
			[second, 'editor'],
			[first, 'editor']
		]);
		expect(await roleOf(db, first, OWNER.id)).toBe('owner');
		expect(await roleOf(db, first, 'stranger')).toBeNull();
		await renameBoard(db, first, 'Renamed');
		expect(await boardTitleOf(db, first)).toBe('Renamed');
		expect((await listMembers(db, first)).map((member) => member.role)).toEqual(['owner', 'editor']);
		await deleteBoard(db, second);
		expect(await roleOf(db, second, OWNER.id)).toBeNull();
		expect(await boardTitleOf(db, second)).toBeNull();
	});

	test('members: the last owner stays, another member is removed in one transaction', async () => {
		const id = await newBoard();
		expect(await removeMember(db, id, OWNER.id)).toEqual({ ok: false, status: 400, error: 'A board needs at least one owner' });
		expect(await removeMember(db, id, EDITOR.id)).toEqual({ ok: true });
		expect(await roleOf(db, id, EDITOR.id)).toBeNull();
		expect(await removeMember(db, id, EDITOR.id)).toEqual({ ok: false, status: 404, error: 'Not a member of this board' });
	});

	test('comments: a thread with a mention, edited, resolved, read and deleted', async () => {
		const id = await newBoard();
		const thread = await createComment(db, id, OWNER.id, { body: 'Why so slow?', mentions: [EDITOR.id] });
		if (!thread.ok) throw new Error(thread.error);
		const reply = await createComment(db, id, EDITOR.id, { body: 'Queue at the counter', parentId: thread.id });
		expect(reply.ok).toBe(true);
		expect(await createComment(db, id, OWNER.id, { body: 'Hi', mentions: ['stranger'] })).toMatchObject({ ok: false, status: 400 });
		expect(await unreadMentions(db, EDITOR.id)).toEqual(new Map([[id, 1]]));
		expect(await changeComment(db, id, EDITOR.id, thread.id, { body: 'Not mine' })).toMatchObject({ ok: false, status: 403 });
		expect(await changeComment(db, id, EDITOR.id, thread.id, { resolved: true })).toEqual({ ok: true, id: thread.id });
		const listed = await listComments(db, id);
		expect(listed.map((comment) => [comment.body, comment.resolved, comment.mentions])).toEqual([
			['Why so slow?', true, [EDITOR.id]],
			['Queue at the counter', false, []]
		]);
		await markMentionsRead(db, id, EDITOR.id);
		expect(await unreadMentions(db, EDITOR.id, [id])).toEqual(new Map());
		expect(await deleteComment(db, id, OWNER.id, thread.id)).toEqual({ ok: true, id: thread.id });
		expect(await listComments(db, id)).toEqual([]);
	});

	test('facilitation: the lock, a timer, and a vote round kept as it opens', async () => {
		const id = await newBoard();
		expect(await isLocked(db, id)).toBe(false);
		const locks = new LockCache(db);
		await locks.load(id);
		expect(locks.isLocked(id)).toBe(false);
		expect(await changeFacilitation(db, id, OWNER.id, { locked: true, timerSeconds: 60 })).toMatchObject({
			ok: true,
			state: { locked: true, timerSeconds: 60 }
		});
		expect(await isLocked(db, id)).toBe(true);
		await changeFacilitation(db, id, OWNER.id, { votingOpen: true, votingBudget: 5 });
		expect(await facilitationState(db, id)).toMatchObject({ locked: true, votingOpen: true, votingBudget: 5 });
		expect(await voteTally(db, id, OWNER.id, new Set())).toEqual({ totals: {}, mine: {}, remaining: 5 });
		expect(await listRounds(db, id)).toMatchObject([{ kind: 'vote', budget: 5, endedAt: null, results: null }]);
	});

	test('a person’s settings: departments, digests, language', async () => {
		await setDepartments(db, EDITOR.id, ['Branch operations', 'IT']);
		expect(await departmentsOf(db, EDITOR.id)).toEqual(['Branch operations', 'IT']);
		await setMailDigest(db, EDITOR.id, false);
		expect(await wantsMailDigest(db, EDITOR.id)).toBe(false);
		await setMailDigest(db, EDITOR.id, true);
		expect(await wantsMailDigest(db, EDITOR.id)).toBe(true);
		await rememberLocale(db, EDITOR.id, 'zh-CN');
		const { users } = tables(db);
		expect((await db.select({ locale: users.locale }).from(users)).map((row) => row.locale)).toContain('zh-CN');
	});
});
