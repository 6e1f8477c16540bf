import type { Stage, Touchpoint } from './schema';

// A fixed locale, so every client in every language sorts ids the same way (t2 before t10).
const ID_COLLATOR = new Intl.Collator('en', { numeric: true });

/** Compares ids the same way on every client. */
export function compareIds(a: string, b: string): number {
	return ID_COLLATOR.compare(a, b);
}

/** Sorts items with an `order` ascending, ties by id so every client agrees. */
export function byOrder<T extends { id: string; order: number }>(items: readonly T[]): T[] {
	return [...items].sort((a, b) => a.order - b.order || compareIds(a.id, b.id));
}

/**
 * Journey order (contract): touchpoints sorted by their stage's `order`, then by `x`.
 * Touchpoints of an unknown stage come last.
 */
export function journeyOrder(stages: readonly Stage[], touchpoints: readonly Touchpoint[]): Touchpoint[] {
	// Rank by position among the sorted stages, so stages sharing an `order` never interleave.
	const stageRank = new Map(byOrder(stages).map((stage, index) => [stage.id, index]));
	const rank = (touchpoint: Touchpoint) => stageRank.get(touchpoint.stageId) ?? stages.length;
	return [...touchpoints].sort((a, b) => rank(a) - rank(b) || a.x - b.x || compareIds(a.id, b.id));
}
