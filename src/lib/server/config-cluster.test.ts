import { describe, expect, test } from 'vitest';
import { DEFAULT_CLUSTER_EVENT_ACK_MS, DEFAULT_CLUSTER_POLL_MS, DEFAULT_SYNC_SOCKET_LEASE_SECONDS, readConfig } from './config';

const PG = 'postgres://journey@127.0.0.1:5432/journey';

describe('REDIS_URL, CLUSTER_POLL_MS and CLUSTER_EVENT_ACK_MS', () => {
	test('unset: one process, no bus, as before', () => {
		const config = readConfig({});
		expect(config.redisUrl).toBeNull();
		expect(config.clusterPollMs).toBe(DEFAULT_CLUSTER_POLL_MS);
		expect(config.clusterEventAckMs).toBe(DEFAULT_CLUSTER_EVENT_ACK_MS);
	});

	test('with DATABASE_URL: read as given', () => {
		const config = readConfig({
			REDIS_URL: 'redis://:secret@127.0.0.1:6379',
			DATABASE_URL: PG,
			CLUSTER_POLL_MS: '250',
			CLUSTER_EVENT_ACK_MS: '500'
		});
		expect(config.redisUrl).toBe('redis://:secret@127.0.0.1:6379');
		expect(config.clusterPollMs).toBe(250);
		expect(config.clusterEventAckMs).toBe(500);
	});

	test('without DATABASE_URL: the process refuses to start, saying why', () => {
		expect(() => readConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/REDIS_URL is set without DATABASE_URL/);
	});

	test('not a Redis URL, or a poll interval that is not a positive number: refused', () => {
		expect(() => readConfig({ REDIS_URL: 'http://127.0.0.1:6379', DATABASE_URL: PG })).toThrow(/REDIS_URL must look like/);
		expect(() => readConfig({ REDIS_URL: 'not a url', DATABASE_URL: PG })).toThrow(/REDIS_URL must look like/);
		expect(() => readConfig({ CLUSTER_POLL_MS: '0' })).toThrow(/CLUSTER_POLL_MS/);
		expect(() => readConfig({ CLUSTER_EVENT_ACK_MS: 'soon' })).toThrow(/CLUSTER_EVENT_ACK_MS/);
	});
});

describe('SYNC_SOCKET_LEASE_SECONDS', () => {
	test('unset: 30 s; set: in ms, at least a second; not a positive number: refused', () => {
		expect(readConfig({}).syncSocketLeaseMs).toBe(DEFAULT_SYNC_SOCKET_LEASE_SECONDS * 1000);
		expect(readConfig({ SYNC_SOCKET_LEASE_SECONDS: '2.5' }).syncSocketLeaseMs).toBe(2_500);
		expect(readConfig({ SYNC_SOCKET_LEASE_SECONDS: '0.01' }).syncSocketLeaseMs).toBe(1_000);
		expect(() => readConfig({ SYNC_SOCKET_LEASE_SECONDS: '0' })).toThrow(/SYNC_SOCKET_LEASE_SECONDS/);
		expect(() => readConfig({ SYNC_SOCKET_LEASE_SECONDS: 'soon' })).toThrow(/SYNC_SOCKET_LEASE_SECONDS/);
	});
});
