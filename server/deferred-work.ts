/**
 * Work that may wait a moment (saving a board's automatic version of the day, say): one task at a
 * time, each after an event-loop turn's I/O, so a burst of it (the first edits of the day on many
 * boards at once) never holds up edits for longer than one task. A task that returns a promise
 * (a database write) is the one task until it settles.
 */
export class DeferredWork {
	readonly #tasks: { what: string; work: () => unknown }[] = [];

	/** Queues `run`; it runs after this turn's edits are stored and relayed. `what` names it in a failure. */
	add(what: string, run: () => unknown): void {
		this.#tasks.push({ what, work: run });
		if (this.#tasks.length === 1) setImmediate(this.#runNext);
	}

	#runNext = (): void => {
		const task = this.#tasks[0];
		const failed = (error: unknown) => console.error(`${task.what} failed`, error);
		let running: unknown;
		try {
			running = task.work();
		} catch (error) {
			failed(error);
		}
		// Its failure is logged here and the queue moves on: nobody awaits deferred work.
		if (running instanceof Promise) void running.catch(failed).finally(this.#next);
		else this.#next();
	};

	#next = (): void => {
		this.#tasks.shift();
		if (this.#tasks.length > 0) setImmediate(this.#runNext);
	};
}
