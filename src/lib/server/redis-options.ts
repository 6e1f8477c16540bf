import type { RedisOptions } from 'ioredis';

/** Longest wait between two attempts to reach Redis again (each waits 0.1 s more than the last). */
export const REDIS_RECONNECT_MAX_MS = 2_000;

/**
 * Options of a Redis connection the product never waits on: a command while Redis is away fails at
 * once (its caller then decides alone) instead of piling up in memory, and, with `commandTimeoutMs`,
 * so does one Redis is slow to answer.
 */
export function failFastRedisOptions(connectionName: string, commandTimeoutMs?: number): RedisOptions {
	return {
		enableOfflineQueue: false,
		maxRetriesPerRequest: 0,
		...(commandTimeoutMs === undefined ? {} : { commandTimeout: commandTimeoutMs }),
		retryStrategy: (attempts) => Math.min(attempts * 100, REDIS_RECONNECT_MAX_MS),
		connectionName
	};
}
