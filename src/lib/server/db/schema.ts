import { sql } from 'drizzle-orm';
import { blob, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Board roles, strongest first. */
export const ROLES = ['owner', 'editor', 'commenter', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const users = sqliteTable('users', {
	id: text('id').primaryKey(),
	email: text('email').notNull().unique(),
	name: text('name').notNull(),
	passwordHash: text('password_hash').notNull(),
	createdAt: integer('created_at').notNull()
});

/** Sessions keyed by the SHA-256 of the token's secret; the token itself is never stored. */
export const sessions = sqliteTable(
	'sessions',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		expiresAt: integer('expires_at').notNull()
	},
	(table) => [index('sessions_user_idx').on(table.userId)]
);

export const boards = sqliteTable('boards', {
	id: text('id').primaryKey(),
	title: text('title').notNull(),
	createdBy: text('created_by').notNull(),
	createdAt: integer('created_at').notNull(),
	updatedAt: integer('updated_at').notNull()
});

export const boardMembers = sqliteTable(
	'board_members',
	{
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		role: text('role', { enum: ROLES }).notNull(),
		addedAt: integer('added_at').notNull()
	},
	(table) => [
		primaryKey({ columns: [table.boardId, table.userId] }),
		index('board_members_user_idx').on(table.userId)
	]
);

/** The per-board Yjs update log (V1 updates), appended before each relay. */
export const boardUpdates = sqliteTable(
	'board_updates',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		update: blob('update', { mode: 'buffer' }).notNull(),
		createdAt: integer('created_at')
			.notNull()
			.default(sql`(unixepoch() * 1000)`)
	},
	(table) => [index('board_updates_board_idx').on(table.boardId, table.id)]
);

/** The compacted state of a board, `Y.encodeStateAsUpdateV2`. */
export const boardSnapshots = sqliteTable('board_snapshots', {
	boardId: text('board_id')
		.primaryKey()
		.references(() => boards.id, { onDelete: 'cascade' }),
	state: blob('state', { mode: 'buffer' }).notNull(),
	updatedAt: integer('updated_at').notNull()
});

/** Evidence files; the bytes live in DATA_DIR/uploads/<id> under a generated name. */
export const files = sqliteTable(
	'files',
	{
		id: text('id').primaryKey(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		mime: text('mime').notNull(),
		size: integer('size').notNull(),
		createdBy: text('created_by').notNull(),
		createdAt: integer('created_at').notNull()
	},
	(table) => [index('files_board_idx').on(table.boardId)]
);

/**
 * Comment threads, pinned to a touchpoint or to the board. Kept in SQL behind the API (not in
 * the board's document) so no client can forge or alter another person's comment.
 */
export const comments = sqliteTable(
	'comments',
	{
		id: text('id').primaryKey(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		/** The touchpoint the thread is pinned to; null for a board-level thread. */
		touchpointId: text('touchpoint_id'),
		/** The thread's first comment for a reply; null for a thread's first comment. */
		parentId: text('parent_id'),
		authorId: text('author_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		body: text('body').notNull(),
		resolvedAt: integer('resolved_at'),
		resolvedBy: text('resolved_by'),
		createdAt: integer('created_at').notNull(),
		editedAt: integer('edited_at')
	},
	(table) => [index('comments_board_idx').on(table.boardId, table.createdAt)]
);

/** Who a comment mentions, and whether they have seen it. */
export const commentMentions = sqliteTable(
	'comment_mentions',
	{
		commentId: text('comment_id')
			.notNull()
			.references(() => comments.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		readAt: integer('read_at')
	},
	(table) => [
		primaryKey({ columns: [table.commentId, table.userId] }),
		index('comment_mentions_user_idx').on(table.userId, table.boardId)
	]
);
