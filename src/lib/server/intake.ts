import { and, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import { collectionMap, patchItem, putItem, readCollection } from '../journey/document';
import {
	checkResponse,
	INTAKE_SOURCE,
	intakeEvidenceId,
	MAX_INTAKE_RESPONSES,
	METRIC_UNIT,
	type IntakeError,
	type IntakeMetric,
	type IntakeResponse
} from '../journey/intake';
import { csvResponses } from '../journey/intake-csv';
import { headlineValue, touchpointMetrics, type ScoreCount, type TouchpointMetrics } from '../journey/intake-metrics';
import { journeyOrder } from '../journey/order';
import { notifyBoard } from './board-notify';
import type { Db } from './db';
import { intakeResponses, intakeScoreCounts } from './db/schema';
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
 * touchpoints' intake evidence is then brought up to date in one document update.
 */
export function acceptResponses(db: Db, boardId: string, entries: readonly unknown[], now = Date.now()): IntakeOutcome {
	const targets = boardTargets(boardId);
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
	const accepted = storeResponses(db, boardId, responses, now);
	if (accepted.length > 0) {
		const touchpointIds = [...new Set(accepted.map((response) => response.touchpointId))];
		const figures = touchpointMetrics(scoreCounts(db, boardId, touchpointIds), touchpointIds, new Set());
		notifyBoard(boardId, { live: (hub) => hub.editDocument(boardId, (doc) => writeIntakeEvidence(doc, figures, now)) });
	}
	return { ok: true, accepted: accepted.length, duplicates: responses.length - accepted.length };
}

/** Stores a CSV of responses (`POST /api/boards/:id/intake/csv`) as `acceptResponses` does; row indexes count data rows from 0. */
export function acceptCsv(db: Db, boardId: string, text: string, now = Date.now()): IntakeOutcome {
	const targets = syncHub().readDocument(boardId, (doc) => ({
		touchpoints: readCollection(doc, 'touchpoints').map(({ item }) => ({ id: item.id, title: item.title })),
		segments: readCollection(doc, 'segments').map(({ item }) => ({ id: item.id, name: item.name }))
	}));
	const read = csvResponses(text, targets);
	if (!read.ok) return { ok: false, status: 400, error: read.error, errors: [] };
	if (read.rows.length === 0) return { ok: false, status: 400, error: 'The file has no responses below its header row', errors: [] };
	if (read.rows.length > MAX_INTAKE_RESPONSES) {
		return { ok: false, status: 413, error: `A file may hold at most ${MAX_INTAKE_RESPONSES} responses`, errors: [] };
	}
	return acceptResponses(
		db,
		boardId,
		read.rows.map((row) => (typeof row === 'string' ? new RefusedRow(row) : row)),
		now
	);
}

/** The two statements a batch runs per response and per score. */
function prepareStatements(db: Db) {
	return {
		insertResponse: db
			.insert(intakeResponses)
			.values({
				boardId: sql.placeholder('boardId'),
				responseId: sql.placeholder('responseId'),
				touchpointId: sql.placeholder('touchpointId'),
				metric: sql.placeholder('metric'),
				score: sql.placeholder('score'),
				segmentId: sql.placeholder('segmentId'),
				comment: sql.placeholder('comment'),
				at: sql.placeholder('at'),
				receivedAt: sql.placeholder('receivedAt')
			})
			.onConflictDoNothing()
			.prepare(),
		addScoreCount: db
			.insert(intakeScoreCounts)
			.values({
				boardId: sql.placeholder('boardId'),
				touchpointId: sql.placeholder('touchpointId'),
				metric: sql.placeholder('metric'),
				segmentId: sql.placeholder('segmentId'),
				score: sql.placeholder('score'),
				count: sql.placeholder('count')
			})
			.onConflictDoUpdate({
				target: [
					intakeScoreCounts.boardId,
					intakeScoreCounts.touchpointId,
					intakeScoreCounts.metric,
					intakeScoreCounts.segmentId,
					intakeScoreCounts.score
				],
				set: { count: sql`${intakeScoreCounts.count} + excluded.count` }
			})
			.prepare()
	};
}

// Prepared once per database: building a query per response would cost more than running it.
const preparedStatements = new WeakMap<Db, ReturnType<typeof prepareStatements>>();

function statementsOf(db: Db): ReturnType<typeof prepareStatements> {
	let prepared = preparedStatements.get(db);
	if (!prepared) preparedStatements.set(db, (prepared = prepareStatements(db)));
	return prepared;
}

/** Inserts the responses in one transaction; the ones stored (not duplicates). */
function storeResponses(db: Db, boardId: string, responses: readonly IntakeResponse[], now: number): IntakeResponse[] {
	const { insertResponse, addScoreCount } = statementsOf(db);
	return db.transaction(() => {
		const stored: IntakeResponse[] = [];
		const counts = new Map<string, { touchpointId: string; metric: IntakeMetric; segmentId: string; score: number; count: number }>();
		for (const response of responses) {
			const inserted = insertResponse.run({
				boardId,
				responseId: response.id ?? null,
				touchpointId: response.touchpointId,
				metric: response.metric,
				score: response.score,
				segmentId: response.segmentId ?? null,
				comment: response.comment ?? null,
				at: response.at ?? now,
				receivedAt: now
			});
			if (inserted.changes === 0) continue;
			stored.push(response);
			const segmentId = response.segmentId ?? '';
			const key = JSON.stringify([response.touchpointId, response.metric, segmentId, response.score]);
			const entry = counts.get(key);
			if (entry) entry.count += 1;
			else counts.set(key, { touchpointId: response.touchpointId, metric: response.metric, segmentId, score: response.score, count: 1 });
		}
		for (const entry of counts.values()) addScoreCount.run({ boardId, ...entry });
		return stored;
	});
}

/** The kept score counts of a board, or of some of its touchpoints. */
function scoreCounts(db: Db, boardId: string, touchpointIds?: readonly string[]): ScoreCount[] {
	const where = touchpointIds
		? and(eq(intakeScoreCounts.boardId, boardId), inArray(intakeScoreCounts.touchpointId, [...touchpointIds]))
		: eq(intakeScoreCounts.boardId, boardId);
	return db
		.select()
		.from(intakeScoreCounts)
		.where(where)
		.all()
		.map((row) => ({ ...row, segmentId: row.segmentId === '' ? null : row.segmentId }));
}

/** Sets each touchpoint's intake evidence (one `metric` item per metric) to its figures, creating the items it lacks. */
function writeIntakeEvidence(doc: Y.Doc, figures: readonly TouchpointMetrics[], now: number): void {
	const touchpoints = collectionMap(doc, 'touchpoints');
	for (const { touchpointId, metrics } of figures) {
		// The touchpoint may have been deleted since the batch was checked.
		if (!(touchpoints.get(touchpointId) instanceof Y.Map)) continue;
		for (const metric of Object.keys(metrics) as IntakeMetric[]) {
			const headline = headlineValue(metric, metrics);
			if (!headline) continue;
			const id = intakeEvidenceId(touchpointId, metric);
			if (patchItem(doc, 'evidence', id, { value: headline.value, count: headline.count })) continue;
			putItem(doc, 'evidence', {
				id,
				touchpointId,
				type: 'metric',
				text: '',
				source: INTAKE_SOURCE,
				url: '',
				fileId: '',
				value: headline.value,
				unit: METRIC_UNIT[metric],
				count: headline.count,
				createdBy: '',
				createdAt: new Date(now).toISOString()
			});
		}
	}
}

/** The metrics of every touchpoint of the board with responses, in journey order (`GET /api/boards/:id/metrics`). */
export function boardMetrics(db: Db, boardId: string): TouchpointMetrics[] {
	const counts = scoreCounts(db, boardId);
	if (counts.length === 0) return [];
	const { order, segmentIds } = syncHub().readDocument(boardId, (doc) => ({
		order: journeyOrder(
			readCollection(doc, 'stages').map(({ item }) => item),
			readCollection(doc, 'touchpoints').map(({ item }) => item)
		).map((touchpoint) => touchpoint.id),
		segmentIds: new Set(readCollection(doc, 'segments').map(({ item }) => item.id))
	}));
	return touchpointMetrics(counts, order, segmentIds);
}

/** The board's first touchpoint in journey order (for an example request), or null on an empty board. */
export function firstTouchpointId(boardId: string): string | null {
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
export function recentIntakeComments(db: Db, boardId: string, touchpointId: string): IntakeCommentView[] {
	return db
		.select()
		.from(intakeResponses)
		.where(and(eq(intakeResponses.boardId, boardId), eq(intakeResponses.touchpointId, touchpointId), isNotNull(intakeResponses.comment)))
		.orderBy(desc(intakeResponses.at), desc(intakeResponses.rowId))
		.limit(INTAKE_COMMENTS_SHOWN)
		.all()
		.map((row) => ({
			responseId: row.responseId,
			metric: row.metric,
			score: row.score,
			segmentId: row.segmentId,
			comment: row.comment!,
			at: new Date(row.at).toISOString()
		}));
}
