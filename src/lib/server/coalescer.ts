/**
 * Gathers items per key and hands each key's items over at most once per `intervalMs`: the first
 * on the next turn of the event loop, whatever arrives later together when the interval ends.
 * A key with nothing new by then is forgotten.
 */
export class Coalescer<T> {
	readonly #waiting = new Map<string, { items: Set<T>; timer: ReturnType<typeof setTimeout> }>();

	constructor(
		readonly intervalMs: number,
		private readonly handOver: (key: string, items: ReadonlySet<T>) => void
	) {}

	/** Adds items for `key`; they are handed over within `intervalMs`. */
	add(key: string, items: Iterable<T>): void {
		const entry = this.#waiting.get(key);
		if (entry) {
			for (const item of items) entry.items.add(item);
			return;
		}
		this.#waiting.set(key, { items: new Set(items), timer: this.#later(key, 0) });
	}

	/** Keys with items waiting or whose interval has not ended. */
	get size(): number {
		return this.#waiting.size;
	}

	/** Forgets what waits for `key` (e.g. a deleted board). */
	forget(key: string): void {
		const entry = this.#waiting.get(key);
		if (!entry) return;
		clearTimeout(entry.timer);
		this.#waiting.delete(key);
	}

	#later(key: string, delayMs: number): ReturnType<typeof setTimeout> {
		const timer = setTimeout(() => this.#run(key), delayMs);
		// Nothing here is worth keeping a process alive for: what is handed over can be derived again.
		timer.unref?.();
		return timer;
	}

	#run(key: string): void {
		const entry = this.#waiting.get(key);
		if (!entry) return;
		if (entry.items.size === 0) {
			this.#waiting.delete(key);
			return;
		}
		const items = entry.items;
		entry.items = new Set();
		entry.timer = this.#later(key, this.intervalMs);
		this.handOver(key, items);
	}
}
