/**
 * Work that may wait a moment (saving a board's automatic version of the day, say): one task per
 * event-loop turn, each after that turn's I/O, so a burst of it (the first edits of the day on many
 * boards at once) never holds up edits for longer than one task.
 */
export class DeferredWork {
	readonly #tasks: { what: string; run: () => void }[] = [];

	/** Queues `run`; it runs after this turn's edits are stored and relayed. `what` names it in a failure. */
	add(what: string, run: () => void): void {
		this.#tasks.push({ what, run });
		if (this.#tasks.length === 1) setImmediate(this.#runNext);
	}

	#runNext = (): void => {
		const task = this.#tasks[0];
		try {
			task.run();
		} catch (error) {
			console.error(`${task.what} failed`, error);
		}
		this.#tasks.shift();
		if (this.#tasks.length > 0) setImmediate(this.#runNext);
	};
}
