/**
 * The PostgreSQL board store's hot statements (`pg-board-store.ts`), each prepared once per
 * connection under its name. Each runs alone, so it is its own transaction: one round trip for an
 * append or a load, and one snapshot for everything it reads.
 */

/** A statement node-postgres prepares on a connection the first time it runs there. */
export interface NamedStatement {
	name: string;
	text: string;
}

/**
 * Appends a batch: takes each board's next numbers from its counter (`$1` boards in order, `$2`
 * how many each), inserts every update (`$3` board, `$4` bytes, `$5` how many of its board's
 * updates follow it in the batch) numbered from the counter's new value, and touches the boards.
 * A board deleted meanwhile fails the foreign key, and the whole statement stores nothing.
 */
export const APPEND: NamedStatement = {
	name: 'journey-board-append',
	text: `WITH counters AS (
		INSERT INTO board_update_counters AS counter (board_id, last_seq)
		SELECT counted.board_id, counted.count FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS counted (board_id, count, position)
		ORDER BY counted.position
		ON CONFLICT (board_id) DO UPDATE SET last_seq = counter.last_seq + excluded.last_seq
		RETURNING board_id, last_seq
	), logged AS (
		INSERT INTO board_updates (board_id, "update", seq, created_at)
		SELECT batch.board_id, batch.bytes, counters.last_seq - batch.later, $6
		FROM unnest($3::text[], $4::bytea[], $5::bigint[]) WITH ORDINALITY AS batch (board_id, bytes, later, position)
		JOIN counters USING (board_id)
		ORDER BY batch.position
	), touched AS (
		UPDATE boards SET updated_at = $6 WHERE id = ANY ($1::text[])
	)
	SELECT board_id, last_seq FROM counters`
};

/**
 * A board's snapshot (`part` 0, when it has one) and then its logged updates in order (`part` 1),
 * read in one snapshot of the database so the two agree.
 */
export const LOAD: NamedStatement = {
	name: 'journey-board-load',
	text: `SELECT 0 AS part, state AS bytes, format, state_vector, seq FROM board_snapshots WHERE board_id = $1
	UNION ALL
	SELECT 1, "update", NULL, NULL, seq FROM board_updates WHERE board_id = $1
	ORDER BY part, seq`
};

/**
 * The number the board's snapshot folded through (`folded`, on every row) and its logged updates
 * numbered after `$2`, in order; one row with a null update when there are none.
 */
export const LOAD_SINCE: NamedStatement = {
	name: 'journey-board-load-since',
	text: `SELECT snapshot.folded, logged.seq, logged."update"
	FROM (SELECT coalesce((SELECT seq FROM board_snapshots WHERE board_id = $1), 0) AS folded) AS snapshot
	LEFT JOIN board_updates AS logged ON logged.board_id = $1 AND logged.seq > $2
	ORDER BY logged.seq`
};

/**
 * Advisory lock classes (the first key of the two-key form; the second is the board id's hash).
 * Any fixed numbers, distinct from each other; the one-key migration lock lives apart from both.
 */
export const COMPACTION_LOCK = 47_180_301;
export const DAILY_VERSION_LOCK = 47_180_302;
