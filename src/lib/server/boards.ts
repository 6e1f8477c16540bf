import { and, desc, eq, sql } from 'drizzle-orm';
import { byRank, type Role } from '../journey/roles';
import type { Locale } from '../i18n';
import { notifyBoard } from './board-notify';
import { isPostgres, type Db } from './db';
import { tables } from './db/tables';
import { transaction } from './db/transaction';
import { storeSnapshot } from './doc-store';
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
export async function listBoards(db: Db, userId: string): Promise<BoardSummary[]> {
	const { boards, boardMembers } = tables(db);
	const rows = await db
		.select({ id: boards.id, title: boards.title, role: boardMembers.role, updatedAt: boards.updatedAt })
		.from(boardMembers)
		.innerJoin(boards, eq(boardMembers.boardId, boards.id))
		.where(eq(boardMembers.userId, userId))
		.orderBy(desc(boards.updatedAt));
	return rows.map((row) => ({ ...row, updatedAt: new Date(row.updatedAt).toISOString() }));
}

/** A user's role on a board, or null when they are not a member (or it does not exist). */
export async function roleOf(db: Db, boardId: string, userId: string): Promise<Role | null> {
	if (!isPostgres(db)) return roleQuery(db).get({ boardId, userId })?.role ?? null;
	const { boardMembers } = tables(db);
	const [row] = await db
		.select({ role: boardMembers.role })
		.from(boardMembers)
		.where(and(eq(boardMembers.boardId, boardId), eq(boardMembers.userId, userId)))
		.limit(1);
	return row?.role ?? null;
}

/** A person's role on a board, prepared once per SQLite connection: every request to a board asks it. */
function prepareRoleQuery(db: Db) {
	const { boardMembers } = tables(db);
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
export async function boardTitleOf(db: Db, boardId: string): Promise<string | null> {
	const { boards } = tables(db);
	const [row] = await db.select({ title: boards.title }).from(boards).where(eq(boards.id, boardId)).limit(1);
	return row?.title ?? null;
}

/** Keeps the board list's title in step with the document's. */
export async function renameBoard(db: Db, boardId: string, title: string): Promise<void> {
	const { boards } = tables(db);
	await db.update(boards).set({ title }).where(eq(boards.id, boardId));
}

/** The members of a board, owners first. */
export async function listMembers(db: Db, boardId: string): Promise<BoardMember[]> {
	const { boardMembers, users } = tables(db);
	const rows = await db
		.select({ userId: users.id, email: users.email, name: users.name, role: boardMembers.role })
		.from(boardMembers)
		.innerJoin(users, eq(boardMembers.userId, users.id))
		.where(eq(boardMembers.boardId, boardId));
	return rows.sort((a, b) => byRank(a.role, b.role) || a.name.localeCompare(b.name));
}

/** Deletes a board with its members, log and snapshot; everyone on it is disconnected. */
export async function deleteBoard(db: Db, boardId: string): Promise<void> {
	const { boards } = tables(db);
	await db.delete(boards).where(eq(boards.id, boardId));
	await notifyBoard(boardId, { live: (hub) => hub.closeBoard(boardId), closeStreams: 'board' });
}
