import * as Y from 'yjs';
import { z } from 'zod';
import { journeyToDoc } from '../journey/document';
import { LIMITS, parseJourney, type Journey } from '../journey/schema';
import { TEMPLATE_NAMES, templateJourney } from '../journey/templates';
import type { Locale } from '../i18n';
import { parseInput } from './service-result';

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

/** A new board's first document, encoded as it is stored, or why the input cannot make one. */
export type StartingBoard = { ok: true; title: string; state: Uint8Array; stateVector: Uint8Array } | { ok: false; error: string };

const decoder = new TextDecoder();

/**
 * The first document of a board made from a request body (JSON of `createBoardInput`): a template
 * (`title` required) or an imported journey (its title unless `title` is given). Parsing, checking
 * and building a large imported journey takes a while, so the server does this on a render worker.
 */
export function startingBoard(body: Uint8Array, locale: Locale): StartingBoard {
	let raw: unknown;
	try {
		raw = JSON.parse(decoder.decode(body));
	} catch {
		return { ok: false, error: 'The request body must be JSON' };
	}
	const input = parseInput(createBoardInput, raw);
	if (!input.ok) return input;
	const journey = startingJourney(input.data, locale);
	if (typeof journey === 'string') return { ok: false, error: journey };
	const doc = journeyToDoc(journey);
	try {
		return { ok: true, title: journey.title, state: Y.encodeStateAsUpdate(doc), stateVector: Y.encodeStateVector(doc) };
	} finally {
		doc.destroy();
	}
}

/** The journey a board starts from, or why the input has none. */
function startingJourney(input: z.infer<typeof createBoardInput>, locale: Locale): Journey | string {
	if (input.journey !== undefined) {
		const parsed = parseJourney(input.journey);
		if (!parsed.ok) return `journey is not valid journey JSON: ${parsed.error}`;
		return { ...parsed.value, title: input.title ?? (parsed.value.title.trim() || 'Imported journey') };
	}
	if (!input.title) return 'title is required';
	return templateJourney(input.template ?? 'blank', input.title, locale);
}
