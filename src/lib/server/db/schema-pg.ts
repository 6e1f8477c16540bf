import { sql } from 'drizzle-orm';
import { bigint, boolean, customType, index, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { ROLES } from '../../journey/roles';
import { DEFAULT_VOTING_BUDGET } from '../../collaboration';

/*
 * The PostgreSQL schema (`DATABASE_URL=postgres://…`): the same tables, columns, keys and indexes
 * as the SQLite schema in ./schema.ts, so services read and write the same values on both. The
 * mapping, which `schema-drift.test.ts` holds the two files to:
 *
 * - `text` stays `text` (enums stay text checked by the code, as in SQLite);
 * - `integer` becomes `bigint` read as a JavaScript number: SQLite integers are 64-bit, and every
 *   time is kept as milliseconds since the epoch in both, never as `timestamp`;
 * - `integer` in boolean mode becomes `boolean` (both give the code `true`/`false`; raw SQL must
 *   compare with `true`/`false`, which SQLite also reads as 1/0);
 * - an autoincrementing `integer` key becomes a `bigint` identity;
 * - `blob` becomes `bytea`, read as a Buffer as in SQLite;
 * - `unixepoch() * 1000` as a default becomes its PostgreSQL form.
 *
 * The migrations in drizzle-pg/ are generated from this file by `npm run db:generate`.
 */

/** Bytes, read and written as a Buffer as the SQLite `blob` columns in buffer mode are. */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({
	dataType() {
		return 'bytea';
	}
});

export const users = pgTable('users', {
	id: text('id').primaryKey(),
	email: text('email').notNull().unique(),
	name: text('name').notNull(),
	passwordHash: text('password_hash').notNull(),
	/** A workshop guest: joined through a link with a display name, limited to that board. */
	isGuest: boolean('is_guest').notNull().default(false),
	createdAt: bigint('created_at', { mode: 'number' }).notNull(),
	/** When the owner proved the email by a mailed link; null while unproven. */
	emailVerifiedAt: bigint('email_verified_at', { mode: 'number' }),
	/** The interface language the person last used (`en`, `zh-CN`): mails to them are written in it. */
	locale: text('locale'),
	/** Whether mentions (and later other items) are mailed to the person as a digest. */
	mailDigest: boolean('mail_digest').notNull().default(true),
	/** The departments the person belongs to, as a JSON array of names: actions they own wait on them. */
	departments: text('departments').notNull().default('[]')
});

/**
 * What waits to be mailed to a person in their next digest: one row per item (a mention now;
 * other kinds, such as assignments, later), removed once mailed. `refId` names the item in its
 * kind's table (a comment for a mention).
 */
export const mailDigestItems = pgTable(
	'mail_digest_items',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: ['mention', 'assignment'] }).notNull(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		refId: text('ref_id').notNull(),
		createdAt: bigint('created_at', { mode: 'number' }).notNull()
	},
	(table) => [index('mail_digest_items_user_idx').on(table.userId, table.createdAt)]
);

/**
 * Single-use links mailed to an address: verifying it, or resetting the account's password. Keyed
 * by the SHA-256 of the token; the token itself is only in the mail.
 */
export const emailTokens = pgTable(
	'email_tokens',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		purpose: text('purpose', { enum: ['verify-email', 'reset-password', 'unsubscribe'] }).notNull(),
		/** The address the link was mailed to: what following it proves. */
		email: text('email').notNull(),
		expiresAt: bigint('expires_at', { mode: 'number' }).notNull()
	},
	(table) => [index('email_tokens_user_idx').on(table.userId)]
);

/**
 * Short-lived values handed to one browser under a random token and taken back once, shared by
 * every process (a single sign-on in progress, a link step, a mailed link): keyed by the SHA-256 of
 * the token, which only the browser or the mail holds. `value` is JSON.
 */
export const singleUseValues = pgTable(
	'single_use_values',
	{
		id: text('id').primaryKey(),
		purpose: text('purpose').notNull(),
		value: text('value').notNull(),
		expiresAt: bigint('expires_at', { mode: 'number' }).notNull()
	},
	(table) => [index('single_use_values_purpose_idx').on(table.purpose, table.expiresAt)]
);

/**
 * Single sign-on identities: the provider's subject (`sub`) at an issuer, linked to an account.
 * Later sign-ins find the account by issuer and subject, never by email.
 */
export const oidcIdentities = pgTable(
	'oidc_identities',
	{
		issuer: text('issuer').notNull(),
		subject: text('subject').notNull(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/** The verified email the provider gave when the identity was linked. */
		email: text('email').notNull(),
		linkedAt: bigint('linked_at', { mode: 'number' }).notNull()
	},
	(table) => [primaryKey({ columns: [table.issuer, table.subject] }), index('oidc_identities_user_idx').on(table.userId)]
);

/** Sessions keyed by the SHA-256 of the token's secret; the token itself is never stored. */
export const sessions = pgTable(
	'sessions',
	{
		id: text('id').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
		/** When the person signed in (null for sessions from before it was kept). */
		createdAt: bigint('created_at', { mode: 'number' })
	},
	(table) => [index('sessions_user_idx').on(table.userId)]
);

export const boards = pgTable('boards', {
	id: text('id').primaryKey(),
	title: text('title').notNull(),
	createdBy: text('created_by').notNull(),
	createdAt: bigint('created_at', { mode: 'number' }).notNull(),
	updatedAt: bigint('updated_at', { mode: 'number' }).notNull()
});

export const boardMembers = pgTable(
	'board_members',
	{
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		role: text('role', { enum: ROLES }).notNull(),
		addedAt: bigint('added_at', { mode: 'number' }).notNull()
	},
	(table) => [primaryKey({ columns: [table.boardId, table.userId] }), index('board_members_user_idx').on(table.userId)]
);

/** The per-board Yjs update log (V1 updates), appended before each relay. */
export const boardUpdates = pgTable(
	'board_updates',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		update: bytea('update').notNull(),
		createdAt: bigint('created_at', { mode: 'number' })
			.notNull()
			.default(sql`(extract(epoch from now()) * 1000)::bigint`),
		/**
		 * The update's place in its board's log: 1, 2, 3… without gaps, taken from the board's
		 * `board_update_counters` row in the transaction that appends it, so a reader that sees a gap
		 * knows updates are missing. Null only for rows appended by a writer that does not number them.
		 */
		seq: bigint('seq', { mode: 'number' })
	},
	(table) => [
		index('board_updates_board_idx').on(table.boardId, table.id),
		// Only numbered rows: a log that numbers nothing (SQLite's) keeps no entry per update here,
		// which would be one more page written by every board's append.
		uniqueIndex('board_updates_board_seq_idx')
			.on(table.boardId, table.seq)
			.where(sql`${table.seq} IS NOT NULL`)
	]
);

/**
 * The last sequence number handed out in each board's update log. An append takes the next one
 * with `INSERT … ON CONFLICT (board_id) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq` in
 * the transaction that stores the update, so numbers are gap-free and two writers (two processes
 * on one PostgreSQL database) never take the same one: the row lock orders them. Compaction never
 * lowers it.
 */
export const boardUpdateCounters = pgTable('board_update_counters', {
	boardId: text('board_id')
		.primaryKey()
		.references(() => boards.id, { onDelete: 'cascade' }),
	lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0)
});

/**
 * The compacted state of a board: `Y.encodeStateAsUpdate` (`format` 'v1', with its state vector),
 * or `Y.encodeStateAsUpdateV2` in snapshots written before (`format` 'v2'). V1 is what the sync
 * protocol sends, so a board loads and serves its snapshot without decoding it.
 */
export const boardSnapshots = pgTable('board_snapshots', {
	boardId: text('board_id')
		.primaryKey()
		.references(() => boards.id, { onDelete: 'cascade' }),
	state: bytea('state').notNull(),
	format: text('format', { enum: ['v1', 'v2'] })
		.notNull()
		.default('v2'),
	stateVector: bytea('state_vector'),
	updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
	/** The last log sequence number folded into `state`: the log resumes after it (0: none yet). */
	seq: bigint('seq', { mode: 'number' }).notNull().default(0)
});

/** Evidence files; the bytes live in DATA_DIR/uploads/<id> under a generated name (SQLite), or in `file_contents` (PostgreSQL). */
export const files = pgTable(
	'files',
	{
		id: text('id').primaryKey(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		mime: text('mime').notNull(),
		size: bigint('size', { mode: 'number' }).notNull(),
		createdBy: text('created_by').notNull(),
		createdAt: bigint('created_at', { mode: 'number' }).notNull()
	},
	(table) => [index('files_board_idx').on(table.boardId)]
);

/**
 * Evidence files' bytes when the database is PostgreSQL (`file-contents.ts`), so one `pg_dump` holds
 * the files with the rows that name them; empty with SQLite, whose files are under DATA_DIR/uploads.
 * Written before the `files` row (as a file on disk is), hence keyed by the board for deletion.
 */
export const fileContents = pgTable(
	'file_contents',
	{
		fileId: text('file_id').primaryKey(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		content: bytea('content').notNull()
	},
	(table) => [index('file_contents_board_idx').on(table.boardId)]
);

/**
 * Comment threads, pinned to a touchpoint or to the board. Kept in SQL behind the API (not in
 * the board's document) so no client can forge or alter another person's comment.
 */
export const comments = pgTable(
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
		resolvedAt: bigint('resolved_at', { mode: 'number' }),
		resolvedBy: text('resolved_by'),
		createdAt: bigint('created_at', { mode: 'number' }).notNull(),
		editedAt: bigint('edited_at', { mode: 'number' })
	},
	(table) => [index('comments_board_idx').on(table.boardId, table.createdAt)]
);

/** Who a comment mentions, and whether they have seen it. */
export const commentMentions = pgTable(
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
		readAt: bigint('read_at', { mode: 'number' })
	},
	(table) => [primaryKey({ columns: [table.commentId, table.userId] }), index('comment_mentions_user_idx').on(table.userId, table.boardId)]
);

/** Invite links: a role on a board until they expire or are revoked. Only the token's hash is kept. */
export const invites = pgTable(
	'invites',
	{
		id: text('id').primaryKey(),
		tokenHash: text('token_hash').notNull().unique(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		role: text('role', { enum: ROLES }).notNull(),
		createdBy: text('created_by').notNull(),
		createdAt: bigint('created_at', { mode: 'number' }).notNull(),
		expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
		revokedAt: bigint('revoked_at', { mode: 'number' }),
		uses: bigint('uses', { mode: 'number' }).notNull().default(0),
		/** A personal invite's address (lower case): only that person may use it, once. Null for a link anyone may use. */
		email: text('email'),
		/** SHA-256 of the token mailed to `email`: arriving through it proves the address. */
		mailTokenHash: text('mail_token_hash').unique()
	},
	(table) => [index('invites_board_idx').on(table.boardId)]
);

/**
 * When a person was last removed from a board: invite links made before then no longer let them
 * back in (a link made after, or being added again by an owner, does).
 */
export const boardRemovals = pgTable(
	'board_removals',
	{
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		removedAt: bigint('removed_at', { mode: 'number' }).notNull()
	},
	(table) => [primaryKey({ columns: [table.boardId, table.userId] })]
);

/** A board's live workshop controls, set by its owners and pushed to everyone on the board. */
export const facilitation = pgTable('facilitation', {
	boardId: text('board_id')
		.primaryKey()
		.references(() => boards.id, { onDelete: 'cascade' }),
	lockedBy: text('locked_by'),
	timerEndsAt: bigint('timer_ends_at', { mode: 'number' }),
	timerSeconds: bigint('timer_seconds', { mode: 'number' }),
	followUserId: text('follow_user_id'),
	spotlightId: text('spotlight_id'),
	ratingTouchpointId: text('rating_touchpoint_id'),
	ratingRevealed: boolean('rating_revealed').notNull().default(false),
	votingOpen: boolean('voting_open').notNull().default(false),
	votingBudget: bigint('voting_budget', { mode: 'number' }).notNull().default(DEFAULT_VOTING_BUDGET),
	/** The ranked voting results are shown to everyone on the board. */
	resultsShown: boolean('results_shown').notNull().default(false),
	/** Revealed ratings show who gave which value (anonymous unless the facilitator chooses names). */
	ratingNamesShown: boolean('rating_names_shown').notNull().default(false),
	/** The running or last vote round and rating round in `workshop_rounds`. */
	voteRoundId: text('vote_round_id'),
	ratingRoundId: text('rating_round_id'),
	/** The customer segment the running rating round is for (null: all customers). */
	ratingSegmentId: text('rating_segment_id'),
	updatedAt: bigint('updated_at', { mode: 'number' }).notNull()
});

/**
 * Every dot vote and rating round of a board with its dates, kept for the workshop history, the
 * summary and the PDF. `results` is JSON (`VoteResults` or `RatingResults`), written when a vote
 * closes or ratings are revealed; a rating round may be for one customer segment.
 */
export const workshopRounds = pgTable(
	'workshop_rounds',
	{
		id: text('id').primaryKey(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: ['vote', 'rating'] }).notNull(),
		touchpointId: text('touchpoint_id'),
		title: text('title'),
		segmentId: text('segment_id'),
		/** The segment's name when the round started, so the history names it after a rename or deletion. */
		segmentName: text('segment_name'),
		/** The emotion the facilitator adopted from the round's ratings, once adopted. */
		adopted: bigint('adopted', { mode: 'number' }),
		budget: bigint('budget', { mode: 'number' }),
		revealed: boolean('revealed').notNull().default(false),
		results: text('results'),
		startedAt: bigint('started_at', { mode: 'number' }).notNull(),
		endedAt: bigint('ended_at', { mode: 'number' })
	},
	(table) => [index('workshop_rounds_board_idx').on(table.boardId, table.startedAt)]
);

/** Dot votes: how many of a person's dots sit on a touchpoint. */
export const votes = pgTable(
	'votes',
	{
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		touchpointId: text('touchpoint_id').notNull(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		dots: bigint('dots', { mode: 'number' }).notNull()
	},
	(table) => [primaryKey({ columns: [table.boardId, table.touchpointId, table.userId] })]
);

/** Private emotion ratings of a touchpoint, revealed together by the facilitator. */
export const ratings = pgTable(
	'ratings',
	{
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		touchpointId: text('touchpoint_id').notNull(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		emotion: bigint('emotion', { mode: 'number' }).notNull(),
		ratedAt: bigint('rated_at', { mode: 'number' }).notNull()
	},
	(table) => [primaryKey({ columns: [table.boardId, table.touchpointId, table.userId] })]
);

/** Named versions of a board: snapshots of its document (`Y.encodeStateAsUpdateV2`). */
export const versions = pgTable(
	'versions',
	{
		id: text('id').primaryKey(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		state: bytea('state').notNull(),
		createdBy: text('created_by'),
		/** Saved automatically on the first edit of a day. */
		automatic: boolean('automatic').notNull().default(false),
		/** Touchpoints in the version, counted when it was saved (null in versions saved before the count was kept). */
		touchpoints: bigint('touchpoints', { mode: 'number' }),
		createdAt: bigint('created_at', { mode: 'number' }).notNull()
	},
	(table) => [index('versions_board_idx').on(table.boardId, table.createdAt)]
);

/** Tokens a survey tool sends feedback with (`POST /api/intake`), one board each. Only the token's SHA-256 is kept. */
export const intakeTokens = pgTable(
	'intake_tokens',
	{
		id: text('id').primaryKey(),
		tokenHash: text('token_hash').notNull().unique(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		createdBy: text('created_by').notNull(),
		createdAt: bigint('created_at', { mode: 'number' }).notNull(),
		lastUsedAt: bigint('last_used_at', { mode: 'number' })
	},
	(table) => [index('intake_tokens_board_idx').on(table.boardId)]
);

/** Customers' survey responses on a board's touchpoints, as sent through intake. */
export const intakeResponses = pgTable(
	'intake_responses',
	{
		rowId: bigint('row_id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		/** The sender's id of the response, so a retried batch is not counted twice; null when it sent none. */
		responseId: text('response_id'),
		touchpointId: text('touchpoint_id').notNull(),
		metric: text('metric', { enum: ['nps', 'csat', 'ces', 'emotion'] }).notNull(),
		score: bigint('score', { mode: 'number' }).notNull(),
		segmentId: text('segment_id'),
		comment: text('comment'),
		/** When the customer answered (ms); the time it was received when the sender gave none. */
		at: bigint('at', { mode: 'number' }).notNull(),
		receivedAt: bigint('received_at', { mode: 'number' }).notNull()
	},
	(table) => [
		uniqueIndex('intake_responses_board_response_idx').on(table.boardId, table.responseId),
		index('intake_responses_touchpoint_at_idx').on(table.boardId, table.touchpointId, table.at)
	]
);

/**
 * How many responses gave each score, kept up to date with every accepted batch, so a board's
 * metrics are read from a few rows per touchpoint however many responses it holds.
 */
export const intakeScoreCounts = pgTable(
	'intake_score_counts',
	{
		boardId: text('board_id')
			.notNull()
			.references(() => boards.id, { onDelete: 'cascade' }),
		touchpointId: text('touchpoint_id').notNull(),
		metric: text('metric', { enum: ['nps', 'csat', 'ces', 'emotion'] }).notNull(),
		/** '' for responses that named no segment (a key column cannot be null). */
		segmentId: text('segment_id').notNull(),
		score: bigint('score', { mode: 'number' }).notNull(),
		count: bigint('count', { mode: 'number' }).notNull()
	},
	(table) => [primaryKey({ columns: [table.boardId, table.touchpointId, table.metric, table.segmentId, table.score] })]
);
