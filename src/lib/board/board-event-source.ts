/** The kinds of notice the server pushes for a board (see src/lib/server/board-event-streams.ts). */
export type BoardEventType = 'comments' | 'members' | 'facilitation' | 'versions';

/**
 * One Server-Sent Events stream per board page. Listeners are told of each notice and once after
 * every (re)connect, so state fetched in response never misses a change made while away.
 */
export class BoardEventStream {
	readonly #source: EventSource;
	readonly #listeners = new Map<BoardEventType, Set<() => void>>();

	constructor(boardId: string) {
		this.#source = new EventSource(`/api/boards/${boardId}/events`);
		this.#source.addEventListener('open', () => {
			for (const listeners of this.#listeners.values()) for (const listener of listeners) listener();
		});
		for (const type of ['comments', 'members', 'facilitation', 'versions'] as const) {
			this.#source.addEventListener(type, () => {
				for (const listener of this.#listeners.get(type) ?? []) listener();
			});
		}
	}

	/** Calls `listener` on each notice of this type and after each reconnect. */
	on(type: BoardEventType, listener: () => void): void {
		if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
		this.#listeners.get(type)!.add(listener);
	}

	close(): void {
		this.#source.close();
	}
}
