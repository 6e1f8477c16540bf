import { readConfig } from '../config';
import { RedisCounters } from './redis-counters';
import type { SharedCounters } from './shared-counters';

let processCounters: SharedCounters | null | undefined;

/**
 * The counters this process's limiters share with the other processes: Redis when `REDIS_URL`
 * is set (connected on first use), none otherwise (every limit counts in this process, as with
 * one process).
 */
export function sharedCounters(): SharedCounters | null {
	if (processCounters === undefined) {
		const url = readConfig().redisUrl;
		processCounters = url ? new RedisCounters(url) : null;
	}
	return processCounters;
}

/** Closes the connection to the shared counters, if one was opened (limits then count locally). */
export async function closeSharedCounters(): Promise<void> {
	await processCounters?.close();
}
