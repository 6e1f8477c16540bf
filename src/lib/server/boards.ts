import { and, desc, eq, sql } from 'drizzle-orm';
import { byRank, type Role } from '../journey/roles';
import type { Locale } from '../i18n';
import { notifyBoard } from './board-notify';
import type { Db } from './db';
import { boardMembers, boards, users } from './db/schema';
import { storeSnapshot } from './doc-store';
import { tables } from './db/tables';
import { transaction } from './db/transaction';
import { readRunner } from './reads/read-runner';
import type { StartingBoard } from './board-start';
import { newId } from './random-ids';
import { refuse, type Refusal } from './service-result';
import type { SessionUser } from './session';

export interface BoardSummary {
	id: string;
	title: string;
	role: Role;
	updatedAt: string;
}

export interface BoardMember {
	userId: string;
	email: string;
	name: string;
	role: Role;
}

/** Why `user` may not create boards (guests take part in the board they joined), or null. */
export function refuseBoardCreation(user: SessionUser): Refusal | null {
	return user.isGuest ? refuse(403, 'Guests take part in the board they joined; create an account to make boards') : null;
}

/**
 * Creates a board for `user` from a request body (JSON of `createBoardInput`): a template (`title`
 * required) or an imported journey (its title unless `title` is given); the id of the new board.
 * The document is built off the event loop, so importing the largest board holds up nobody.
 */
export async function createBoardFor(
	db: Db,
	user: SessionUser,
	body: Uint8Array,
	language: Locale
): Promise<{ ok: true; id: string } | Refusal> {
	const refused = refuseBoardCreation(user);
	if (refused) return refused;
	const start = (await readRunner().run({ kind: 'board', body, locale: language })) as StartingBoard;
	if (!start.ok) return refuse(400, start.error);
	return { ok: true, id: await createBoard(db, user.id, start) };
}

/** Creates a board owned by `ownerId` whose document starts as `start` holds it. */
export async function createBoard(db: Db, ownerId: string, start: Extract<StartingBoard, { ok: true }>): Promise<string> {
	const id = newId();
	const now = Date.now();
	await transaction(db, async (tx) => {
		const { boards, boardMembers } = tables(tx);
		await tx.insert(boards).values({ id, title: start.title, createdBy: ownerId, createdAt: now, updatedAt: now });
		await tx.insert(boardMembers).values({ boardId: id, userId: ownerId, role: 'owner', addedAt: now });
		await storeSnapshot(tx, id, start.state, start.stateVector);
	});
	return id;
}

/** The boards a user is a member of, most recently edited first. */
export function listBoards(db: Db, userId: string): BoardSummary[] {
	return db
		.select({ id: boards.id, title: boards.title, role: boardMembers.role, updatedAt: boards.updatedAt })
		.from(boardMembers)
		.innerJoin(boards, eq(boardMembers.boardId, boards.id))
		.where(eq(boardMembers.userId, userId))
		.orderBy(desc(boards.updatedAt))
		.all()
		.map((row) => ({ ...row, updatedAt: new Date(row.updatedAt).toISOString() }));
}

/** A user's role on a board, or null when they are not a member (or it does not exist). */
export function roleOf(db: Db, boardId: string, userId: string): Role | null {
	return roleQuery(db).get({ boardId, userId })?.role ?? null;
}

/** A person's role on a board, prepared once per connection: every request to a board asks it. */
function prepareRoleQuery(db: Db) {
	return db
		.select({ role: boardMembers.role })
		.from(boardMembers)
		.where(and(eq(boardMembers.boardId, sql.placeholder('boardId')), eq(boardMembers.userId, sql.placeholder('userId'))))
		.prepare();
}

const roleQueries = new WeakMap<Db, ReturnType<typeof prepareRoleQuery>>();

function roleQuery(db: Db): ReturnType<typeof prepareRoleQuery> {
	let query = roleQueries.get(db);
	if (!query) roleQueries.set(db, (query = prepareRoleQuery(db)));
	return query;
}

/** A board's title. */
export function boardTitleOf(db: Db, boardId: string): string | null {
	return db.select({ title: boards.title }).from(boards).where(eq(boards.id, boardId)).get()?.title ?? null;
}

/** Keeps the board list's title in step with the document's. */
export function renameBoard(db: Db, boardId: string, title: string): void {
	db.update(boards).set({ title }).where(eq(boards.id, boardId)).run();
}

/** The members of a board, owners first. */
export function listMembers(db: Db, boardId: string): BoardMember[] {
	return db
		.select({ userId: users.id, email: users.email, name: users.name, role: boardMembers.role })
		.from(boardMembers)
		.innerJoin(users, eq(boardMembers.userId, users.id))
		.where(eq(boardMembers.boardId, boardId))
		.all()
		.sort((a, b) => byRank(a.role, b.role) || a.name.localeCompare(b.name));
}

/** Deletes a board with its members, log and snapshot; everyone on it is disconnected. */
export function deleteBoard(db: Db, boardId: string): void {
	db.delete(boards).where(eq(boards.id, boardId)).run();
	notifyBoard(boardId, { live: (hub) => hub.closeBoard(boardId), closeStreams: 'board' });
}
