import type { Stage, Touchpoint } from './schema';

/** Sorts items with an `order` ascending, ties by id so every client agrees. */
export function byOrder<T extends { id: string; order: number }>(items: readonly T[]): T[] {
	return [...items].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}

/**
 * Journey order (contract): touchpoints sorted by their stage's `order`, then by `x`.
 * Touchpoints of an unknown stage come last.
 */
export function journeyOrder(stages: readonly Stage[], touchpoints: readonly Touchpoint[]): Touchpoint[] {
	const stageOrder = new Map(stages.map((stage) => [stage.id, stage.order]));
	const rank = (touchpoint: Touchpoint) => stageOrder.get(touchpoint.stageId) ?? Number.POSITIVE_INFINITY;
	return [...touchpoints].sort((a, b) => {
		const byStage = rank(a) - rank(b);
		if (byStage !== 0 && !Number.isNaN(byStage)) return byStage;
		return a.x - b.x || a.id.localeCompare(b.id);
	});
}
