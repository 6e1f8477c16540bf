import { readConfig } from '../config';
import { RedisCounters } from './redis-counters';
import type { SharedCounters } from './shared-counters';

/** How long a start waits for Redis to answer before it serves anyway (counting in the process until it does). */
export const COUNTERS_START_WAIT_MS = 5_000;

// The sync server and the SvelteKit handler are bundled apart but run in one process: one
// connection, under a registered symbol, serves both bundles' limiters.
const COUNTERS_KEY = Symbol.for('journey-workspace.shared-counters');
type GlobalWithCounters = typeof globalThis & { [COUNTERS_KEY]?: SharedCounters | null };

/**
 * The counters this process's limiters share with the other processes: Redis when `REDIS_URL`
 * is set, none otherwise (every limit counts in this process, as with one process).
 */
export function sharedCounters(): SharedCounters | null {
	const scope = globalThis as GlobalWithCounters;
	if (scope[COUNTERS_KEY] === undefined) {
		const url = readConfig().redisUrl;
		scope[COUNTERS_KEY] = url ? new RedisCounters(url) : null;
	}
	return scope[COUNTERS_KEY];
}

/**
 * Connects the shared counters before the process serves, so its first requests already count
 * with the other processes; gives up waiting after `COUNTERS_START_WAIT_MS` (Redis down).
 */
export async function connectSharedCounters(): Promise<void> {
	const counters = sharedCounters();
	if (!counters) return;
	let timer: ReturnType<typeof setTimeout> | undefined;
	await Promise.race([counters.ready(), new Promise<void>((resolve) => (timer = setTimeout(resolve, COUNTERS_START_WAIT_MS)))]);
	clearTimeout(timer);
}

/** Closes the connection to the shared counters, if one was opened (limits then count locally). */
export async function closeSharedCounters(): Promise<void> {
	await (globalThis as GlobalWithCounters)[COUNTERS_KEY]?.close();
}
