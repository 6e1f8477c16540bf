import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import { collectionMap, readCollection } from '../journey/document';
import { checkResponse, MAX_INTAKE_RESPONSES, type IntakeError, type IntakeMetric, type IntakeResponse } from '../journey/intake';
import { csvResponses } from '../journey/intake-csv';
import { touchpointMetrics, type ScoreCount, type TouchpointMetrics } from '../journey/intake-metrics';
import { journeyOrder } from '../journey/order';
import { isPostgres, type Db } from './db';
import { preparedStatement } from './db/statements';
import { tables } from './db/tables';
import { transaction } from './db/transaction';
import { refreshIntakeEvidence } from './intake-evidence';
import { syncHub } from './sync-hub';

/** Recent comments the inspector lists for a touchpoint. */
export const INTAKE_COMMENTS_SHOWN = 20;

/** A CSV row that could not be turned into a response (a JSON batch never holds one). */
class RefusedRow {
	constructor(readonly error: string) {}
}

export type IntakeOutcome =
	{ ok: true; accepted: number; duplicates: number } | { ok: false; status: 400 | 413; error: string; errors: IntakeError[] };

/** The board's touchpoint and segment ids, from its live document. */
function boardTargets(boardId: string) {
	return syncHub().readDocument(boardId, (doc) => {
		const touchpointIds = new Set<string>();
		for (const [id, map] of collectionMap(doc, 'touchpoints')) if (map instanceof Y.Map) touchpointIds.add(id);
		const segmentIds = new Set(readCollection(doc, 'segments').map(({ item }) => item.id));
		return { touchpointIds, segmentIds };
	});
}

/**
 * Stores a batch of responses (the `responses` of `POST /api/intake`), all or none: any response
 * that does not fit the contract or the board refuses the batch. A response whose `id` the board
 * already holds (or an earlier one of the batch has) is a duplicate, not stored again. The
 * touchpoints' intake evidence is then brought up to date (`refreshIntakeEvidence`).
 */
export async function acceptResponses(db: Db, boardId: string, entries: readonly unknown[], now = Date.now()): Promise<IntakeOutcome> {
	const targets = await boardTargets(boardId);
	const responses: IntakeResponse[] = [];
	const errors: IntakeError[] = [];
	entries.forEach((entry, index) => {
		const checked = entry instanceof RefusedRow ? entry.error : checkResponse(entry, targets);
		if (typeof checked === 'string') errors.push({ index, error: checked });
		else responses.push(checked);
	});
	if (errors.length > 0) {
		return { ok: false, status: 400, error: `${errors.length} of ${entries.length} responses cannot be taken; nothing was stored`, errors };
	}
	const accepted = await storeResponses(db, boardId, responses, now);
	if (accepted.length > 0)
		refreshIntakeEvidence(
			db,
			boardId,
			accepted.map((response) => response.touchpointId)
		);
	return { ok: true, accepted: accepted.length, duplicates: responses.length - accepted.length };
}

/**
 * Stores a CSV of responses (`POST /api/boards/:id/intake/csv`) as `acceptResponses` does; an error's
 * `index` counts data rows from 0, its `row` is the file's row as a spreadsheet shows it.
 */
export async function acceptCsv(db: Db, boardId: string, text: string, now = Date.now()): Promise<IntakeOutcome> {
	const targets = await syncHub().readDocument(boardId, (doc) => ({
		touchpoints: readCollection(doc, 'touchpoints').map(({ item }) => ({ id: item.id, title: item.title })),
		segments: readCollection(doc, 'segments').map(({ item }) => ({ id: item.id, name: item.name }))
	}));
	const read = csvResponses(text, targets);
	if (!read.ok) return { ok: false, status: 400, error: read.error, errors: [] };
	if (read.rows.length === 0) return { ok: false, status: 400, error: 'The file has no responses below its header row', errors: [] };
	if (read.rows.length > MAX_INTAKE_RESPONSES) {
		return { ok: false, status: 413, error: `A file may hold at most ${MAX_INTAKE_RESPONSES} responses`, errors: [] };
	}
	const outcome = await acceptResponses(
		db,
		boardId,
		read.rows.map((row) => (typeof row === 'string' ? new RefusedRow(row) : row)),
		now
	);
	if (outcome.ok) return outcome;
	return { ...outcome, errors: outcome.errors.map(({ index, error }) => ({ index, row: read.rowNumbers[index], error })) };
}

const INSERT_RESPONSE_SQL = `
	INSERT INTO intake_responses (board_id, response_id, touchpoint_id, metric, score, segment_id, comment, at, received_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT DO NOTHING`;
const ADD_SCORE_COUNT_SQL = `
	INSERT INTO intake_score_counts (board_id, touchpoint_id, metric, segment_id, score, count)
	VALUES (?, ?, ?, ?, ?, ?)
	ON CONFLICT (board_id, touchpoint_id, metric, segment_id, score) DO UPDATE SET count = count + excluded.count`;

/** A score count to add: touchpoint, metric, segment ('' for none), score, responses. */
type ScoreCountEntry = [touchpointId: string, metric: IntakeMetric, segmentId: string, score: number, count: number];

/** The score counts the stored responses add up to. */
function countsOf(stored: readonly IntakeResponse[]): ScoreCountEntry[] {
	const counts = new Map<string, ScoreCountEntry>();
	for (const { touchpointId, metric, segmentId, score } of stored) {
		const key = `${touchpointId}\u0000${metric}\u0000${segmentId ?? ''}\u0000${score}`;
		const entry = counts.get(key);
		if (entry) entry[4] += 1;
		else counts.set(key, [touchpointId, metric, segmentId ?? '', score, 1]);
	}
	return [...counts.values()];
}

/** Inserts the responses and adds them to the score counts in one transaction; the ones stored (not duplicates). */
function storeResponses(db: Db, boardId: string, responses: readonly IntakeResponse[], now: number): Promise<IntakeResponse[]> {
	return isPostgres(db)
		? storeResponsesBuilt(db, boardId, responses, now)
		: Promise.resolve(storeResponsesPrepared(db, boardId, responses, now));
}

/** SQLite: two prepared statements run straight on the driver (a batch runs them a thousand times). */
function storeResponsesPrepared(db: Db, boardId: string, responses: readonly IntakeResponse[], now: number): IntakeResponse[] {
	const insertResponse = preparedStatement(db, INSERT_RESPONSE_SQL);
	const addScoreCount = preparedStatement(db, ADD_SCORE_COUNT_SQL);
	return db.$client.transaction(() => {
		const stored: IntakeResponse[] = [];
		for (const response of responses) {
			const { id, touchpointId, metric, score, segmentId, comment, at } = response;
			const inserted = insertResponse.run(
				boardId,
				id ?? null,
				touchpointId,
				metric,
				score,
				segmentId ?? null,
				comment ?? null,
				at ?? now,
				now
			);
			if (inserted.changes > 0) stored.push(response);
		}
		for (const entry of countsOf(stored)) addScoreCount.run(boardId, ...entry);
		return stored;
	})();
}

/** PostgreSQL: one multi-row statement per table; the responses' ids it inserted tell the stored from the duplicates. */
async function storeResponsesBuilt(db: Db, boardId: string, responses: readonly IntakeResponse[], now: number): Promise<IntakeResponse[]> {
	if (responses.length === 0) return [];
	return transaction(db, async (tx) => {
		const { intakeResponses, intakeScoreCounts } = tables(tx);
		const inserted = await tx
			.insert(intakeResponses)
			.values(
				responses.map(({ id, touchpointId, metric, score, segmentId, comment, at }) => ({
					boardId,
					responseId: id ?? null,
					touchpointId,
					metric,
					score,
					segmentId: segmentId ?? null,
					comment: comment ?? null,
					at: at ?? now,
					receivedAt: now
				}))
			)
			.onConflictDoNothing()
			.returning({ responseId: intakeResponses.responseId });
		// Of responses sharing an id, the first is inserted, as row by row; one without an id always is.
		const insertedIds = new Set(inserted.map((row) => row.responseId));
		const stored = responses.filter((response) => response.id === undefined || insertedIds.delete(response.id));
		const counts = countsOf(stored);
		if (counts.length > 0)
			await tx
				.insert(intakeScoreCounts)
				.values(
					counts.map(([touchpointId, metric, segmentId, score, count]) => ({ boardId, touchpointId, metric, segmentId, score, count }))
				)
				.onConflictDoUpdate({
					target: [
						intakeScoreCounts.boardId,
						intakeScoreCounts.touchpointId,
						intakeScoreCounts.metric,
						intakeScoreCounts.segmentId,
						intakeScoreCounts.score
					],
					set: { count: sql`${intakeScoreCounts.count} + excluded.count` }
				});
		return stored;
	});
}

/** The kept score counts of a board. */
async function scoreCounts(db: Db, boardId: string): Promise<ScoreCount[]> {
	const { intakeScoreCounts } = tables(db);
	const rows = await db.select().from(intakeScoreCounts).where(eq(intakeScoreCounts.boardId, boardId));
	return rows.map((row) => ({ ...row, segmentId: row.segmentId === '' ? null : row.segmentId }));
}

/** The metrics of every touchpoint of the board with responses, in journey order (`GET /api/boards/:id/metrics`). */
export async function boardMetrics(db: Db, boardId: string): Promise<TouchpointMetrics[]> {
	const counts = await scoreCounts(db, boardId);
	if (counts.length === 0) return [];
	const { order, segmentIds } = await syncHub().readDocument(boardId, (doc) => ({
		order: journeyOrder(
			readCollection(doc, 'stages').map(({ item }) => item),
			readCollection(doc, 'touchpoints').map(({ item }) => item)
		).map((touchpoint) => touchpoint.id),
		segmentIds: new Set(readCollection(doc, 'segments').map(({ item }) => item.id))
	}));
	return touchpointMetrics(counts, order, segmentIds);
}

/** The board's first touchpoint in journey order (for an example request), or null on an empty board. */
export function firstTouchpointId(boardId: string): Promise<string | null> {
	return syncHub().readDocument(
		boardId,
		(doc) =>
			journeyOrder(
				readCollection(doc, 'stages').map(({ item }) => item),
				readCollection(doc, 'touchpoints').map(({ item }) => item)
			)[0]?.id ?? null
	);
}

export interface IntakeCommentView {
	responseId: string | null;
	metric: IntakeMetric;
	score: number;
	segmentId: string | null;
	comment: string;
	at: string;
}

/** A touchpoint's most recent response comments, newest first. */
export async function recentIntakeComments(db: Db, boardId: string, touchpointId: string): Promise<IntakeCommentView[]> {
	const { intakeResponses } = tables(db);
	const rows = await db
		.select()
		.from(intakeResponses)
		.where(and(eq(intakeResponses.boardId, boardId), eq(intakeResponses.touchpointId, touchpointId), isNotNull(intakeResponses.comment)))
		.orderBy(desc(intakeResponses.at), desc(intakeResponses.rowId))
		.limit(INTAKE_COMMENTS_SHOWN);
	return rows.map((row) => ({
		responseId: row.responseId,
		metric: row.metric,
		score: row.score,
		segmentId: row.segmentId,
		comment: row.comment!,
		at: new Date(row.at).toISOString()
	}));
}
