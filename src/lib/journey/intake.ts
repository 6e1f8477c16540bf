import { z } from 'zod';
import { describeIssue, LIMITS } from './schema';

/** The survey metrics intake takes, and the whole-number scores each allows. */
export const INTAKE_METRICS = ['nps', 'csat', 'ces', 'emotion'] as const;
export type IntakeMetric = (typeof INTAKE_METRICS)[number];

export const SCORE_RANGE: Record<IntakeMetric, { min: number; max: number }> = {
	nps: { min: 0, max: 10 },
	csat: { min: 1, max: 5 },
	ces: { min: 1, max: 7 },
	emotion: { min: -5, max: 5 }
};

/** The `unit` of the evidence item that shows a metric on its touchpoint. */
export const METRIC_UNIT: Record<IntakeMetric, string> = { nps: 'NPS', csat: 'CSAT', ces: 'CES', emotion: 'emotion' };

/** The `source` of evidence items written by intake. */
export const INTAKE_SOURCE = 'intake';

/** Responses one request may carry. */
export const MAX_INTAKE_RESPONSES = 1_000;
/** Longest comment a response may carry (characters). */
export const INTAKE_COMMENT_MAX_LENGTH = 2_000;

/** The id of the evidence item that shows one metric's responses on a touchpoint. */
export function intakeEvidenceId(touchpointId: string, metric: IntakeMetric): string {
	return `intake-${touchpointId}-${metric}`;
}

/** One customer's answer, checked: `at` in ms since the epoch (absent when the sender gave none). */
export interface IntakeResponse {
	id?: string;
	touchpointId: string;
	metric: IntakeMetric;
	score: number;
	comment?: string;
	segmentId?: string;
	at?: number;
}

/** What a board offers responses to point at. */
export interface IntakeTargets {
	touchpointIds: ReadonlySet<string>;
	segmentIds: ReadonlySet<string>;
}

/** One refused response: its index in the batch (or data row of a CSV) and why. */
export interface IntakeError {
	index: number;
	/** For a CSV: the row of the file as a spreadsheet numbers it (the header row 1, blank rows counted). */
	row?: number;
	error: string;
}

const responseSchema = z.strictObject({
	id: z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(LIMITS.id, `at most ${LIMITS.id} characters`).optional(),
	touchpointId: z.string({ error: 'is required' }).min(1, 'is required').max(LIMITS.id, `at most ${LIMITS.id} characters`),
	metric: z.enum(INTAKE_METRICS, { error: `must be one of ${INTAKE_METRICS.join(', ')}` }),
	score: z.number({ error: 'must be a number' }).int('must be a whole number'),
	comment: z.string({ error: 'must be text' }).max(INTAKE_COMMENT_MAX_LENGTH, `at most ${INTAKE_COMMENT_MAX_LENGTH} characters`).optional(),
	segmentId: z.string({ error: 'must be text' }).max(LIMITS.id, `at most ${LIMITS.id} characters`).optional(),
	at: z.string({ error: 'must be an ISO 8601 date' }).max(LIMITS.name, 'must be an ISO 8601 date').optional()
});

// A date with a time and a zone, or a plain date (taken as UTC midnight).
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Whether the date part names a day of the calendar (`Date.parse` rolls 30 February over to March). */
function isCalendarDay(date: string): boolean {
	const [year, month, day] = date.slice(0, 10).split('-').map(Number);
	return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Checks one response against the contract and the board; the checked response or why not. */
export function checkResponse(raw: unknown, targets: IntakeTargets): IntakeResponse | string {
	const parsed = responseSchema.safeParse(raw);
	if (!parsed.success) return describeIssue(parsed.error.issues[0]);
	const { id, touchpointId, metric, score, comment, segmentId, at } = parsed.data;
	const range = SCORE_RANGE[metric];
	if (score < range.min || score > range.max) return `score: ${metric} takes whole numbers from ${range.min} to ${range.max}`;
	if (!targets.touchpointIds.has(touchpointId)) return `touchpointId: the board has no touchpoint "${touchpointId}"`;
	if (segmentId !== undefined && !targets.segmentIds.has(segmentId)) return `segmentId: the board has no segment "${segmentId}"`;
	let time: number | undefined;
	if (at !== undefined) {
		time = ISO_DATE.test(at) && isCalendarDay(at) ? Date.parse(at) : NaN;
		if (!Number.isFinite(time)) return 'at: must be an ISO 8601 date';
	}
	const response: IntakeResponse = { touchpointId, metric, score };
	if (id !== undefined) response.id = id;
	if (comment !== undefined && comment.trim() !== '') response.comment = comment.trim();
	if (segmentId !== undefined) response.segmentId = segmentId;
	if (time !== undefined) response.at = time;
	return response;
}

/** Checks a whole batch: every response, or every refusal (a batch is taken whole or not at all). */
export function checkResponses(
	raw: readonly unknown[],
	targets: IntakeTargets
): { ok: true; responses: IntakeResponse[] } | { ok: false; errors: IntakeError[] } {
	const responses: IntakeResponse[] = [];
	const errors: IntakeError[] = [];
	raw.forEach((entry, index) => {
		const checked = checkResponse(entry, targets);
		if (typeof checked === 'string') errors.push({ index, error: checked });
		else responses.push(checked);
	});
	return errors.length > 0 ? { ok: false, errors } : { ok: true, responses };
}
