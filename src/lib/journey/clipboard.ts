import { z } from 'zod';
import {
	describeIssue,
	evidenceSchema,
	linkSchema,
	touchpointSchema,
	type Evidence,
	type Journey,
	type Link,
	type Touchpoint
} from './schema';

/** The tag of copied cards on the clipboard (plain text JSON), so a paste knows them from other text. */
export const CLIPBOARD_FORMAT = 'journey-map/cards';
/** Most cards one paste may add: a pasted text is input from outside. */
export const MAX_PASTED_CARDS = 200;

/** Copied cards: the touchpoints with their evidence and the links between them. */
export interface ClipboardCards {
	touchpoints: Touchpoint[];
	evidence: Evidence[];
	links: Link[];
}

const clipboardSchema = z.object({
	format: z.literal(CLIPBOARD_FORMAT),
	touchpoints: z.array(touchpointSchema).min(1).max(MAX_PASTED_CARDS, `at most ${MAX_PASTED_CARDS} cards`),
	evidence: z
		.array(evidenceSchema)
		.max(MAX_PASTED_CARDS * 20)
		.default([]),
	links: z
		.array(linkSchema)
		.max(MAX_PASTED_CARDS * 4)
		.default([])
});

/** The selected touchpoints as clipboard text. */
export function cardsToClipboard(journey: Journey, ids: readonly string[]): string {
	const chosen = new Set(ids);
	return JSON.stringify({
		format: CLIPBOARD_FORMAT,
		touchpoints: journey.touchpoints.filter((touchpoint) => chosen.has(touchpoint.id)),
		evidence: journey.evidence.filter((item) => chosen.has(item.touchpointId)),
		links: journey.links.filter((link) => chosen.has(link.source) && chosen.has(link.target))
	});
}

/**
 * Reads pasted text: copied cards, validated like an import; `null` when the text is not copied
 * cards at all (ordinary text), an error when it claims to be but is not valid.
 */
export function parseClipboardCards(text: string): { ok: true; value: ClipboardCards } | { ok: false; error: string } | null {
	if (!text.includes(CLIPBOARD_FORMAT)) return null;
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch {
		return null;
	}
	if (typeof data !== 'object' || data === null || (data as { format?: unknown }).format !== CLIPBOARD_FORMAT) return null;
	const parsed = clipboardSchema.safeParse(data);
	if (!parsed.success) return { ok: false, error: describeIssue(parsed.error.issues[0]) };
	const ids = new Set(parsed.data.touchpoints.map((touchpoint) => touchpoint.id));
	return {
		ok: true,
		value: {
			touchpoints: parsed.data.touchpoints,
			evidence: parsed.data.evidence.filter((item) => ids.has(item.touchpointId)),
			links: parsed.data.links.filter((link) => ids.has(link.source) && ids.has(link.target))
		}
	};
}
