import type { Touchpoint } from '$lib/journey/schema';

/** Someone typing in a card's field, as the card names them. */
export interface CardEditor {
	name: string;
	color: string;
}

/** How a card differs from its touchpoint's plain look: badges, flags, outlines, selection. */
export interface Decoration {
	evidenceCount: number;
	isPeak: boolean;
	isEnd: boolean;
	/** Colours of other people who have the card selected. */
	remoteColors: string[];
	/** Other people typing in one of the card's fields. */
	editors: readonly CardEditor[];
	commentCount: number;
	dots: number;
	/** Actions that link the card (dropped ones left out), and how many of them are done or verified. */
	actionCount: number;
	actionsDone: number;
	spotlight: boolean;
	/** The board's spelling of the card's department when the card spells it otherwise ("digital " → "Digital"). */
	department: string | null;
	/** Left out by the card filter (department, channel, kind): drawn faint. */
	dimmed: boolean;
	/** How far the card is drawn lower than its place, clear of a card this viewer expanded above it (`expandedView`). */
	pushedDown: number;
	selected: boolean;
}

/** The look of a card nobody has selected, marked or commented on. */
export const NO_DECORATION: Readonly<Decoration> = Object.freeze({
	evidenceCount: 0,
	isPeak: false,
	isEnd: false,
	remoteColors: [],
	editors: [],
	commentCount: 0,
	dots: 0,
	actionCount: 0,
	actionsDone: 0,
	spotlight: false,
	department: null,
	dimmed: false,
	pushedDown: 0,
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
		a.actionCount === b.actionCount &&
		a.actionsDone === b.actionsDone &&
		a.spotlight === b.spotlight &&
		a.dimmed === b.dimmed &&
		a.pushedDown === b.pushedDown &&
		a.department === b.department &&
		a.selected === b.selected &&
		a.remoteColors.length === b.remoteColors.length &&
		a.remoteColors.every((color, index) => color === b.remoteColors[index]) &&
		a.editors.length === b.editors.length &&
		a.editors.every((editor, index) => editor.name === b.editors[index].name && editor.color === b.editors[index].color)
	);
}
