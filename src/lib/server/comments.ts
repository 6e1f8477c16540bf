import { and, asc, count, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { BoardComment } from '../collaboration';
import { hasTouchpoint } from './board-journey';
import { notifyBoard } from './board-notify';
import type { Db } from './db';
import { tables } from './db/tables';
import { transaction } from './db/transaction';
import { newId } from './random-ids';
import { listMembers } from './boards';
import { queueDigestItems } from './mail-digest';
import type { Refusal } from './service-result';

export const COMMENT_MAX_LENGTH = 5_000;

export const newCommentInput = z.object({
	body: z
		.string({ error: 'body is required' })
		.trim()
		.min(1, 'body must not be empty')
		.max(COMMENT_MAX_LENGTH, `body must be at most ${COMMENT_MAX_LENGTH} characters`),
	touchpointId: z.string().trim().min(1).max(64).nullish(),
	parentId: z.string().trim().min(1).max(64).nullish(),
	mentions: z.array(z.string().max(64)).max(50, 'at most 50 mentions').optional()
});

export const commentChangeInput = z
	.object({
		body: newCommentInput.shape.body.optional(),
		resolved: z.boolean({ error: 'resolved must be true or false' }).optional()
	})
	.refine((change) => change.body !== undefined || change.resolved !== undefined, 'Send body or resolved');

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Every comment on a board, oldest first, with authors and mentions. */
export async function listComments(db: Db, boardId: string): Promise<BoardComment[]> {
	const { commentMentions, comments, users } = tables(db);
	const rows = await db
		.select({ comment: comments, authorName: users.name })
		.from(comments)
		.innerJoin(users, eq(comments.authorId, users.id))
		.where(eq(comments.boardId, boardId))
		.orderBy(asc(comments.createdAt), asc(comments.id));
	const mentions = new Map<string, string[]>();
	for (const row of await db
		.select({ commentId: commentMentions.commentId, userId: commentMentions.userId })
		.from(commentMentions)
		.where(eq(commentMentions.boardId, boardId))) {
		mentions.set(row.commentId, [...(mentions.get(row.commentId) ?? []), row.userId]);
	}
	return rows.map(({ comment, authorName }) => ({
		id: comment.id,
		touchpointId: comment.touchpointId,
		parentId: comment.parentId,
		author: { id: comment.authorId, name: authorName },
		body: comment.body,
		mentions: mentions.get(comment.id) ?? [],
		resolved: comment.resolvedAt !== null,
		resolvedBy: comment.resolvedBy,
		createdAt: iso(comment.createdAt)!,
		editedAt: iso(comment.editedAt)
	}));
}

export type CommentResult = { ok: true; id: string } | Refusal;

/** Adds a comment on one of the board's touchpoints or the board; a reply joins its thread (pinned where the thread is). Mentions must be members. */
export async function createComment(
	db: Db,
	boardId: string,
	authorId: string,
	input: z.infer<typeof newCommentInput>
): Promise<CommentResult> {
	const { comments } = tables(db);
	let touchpointId = input.touchpointId ?? null;
	if (input.parentId) {
		const [parent] = await db
			.select({ touchpointId: comments.touchpointId, parentId: comments.parentId })
			.from(comments)
			.where(and(eq(comments.id, input.parentId), eq(comments.boardId, boardId)))
			.limit(1);
		if (!parent) return { ok: false, status: 404, error: 'The thread does not exist' };
		if (parent.parentId) return { ok: false, status: 400, error: 'Reply to the thread’s first comment' };
		touchpointId = parent.touchpointId;
	} else if (touchpointId !== null && !(await hasTouchpoint(db, boardId, touchpointId))) {
		return { ok: false, status: 404, error: 'No such touchpoint on this board' };
	}
	const memberIds = new Set((await listMembers(db, boardId)).map((member) => member.userId));
	const mentions = [...new Set(input.mentions ?? [])];
	const stranger = mentions.find((userId) => !memberIds.has(userId));
	if (stranger) return { ok: false, status: 400, error: 'Only members of the board can be mentioned' };
	const id = newId();
	await transaction(db, async (tx) => {
		const { commentMentions, comments } = tables(tx);
		await tx
			.insert(comments)
			.values({ id, boardId, touchpointId, parentId: input.parentId ?? null, authorId, body: input.body, createdAt: Date.now() });
		const mentioned = mentions.filter((userId) => userId !== authorId);
		if (mentioned.length > 0) await tx.insert(commentMentions).values(mentioned.map((userId) => ({ commentId: id, userId, boardId })));
		await queueDigestItems(tx, 'mention', boardId, id, mentioned);
	});
	await notifyBoard(boardId, { event: 'comments' });
	return { ok: true, id };
}

async function findComment(db: Db, boardId: string, commentId: string) {
	const { comments } = tables(db);
	const [comment] = await db
		.select()
		.from(comments)
		.where(and(eq(comments.id, commentId), eq(comments.boardId, boardId)))
		.limit(1);
	return comment;
}

/** Edits a comment's body (its author only) or resolves / reopens its thread (anyone who may comment). */
export async function changeComment(
	db: Db,
	boardId: string,
	userId: string,
	commentId: string,
	change: z.infer<typeof commentChangeInput>
): Promise<CommentResult> {
	const { comments } = tables(db);
	const comment = await findComment(db, boardId, commentId);
	if (!comment) return { ok: false, status: 404, error: 'Comment not found' };
	if (change.body !== undefined && comment.authorId !== userId) {
		return { ok: false, status: 403, error: 'Only its author can edit a comment' };
	}
	if (change.resolved !== undefined && comment.parentId) {
		return { ok: false, status: 400, error: 'Resolve the thread through its first comment' };
	}
	const now = Date.now();
	await db
		.update(comments)
		.set({
			...(change.body !== undefined ? { body: change.body, editedAt: now } : {}),
			...(change.resolved !== undefined ? { resolvedAt: change.resolved ? now : null, resolvedBy: change.resolved ? userId : null } : {})
		})
		.where(eq(comments.id, commentId));
	await notifyBoard(boardId, { event: 'comments' });
	return { ok: true, id: commentId };
}

/** Deletes a comment (its author only); deleting a thread's first comment deletes its replies. */
export async function deleteComment(db: Db, boardId: string, userId: string, commentId: string): Promise<CommentResult> {
	const comment = await findComment(db, boardId, commentId);
	if (!comment) return { ok: false, status: 404, error: 'Comment not found' };
	if (comment.authorId !== userId) return { ok: false, status: 403, error: 'Only its author can delete a comment' };
	await transaction(db, async (tx) => {
		const { comments } = tables(tx);
		await tx.delete(comments).where(and(eq(comments.boardId, boardId), eq(comments.parentId, commentId)));
		await tx.delete(comments).where(eq(comments.id, commentId));
	});
	await notifyBoard(boardId, { event: 'comments' });
	return { ok: true, id: commentId };
}

/** Marks every mention of the user on the board as seen. */
export async function markMentionsRead(db: Db, boardId: string, userId: string): Promise<void> {
	const { commentMentions } = tables(db);
	await db
		.update(commentMentions)
		.set({ readAt: Date.now() })
		.where(and(eq(commentMentions.boardId, boardId), eq(commentMentions.userId, userId), isNull(commentMentions.readAt)));
}

/** Unread mentions of the user per board. */
export async function unreadMentions(db: Db, userId: string, boardIds?: string[]): Promise<Map<string, number>> {
	const { commentMentions } = tables(db);
	const conditions = [eq(commentMentions.userId, userId), isNull(commentMentions.readAt)];
	if (boardIds) conditions.push(inArray(commentMentions.boardId, boardIds));
	const rows = await db
		.select({ boardId: commentMentions.boardId, n: count() })
		.from(commentMentions)
		.where(and(...conditions))
		.groupBy(commentMentions.boardId);
	return new Map(rows.map((row) => [row.boardId, row.n]));
}
