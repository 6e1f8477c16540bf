import { getContext, setContext } from 'svelte';

/**
 * The cards this viewer has expanded with "more", with the height each is drawn at: the board page
 * grows the grid from them and moves the cards under them (`expandedView`). This viewer's only.
 */
export class CardExpansions {
	/** Card id → drawn height, replaced on each change so that what reads it updates. */
	heights = $state.raw<ReadonlyMap<string, number>>(new Map());

	/** Records an expanded card's drawn height (again whenever it changes). */
	set(id: string, height: number): void {
		if (this.heights.get(id) === height) return;
		this.heights = new Map(this.heights).set(id, height);
	}

	/** Forgets a card collapsed with "less" (or gone). */
	clear(id: string): void {
		if (!this.heights.has(id)) return;
		const next = new Map(this.heights);
		next.delete(id);
		this.heights = next;
	}
}

const KEY = Symbol('card-expansions');

export function setCardExpansions(expansions: CardExpansions): CardExpansions {
	return setContext(KEY, expansions);
}

/** The board's expansions, or null outside a board page (a card drawn elsewhere grows on its own). */
export function getCardExpansions(): CardExpansions | null {
	return getContext<CardExpansions | undefined>(KEY) ?? null;
}
