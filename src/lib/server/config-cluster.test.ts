import { describe, expect, test } from 'vitest';
import { DEFAULT_CLUSTER_POLL_MS, readConfig } from './config';

const PG = 'postgres://journey@127.0.0.1:5432/journey';

describe('REDIS_URL and CLUSTER_POLL_MS', () => {
	test('unset: one process, no bus, as before', () => {
		const config = readConfig({});
		expect(config.redisUrl).toBeNull();
		expect(config.clusterPollMs).toBe(DEFAULT_CLUSTER_POLL_MS);
	});

	test('with DATABASE_URL: read as given', () => {
		const config = readConfig({ REDIS_URL: 'redis://:secret@127.0.0.1:6379', DATABASE_URL: PG, CLUSTER_POLL_MS: '250' });
		expect(config.redisUrl).toBe('redis://:secret@127.0.0.1:6379');
		expect(config.clusterPollMs).toBe(250);
	});

	test('without DATABASE_URL: the process refuses to start, saying why', () => {
		expect(() => readConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/REDIS_URL is set without DATABASE_URL/);
	});

	test('not a Redis URL, or a poll interval that is not a positive number: refused', () => {
		expect(() => readConfig({ REDIS_URL: 'http://127.0.0.1:6379', DATABASE_URL: PG })).toThrow(/REDIS_URL must look like/);
		expect(() => readConfig({ REDIS_URL: 'not a url', DATABASE_URL: PG })).toThrow(/REDIS_URL must look like/);
		expect(() => readConfig({ CLUSTER_POLL_MS: '0' })).toThrow(/CLUSTER_POLL_MS/);
	});
});
