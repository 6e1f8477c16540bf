/**
 * Entry of a render worker thread (bundled to build/render-worker.js): derives journeys and renders
 * exports one task at a time, so the event loop that relays edits never does this work.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { ownsItsBuffer } from '../owned-bytes';
import { deriveRead, type ReadTask } from './derive';

/** Niceness of a render thread: when cores are short, the thread relaying edits runs first. */
const RENDER_THREAD_NICENESS = 10;

/**
 * Lowers this thread's scheduling priority. On Linux a thread has an id of its own
 * (`/proc/thread-self` → `<pid>/task/<tid>`) and `setpriority` on it applies to the thread alone;
 * elsewhere the thread keeps its priority.
 */
function yieldToTheEventLoop(): void {
	try {
		setPriority(Number(readlinkSync('/proc/thread-self').split('/').at(-1)), RENDER_THREAD_NICENESS);
	} catch {
		// Not Linux, or not permitted: renders still run off the event loop, at the same priority.
	}
}

yieldToTheEventLoop();

/** A task as the pool sends it, numbered so its answer finds its caller. */
export interface WorkerRequest {
	id: number;
	task: ReadTask;
}

/** A worker's answer to one request. */
export type WorkerResponse =
	{ id: number; ok: true; result: Awaited<ReturnType<typeof deriveRead>> } | { id: number; ok: false; error: string };

parentPort?.on('message', async ({ id, task }: WorkerRequest) => {
	let response: WorkerResponse;
	try {
		response = { id, ok: true, result: await deriveRead(task) };
	} catch (error) {
		response = { id, ok: false, error: error instanceof Error ? error.message : String(error) };
	}
	// A rendered file owning its whole buffer moves without a copy; a slice of a shared one is copied.
	const result = response.ok ? response.result : null;
	const owned = result instanceof Uint8Array && ownsItsBuffer(result);
	const transfer = owned ? [result.buffer as ArrayBuffer] : [];
	parentPort!.postMessage(response, transfer);
});
