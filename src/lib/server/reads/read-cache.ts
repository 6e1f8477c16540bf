/** What a cached value weighs, in bytes (strings count two bytes a character). */
export function weightOf(value: unknown): number {
	if (typeof value === 'string') return value.length * 2;
	if (value instanceof Uint8Array) return value.byteLength;
	if (value && typeof value === 'object') return Object.values(value).reduce((sum: number, part) => sum + weightOf(part), 0);
	return 8;
}

interface BoardEntry {
	/** The board's stored state the values were derived from. */
	stateKey: string;
	values: Map<string, Promise<unknown>>;
	bytes: number;
}

/**
 * Values derived from boards' documents (journey, analysis, exports), kept per board for its
 * current stored state only and at most `maxBytes` in all, least recently used boards dropped
 * first. A board whose state changed is derived again: a value is never older than the state
 * key it was asked with. Concurrent askers of one value share one computation.
 */
export class ReadCache {
	readonly #boards = new Map<string, BoardEntry>();
	#bytes = 0;

	constructor(readonly maxBytes: number) {}

	/** The board's value under `name` for the state `stateKey`, computed by `compute` when not kept. */
	get<T>(boardId: string, stateKey: string, name: string, compute: () => Promise<T>): Promise<T> {
		let board = this.#boards.get(boardId);
		if (board?.stateKey !== stateKey) {
			if (board) this.#drop(boardId, board);
			board = { stateKey, values: new Map(), bytes: 0 };
		}
		// Most recently used last.
		this.#boards.delete(boardId);
		this.#boards.set(boardId, board);
		const kept = board.values.get(name);
		if (kept) return kept as Promise<T>;
		const value = compute();
		const entry = board;
		entry.values.set(name, value);
		value.then(
			(result) => this.#settled(boardId, entry, weightOf(result)),
			() => entry.values.delete(name)
		);
		return value;
	}

	/** Bytes kept now. */
	get bytes(): number {
		return this.#bytes;
	}

	#settled(boardId: string, entry: BoardEntry, bytes: number): void {
		if (this.#boards.get(boardId) !== entry) return;
		entry.bytes += bytes;
		this.#bytes += bytes;
		for (const [id, board] of this.#boards) {
			if (this.#bytes <= this.maxBytes) break;
			this.#drop(id, board);
		}
	}

	#drop(boardId: string, board: BoardEntry): void {
		this.#boards.delete(boardId);
		this.#bytes -= board.bytes;
	}
}
