/**
 * Bus latency over a local Redis: one process publishes board updates the size of a typical
 * edit, another receives them; prints publish-to-receive percentiles and Redis messages per edit.
 * Run: `npx tsx tests/bench/bus-latency.ts` (starts its own Redis on loopback).
 */
import { performance } from 'node:perf_hooks';
import { RedisBoardBus } from '../../server/cluster/redis-board-bus';
import { startRedis } from '../support/engines';

/** Updates sent, one every `GAP_MS`, after `WARMUP` that are not counted. */
const EDITS = Number(process.env.BUS_EDITS ?? 2_000);
const WARMUP = 200;
const GAP_MS = 2;
/** A touchpoint title edit merged with its neighbours' is about this many bytes. */
const UPDATE_BYTES = 120;

const redis = await startRedis();
const sender = new RedisBoardBus(redis.url);
const receiver = new RedisBoardBus(redis.url);
try {
	while (!sender.connected || !receiver.connected) await new Promise((resolve) => setTimeout(resolve, 20));
	const sentAt = new Map<number, number>();
	const latencies: number[] = [];
	let done: () => void = () => {};
	const finished = new Promise<void>((resolve) => (done = resolve));
	await receiver.subscribe('bench-board', (message) => {
		if (message.kind !== 'update') return;
		const started = sentAt.get(message.seq);
		if (started !== undefined && message.seq > WARMUP) latencies.push(performance.now() - started);
		if (message.seq === EDITS + WARMUP) done();
	});
	const update = new Uint8Array(UPDATE_BYTES).fill(7);
	for (let seq = 1; seq <= EDITS + WARMUP; seq += 1) {
		sentAt.set(seq, performance.now());
		sender.publish('bench-board', { kind: 'update', seq, update });
		await new Promise((resolve) => setTimeout(resolve, GAP_MS));
	}
	await finished;
	latencies.sort((a, b) => a - b);
	const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(3);
	console.log(`bus publish→receive over local Redis, ${latencies.length} updates of ${UPDATE_BYTES} B:`);
	console.log(`  p50 ${at(0.5)} ms  p90 ${at(0.9)} ms  p99 ${at(0.99)} ms  max ${at(1)} ms`);
	console.log(
		`  published ${sender.counts.published}, received ${receiver.counts.received}: one PUBLISH per stored batch, one delivery per other subscribed process`
	);
} finally {
	await sender.close();
	await receiver.close();
	await redis.stop();
}
