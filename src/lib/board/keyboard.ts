import type { Direction } from '$lib/journey/card-neighbours';

/** What a key press on the board means, or null when it is not a board shortcut. */
export type BoardCommand =
	| { type: 'undo' }
	| { type: 'redo' }
	| { type: 'duplicate' }
	| { type: 'select-all' }
	| { type: 'clear-selection' }
	| { type: 'nudge'; dx: number; dy: number }
	| { type: 'fit-view' }
	/** Alt+arrow: the selected cards into the next stage or lane. */
	| { type: 'move-to-cell'; direction: Direction }
	/** An arrow on a card that has the focus but is not selected: the focus to the nearest card that way. */
	| { type: 'focus-card'; from: string; direction: Direction }
	/** Enter or Space on a card that has the focus: select it. */
	| { type: 'select-card'; id: string };

const DIRECTIONS: Record<string, Direction> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };

/** Arrow-key nudge in canvas units; with Shift, a larger step. */
export const NUDGE_STEP = 10;
export const NUDGE_STEP_LARGE = 50;

/** Maps a key event to a board command. Keys typed into form fields are never commands. */
export function boardCommand(event: KeyboardEvent): BoardCommand | null {
	const target = event.target as HTMLElement | null;
	if (target?.closest('input, textarea, select, [contenteditable="true"], dialog')) return null;
	const mod = event.ctrlKey || event.metaKey;
	const key = event.key.toLowerCase();
	if (mod && key === 'z') return event.shiftKey ? { type: 'redo' } : { type: 'undo' };
	if (mod && key === 'y') return { type: 'redo' };
	if (mod && key === 'd') return { type: 'duplicate' };
	if (mod && key === 'a') return { type: 'select-all' };
	if (event.key === 'Escape') return { type: 'clear-selection' };
	if (!mod && key === 'f') return { type: 'fit-view' };
	const direction = DIRECTIONS[event.key];
	if (direction && event.altKey && !mod) return { type: 'move-to-cell', direction };
	// A card reached by Tab is focused, not selected: arrows go from card to card until Enter picks one.
	const id = target?.matches('.svelte-flow__node-touchpoint:not(.selected)') ? target.dataset.id : undefined;
	if (id && direction && !mod && !event.shiftKey) return { type: 'focus-card', from: id, direction };
	if (id && (event.key === 'Enter' || event.key === ' ') && !mod) return { type: 'select-card', id };
	const step = event.shiftKey ? NUDGE_STEP_LARGE : NUDGE_STEP;
	const arrows: Record<string, [number, number]> = {
		ArrowLeft: [-step, 0],
		ArrowRight: [step, 0],
		ArrowUp: [0, -step],
		ArrowDown: [0, step]
	};
	const arrow = arrows[event.key];
	return arrow && !mod && !event.altKey ? { type: 'nudge', dx: arrow[0], dy: arrow[1] } : null;
}
