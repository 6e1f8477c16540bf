import type { Touchpoint } from '$lib/journey/schema';

/** How a card differs from its touchpoint's plain look: badges, flags, outlines, selection. */
export interface Decoration {
	evidenceCount: number;
	isPeak: boolean;
	isEnd: boolean;
	/** Colours of other people who have the card selected. */
	remoteColors: string[];
	commentCount: number;
	dots: number;
	spotlight: boolean;
	selected: boolean;
}

/** The look of a card nobody has selected, marked or commented on. */
export const NO_DECORATION: Readonly<Decoration> = Object.freeze({
	evidenceCount: 0,
	isPeak: false,
	isEnd: false,
	remoteColors: [],
	commentCount: 0,
	dots: 0,
	spotlight: false,
	selected: false
});

/** The data of a touchpoint node (`TouchpointNode`). */
export type TouchpointData = { touchpoint: Touchpoint } & Omit<Decoration, 'selected'>;

/** Whether two decorations look the same. */
export function sameDecoration(a: Readonly<Decoration>, b: Readonly<Decoration>): boolean {
	return (
		a.evidenceCount === b.evidenceCount &&
		a.isPeak === b.isPeak &&
		a.isEnd === b.isEnd &&
		a.commentCount === b.commentCount &&
		a.dots === b.dots &&
		a.spotlight === b.spotlight &&
		a.selected === b.selected &&
		a.remoteColors.length === b.remoteColors.length &&
		a.remoteColors.every((color, index) => color === b.remoteColors[index])
	);
}
