import { json } from '@sveltejs/kit';
import { readConfig } from '../config';
import { FailureThrottle, PacedRate } from '../rate-limit';
import type { JourneyRead } from './derive';
import { readErrorCode } from './read-errors';

/** Export formats drawn by a renderer: their memory grows with the board, so they are limited. */
const RENDERED_FORMATS = new Set(['svg', 'png', 'pdf']);
/** The window of the per-person export rate. */
const EXPORT_RATE_WINDOW_MS = 60_000;
/** Seconds a client is told to wait when the render queue is full. */
const QUEUE_FULL_RETRY_AFTER_SECONDS = 2;

/**
 * Longest a read waits for its turn in the person's share (`READS_PER_MINUTE`); a turn further
 * away is refused with 429. Waiting costs the server nothing, so a viewer who loops reads is slowed
 * to their share instead of being answered at once, again and again.
 */
export const READ_WAIT_MAX_MS = 2_000;
/** Reads a person may make at once before the pace applies: a quarter of a minute's share. */
const READ_BURST_MINUTES = 1 / 4;

const config = readConfig();
const exportsByPerson = new FailureThrottle('exports-person', config.exportsPerMinute, EXPORT_RATE_WINDOW_MS);
const readsByPerson = new PacedRate(
	'reads-person',
	config.readsPerMinute,
	Math.max(1, Math.round(config.readsPerMinute * READ_BURST_MINUTES)),
	READ_WAIT_MAX_MS
);

/**
 * Takes the person's turn for a read of a board's journey, analysis, an export or a version,
 * waiting for it when they are past their share: null once it is their turn, a 429 with
 * `Retry-After` when it is further than `READ_WAIT_MAX_MS` away.
 */
export async function takeRead(userId: string): Promise<Response | null> {
	const turn = await readsByPerson.take(userId);
	if (!turn.taken) {
		const seconds = Math.max(1, Math.ceil(turn.retryAfterMs / 1000));
		return json(
			{ error: `At most ${config.readsPerMinute} board reads and exports a minute; try again in ${seconds} s` },
			{ status: 429, headers: { 'retry-after': String(seconds) } }
		);
	}
	if (turn.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, turn.waitMs));
	return null;
}

/** Whether an export format is rendered (SVG, PNG, PDF) rather than written out as text. */
export function isRendered(format: string): boolean {
	return RENDERED_FORMATS.has(format);
}

/** Counts one rendered export of the person; a 429 when they have used up this minute's. */
export async function takeExport(userId: string): Promise<Response | null> {
	const blockedMs = await exportsByPerson.take(userId);
	if (blockedMs > 0) {
		const seconds = Math.max(1, Math.ceil(blockedMs / 1000));
		return json(
			{ error: `At most ${config.exportsPerMinute} image and PDF exports a minute; try again in ${seconds} s` },
			{ status: 429, headers: { 'retry-after': String(seconds) } }
		);
	}
	return null;
}

/** A 413 when the board is too large to render within the memory budget, judged before rendering. */
export function tooLargeToRender(journey: JourneyRead, format: string): Response | null {
	const tooMany = journey.cards > config.exportMaxCards;
	const tooLong = journey.json.byteLength > config.exportMaxTextBytes;
	if (!tooMany && !tooLong) return null;
	const what = tooMany
		? `${journey.cards} cards, at most ${config.exportMaxCards}`
		: `more than ${Math.round(config.exportMaxTextBytes / 1024 / 1024)} MB of text`;
	return json(
		{ error: `The board is too large to export as ${format.toUpperCase()} (${what}); export it as JSON, CSV or Markdown` },
		{ status: 413 }
	);
}

/** The response to a read the render pool refused: 503 with `Retry-After` when it is busy, 413 when the board would not fit; other errors are rethrown. */
export function readRefused(error: unknown): Response {
	const code = readErrorCode(error);
	if (code === 'queue-full') {
		return json(
			{ error: 'The server is busy preparing other exports; try again shortly' },
			{ status: 503, headers: { 'retry-after': String(QUEUE_FULL_RETRY_AFTER_SECONDS) } }
		);
	}
	if (code === 'out-of-memory') return json({ error: 'The board is too large to prepare within the memory budget' }, { status: 413 });
	throw error;
}
