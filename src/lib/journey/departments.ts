import type { WeightedGap } from './analysis';
import type { Touchpoint, TouchpointKind } from './schema';

/**
 * A department or channel name as people mean it: Unicode compatibility forms folded (full-width
 * letters typed with a Chinese input method), runs of whitespace made one space, ends trimmed.
 */
export function tidyName(value: string): string {
	return value.normalize('NFKC').replace(/\s+/gu, ' ').trim();
}

/** What two spellings of one department (or channel) share: "digital " and "Digital" have one key. */
export function nameKey(value: string): string {
	return tidyName(value).toLowerCase();
}

/**
 * The spelling each department (or channel) goes by on a board, by key: the one most used, ties
 * to the first in code-point order (so every reader picks the same). Empty names are left out.
 */
export function boardNames(values: Iterable<string>): Map<string, string> {
	const counts = new Map<string, Map<string, number>>();
	for (const value of values) {
		const name = tidyName(value);
		if (!name) continue;
		const key = name.toLowerCase();
		const spellings = counts.get(key) ?? new Map<string, number>();
		spellings.set(name, (spellings.get(name) ?? 0) + 1);
		counts.set(key, spellings);
	}
	const names = new Map<string, string>();
	for (const [key, spellings] of counts) {
		const [best] = [...spellings].sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : a > b ? 1 : 0));
		names.set(key, best[0]);
	}
	return names;
}

/** The value to store when someone types `value`: tidied, and spelled as the board already spells it. */
export function normalizeName(value: string, known: ReadonlyMap<string, string>): string {
	const name = tidyName(value);
	return known.get(name.toLowerCase()) ?? name;
}

/** The board's spellings of its departments (`owner`) and channels, by key. */
export function departmentNames(touchpoints: readonly Touchpoint[]): Map<string, string> {
	return boardNames(touchpoints.map((touchpoint) => touchpoint.owner));
}

export function channelNames(touchpoints: readonly Touchpoint[]): Map<string, string> {
	return boardNames(touchpoints.map((touchpoint) => touchpoint.channel));
}

/** Which cards the canvas highlights: null lets every value through, '' matches cards without one. */
export interface CardFilter {
	/** A department key (`nameKey`). */
	department: string | null;
	/** A channel key (`nameKey`). */
	channel: string | null;
	kind: TouchpointKind | null;
}

export const NO_FILTER: Readonly<CardFilter> = Object.freeze({ department: null, channel: null, kind: null });

/** Whether the filter lets every card through. */
export function isOpenFilter(filter: CardFilter): boolean {
	return filter.department === null && filter.channel === null && filter.kind === null;
}

/** Whether a card matches the filter, its department and channel compared by key. */
export function matchesFilter(touchpoint: Touchpoint, filter: CardFilter): boolean {
	return (
		(filter.department === null || nameKey(touchpoint.owner) === filter.department) &&
		(filter.channel === null || nameKey(touchpoint.channel) === filter.channel) &&
		(filter.kind === null || touchpoint.kind === filter.kind)
	);
}

/** A department's share of the journey's worst experiences. */
export interface DepartmentBurden {
	/** The department as the board spells it (`departmentNames`); '' for unowned touchpoints. */
	owner: string;
	/** Sum of the negative weighted gaps of the department's touchpoints. */
	weighted: number;
	touchpointIds: string[];
}

/**
 * The departments that own the touchpoints with negative weighted gaps, worst total first
 * (docs/method.md, "Departments owning the worst touchpoints": route each finding to the person
 * who can fix it). Spellings of one department ("digital ", "Digital") group together under the
 * board's spelling; unowned touchpoints group under ''.
 */
export function departmentBurdens(touchpoints: readonly Touchpoint[], gaps: readonly WeightedGap[]): DepartmentBurden[] {
	const names = departmentNames(touchpoints);
	const ownerOf = new Map(touchpoints.map((touchpoint) => [touchpoint.id, nameKey(touchpoint.owner)]));
	const burdens = new Map<string, DepartmentBurden>();
	for (const gap of gaps) {
		if (gap.weighted === null || gap.weighted >= 0) continue;
		const key = ownerOf.get(gap.touchpointId) ?? '';
		const burden = burdens.get(key) ?? { owner: names.get(key) ?? '', weighted: 0, touchpointIds: [] };
		burden.weighted += gap.weighted;
		burden.touchpointIds.push(gap.touchpointId);
		burdens.set(key, burden);
	}
	return [...burdens.values()].sort((a, b) => a.weighted - b.weighted || a.owner.localeCompare(b.owner, 'en'));
}
