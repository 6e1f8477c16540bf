import { Worker } from 'node:worker_threads';
import type { ReadResult, ReadTask } from './derive';
import { ReadError } from './read-errors';
import type { WorkerRequest, WorkerResponse } from './render-worker';

/** How many workers, how long a queue and how much heap each worker may have. */
export interface RenderPoolOptions {
	size: number;
	queueMax: number;
	heapMb: number;
}

interface Job {
	task: ReadTask;
	resolve(result: ReadResult): void;
	reject(error: Error): void;
}

interface Slot {
	worker: Worker;
	job: (Job & { id: number }) | null;
}

/**
 * A fixed set of worker threads doing reads one task each, with a bounded queue in front: a task
 * that finds every worker busy and the queue full is refused at once (`queue-full`), so a crowd
 * of exports waits in no unbounded line and never takes the event loop.
 */
export class RenderPool {
	readonly #slots: Slot[] = [];
	readonly #queue: Job[] = [];
	#nextId = 1;

	constructor(
		readonly workerUrl: URL,
		readonly options: RenderPoolOptions
	) {}

	/** Runs a task on a worker; rejects with a ReadError when the queue is full or the worker ran out of memory. */
	run(task: ReadTask): Promise<ReadResult> {
		return new Promise((resolve, reject) => {
			const job = { task, resolve, reject };
			const slot = this.#idleSlot();
			if (slot) return this.#start(slot, job);
			if (this.#queue.length >= this.options.queueMax) {
				return reject(new ReadError('queue-full', 'Too many exports are being prepared; try again shortly'));
			}
			this.#queue.push(job);
		});
	}

	#idleSlot(): Slot | null {
		const idle = this.#slots.find((slot) => !slot.job);
		if (idle) return idle;
		return this.#slots.length < this.options.size ? this.#spawn() : null;
	}

	#spawn(): Slot {
		const worker = new Worker(this.workerUrl, {
			resourceLimits: { maxOldGenerationSizeMb: this.options.heapMb, maxYoungGenerationSizeMb: Math.min(64, this.options.heapMb / 8) }
		});
		worker.unref();
		const slot: Slot = { worker, job: null };
		worker.on('message', (response: WorkerResponse) => this.#settle(slot, response));
		worker.on('error', (error: Error & { code?: string }) => this.#fail(slot, error));
		worker.on('exit', () => this.#fail(slot, new Error('A render worker stopped')));
		this.#slots.push(slot);
		return slot;
	}

	#start(slot: Slot, job: Job): void {
		slot.job = { ...job, id: this.#nextId++ };
		slot.worker.postMessage({ id: slot.job.id, task: job.task } satisfies WorkerRequest);
	}

	#settle(slot: Slot, response: WorkerResponse): void {
		const job = slot.job;
		if (!job || job.id !== response.id) return;
		slot.job = null;
		if (response.ok) job.resolve(response.result);
		else job.reject(new Error(response.error));
		this.#next(slot);
	}

	/** A worker that failed (out of memory, crashed) is replaced; its task fails, the queue goes on. */
	#fail(slot: Slot, error: Error & { code?: string }): void {
		const index = this.#slots.indexOf(slot);
		if (index < 0) return;
		this.#slots.splice(index, 1);
		void slot.worker.terminate();
		const job = slot.job;
		slot.job = null;
		if (job) {
			const outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
			job.reject(outOfMemory ? new ReadError('out-of-memory', 'The board is too large to render within the memory budget') : error);
		}
		const waiting = this.#queue.shift();
		if (waiting) this.#start(this.#spawn(), waiting);
	}

	#next(slot: Slot): void {
		const job = this.#queue.shift();
		if (job) this.#start(slot, job);
	}
}
