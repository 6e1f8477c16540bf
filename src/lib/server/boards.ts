import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { journeyToDoc } from '../journey/document';
import { byRank, type Role } from '../journey/roles';
import { LIMITS, parseJourney, type Journey } from '../journey/schema';
import { TEMPLATE_NAMES, templateJourney } from '../journey/templates';
import type { Locale } from '../i18n';
import { notifyBoard } from './board-notify';
import type { Db } from './db';
import { boardMembers, boards, users } from './db/schema';
import { compact } from './doc-store';
import { newId } from './random-ids';
import { refuse, type Refusal } from './service-result';
import type { SessionUser } from './session';

const boardTitle = z
	.string({ error: 'title must be a string' })
	.trim()
	.min(1, 'title must not be empty')
	.max(LIMITS.title, `title must be at most ${LIMITS.title} characters`);

/** A new board's input (`POST /api/boards`, the boards page's form); the imported journey is validated separately for a precise message. */
export const createBoardInput = z.object({
	title: boardTitle.optional(),
	template: z.enum(TEMPLATE_NAMES, { error: `template must be one of ${TEMPLATE_NAMES.join(', ')}` }).optional(),
	journey: z.unknown().optional()
});

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
 * Creates a board for `user` from a template (`title` required) or an imported journey (its title
 * unless `title` is given); the id of the new board.
 */
export function createBoardFor(
	db: Db,
	user: SessionUser,
	input: z.infer<typeof createBoardInput>,
	language: Locale
): { ok: true; id: string } | Refusal {
	const refused = refuseBoardCreation(user);
	if (refused) return refused;
	let journey: Journey;
	if (input.journey !== undefined) {
		const parsed = parseJourney(input.journey);
		if (!parsed.ok) return refuse(400, `journey is not valid journey JSON: ${parsed.error}`);
		journey = { ...parsed.value, title: input.title ?? (parsed.value.title.trim() || 'Imported journey') };
	} else {
		if (!input.title) return refuse(400, 'title is required');
		journey = templateJourney(input.template ?? 'blank', input.title, language);
	}
	return { ok: true, id: createBoard(db, user.id, journey) };
}

/** Creates a board owned by `ownerId` whose document starts as `journey`. */
export function createBoard(db: Db, ownerId: string, journey: Journey): string {
	const id = newId();
	const now = Date.now();
	const doc = journeyToDoc(journey);
	db.transaction((tx) => {
		tx.insert(boards).values({ id, title: journey.title, createdBy: ownerId, createdAt: now, updatedAt: now }).run();
		tx.insert(boardMembers).values({ boardId: id, userId: ownerId, role: 'owner', addedAt: now }).run();
		compact(tx as unknown as Db, id, doc);
	});
	doc.destroy();
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
	const row = db
		.select({ role: boardMembers.role })
		.from(boardMembers)
		.where(and(eq(boardMembers.boardId, boardId), eq(boardMembers.userId, userId)))
		.get();
	return row?.role ?? null;
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
