import { and, eq, inArray, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import { collectionMap, patchItem, putItem } from '../journey/document';
import { INTAKE_SOURCE, intakeEvidenceId, METRIC_UNIT, type IntakeMetric } from '../journey/intake';
import { headlineValue, touchpointMetrics, type ScoreCount, type TouchpointMetrics } from '../journey/intake-metrics';
import { Coalescer } from './coalescer';
import { isPostgres, type Db } from './db';
import { preparedStatement } from './db/statements';
import { tables } from './db/tables';
import { syncHub } from './sync-hub';

/**
 * Fewest milliseconds between two updates of one board's live intake evidence. Each update is an
 * edit relayed to everyone on the board and stored; a sender of many batches a second would
 * otherwise make one per batch.
 */
export const INTAKE_EVIDENCE_INTERVAL_MS = 1_000;

// One per database: the timers outlive the request that stored the responses.
const coalescers = new WeakMap<Db, Coalescer<string>>();

/**
 * Brings the intake evidence of these touchpoints (which just took responses) up to date on the
 * board: on the next turn of the event loop, then at most once per `INTAKE_EVIDENCE_INTERVAL_MS`,
 * each time for the touchpoints whose responses came in since, in one document transaction.
 */
export function refreshIntakeEvidence(db: Db, boardId: string, touchpointIds: Iterable<string>): void {
	let coalescer = coalescers.get(db);
	if (!coalescer) {
		coalescer = new Coalescer(INTAKE_EVIDENCE_INTERVAL_MS, (board, ids) => void writeEvidence(db, board, ids));
		coalescers.set(db, coalescer);
	}
	coalescer.add(boardId, touchpointIds);
}

/** Never rejects: a failure is logged. */
async function writeEvidence(db: Db, boardId: string, touchpointIds: ReadonlySet<string>): Promise<void> {
	try {
		const { boards } = tables(db);
		// The board may have been deleted since its responses were stored.
		const [board] = await db.select({ id: boards.id }).from(boards).where(eq(boards.id, boardId)).limit(1);
		if (!board) return;
		const figures = touchpointMetrics(await countsOverSegments(db, boardId, touchpointIds), [...touchpointIds], new Set());
		const now = Date.now();
		// A live edit only: the board's other streams learn of it through the document.
		await syncHub().editDocument(boardId, (doc) => writeIntakeEvidence(doc, figures, now));
	} catch (error) {
		// A timer's failure must not end the process; the next batch brings the figures up to date.
		console.error(`intake evidence of board ${boardId} not updated:`, error);
	}
}

const COUNTS_SQL = `
	SELECT touchpoint_id AS touchpointId, metric, score, SUM(count) AS count
	FROM intake_score_counts
	WHERE board_id = ? AND touchpoint_id IN (SELECT value FROM json_each(?))
	GROUP BY touchpoint_id, metric, score`;

/** The kept score counts of some touchpoints, all segments added up in SQL: a few rows per touchpoint and metric. */
async function countsOverSegments(db: Db, boardId: string, touchpointIds: ReadonlySet<string>): Promise<ScoreCount[]> {
	const rows = isPostgres(db)
		? await countsBuilt(db, boardId, touchpointIds)
		: (preparedStatement(db, COUNTS_SQL).all(boardId, JSON.stringify([...touchpointIds])) as Omit<ScoreCount, 'segmentId'>[]);
	return rows.map((row) => ({ ...row, segmentId: null }));
}

/** The same through the query builder (PostgreSQL has no `json_each`; its `sum` of integers is numeric). */
function countsBuilt(db: Db, boardId: string, touchpointIds: ReadonlySet<string>): Promise<Omit<ScoreCount, 'segmentId'>[]> {
	const { intakeScoreCounts: counts } = tables(db);
	return db
		.select({
			touchpointId: counts.touchpointId,
			metric: counts.metric,
			score: counts.score,
			count: sql<number>`sum(${counts.count})`.mapWith(Number)
		})
		.from(counts)
		.where(and(eq(counts.boardId, boardId), inArray(counts.touchpointId, [...touchpointIds])))
		.groupBy(counts.touchpointId, counts.metric, counts.score);
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
			// Only the figures that moved are set: an unchanged one makes no update.
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
