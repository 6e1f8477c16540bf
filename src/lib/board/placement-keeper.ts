import type { Journey } from '$lib/journey/schema';
import type { BoardActions } from './board-actions';

/**
 * A card that moved less than this long ago is settling (being dragged, most likely): overlaps
 * in its cell are left alone until it rests, so nobody's card is pushed away mid-drag.
 */
const SETTLE_MS = 1_000;
/**
 * Each client waits a random part of this before parting overlaps, so that usually one client
 * writes the moves and the others, seeing them, have nothing left to do (all would write the same).
 */
const JITTER_MS = 250;

/**
 * Keeps cards from covering each other on an editor's client: after each change, overlaps are
 * parted by the collision rule (`overlapMoves`), which every client applies alike.
 */
export class PlacementKeeper {
	/** Each card's last seen place and when it changed. */
	#seen = new Map<string, { place: string; since: number }>();
	#timer: ReturnType<typeof setTimeout> | undefined;
	#destroyed = false;

	constructor(
		private readonly actions: BoardActions,
		private readonly current: () => { journey: Journey; canEdit: boolean }
	) {}

	/** Notes a new state of the journey and looks for overlaps soon. */
	observe(journey: Journey): void {
		const now = performance.now();
		const seen = new Map<string, { place: string; since: number }>();
		for (const touchpoint of journey.touchpoints) {
			const place = `${touchpoint.stageId}\n${touchpoint.laneId}\n${touchpoint.x}\n${touchpoint.y}`;
			const before = this.#seen.get(touchpoint.id);
			// A card seen for the first time is new, not moving: its overlaps are parted at once.
			seen.set(touchpoint.id, { place, since: !before ? -Infinity : before.place === place ? before.since : now });
		}
		this.#seen = seen;
		this.#schedule(Math.random() * JITTER_MS);
	}

	#schedule(delay: number): void {
		if (this.#timer !== undefined || this.#destroyed) return;
		this.#timer = setTimeout(() => {
			this.#timer = undefined;
			this.#check();
		}, delay);
	}

	#check(): void {
		const { journey, canEdit } = this.current();
		if (!canEdit) return;
		const now = performance.now();
		const settling = new Set<string>();
		for (const [id, { since }] of this.#seen) if (now - since < SETTLE_MS) settling.add(id);
		this.actions.separate(journey, settling);
		if (settling.size > 0) this.#schedule(SETTLE_MS);
	}

	destroy(): void {
		this.#destroyed = true;
		clearTimeout(this.#timer);
	}
}
