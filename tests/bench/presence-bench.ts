/**
 * The presence scenario (`BENCH_ONLY=presence`, product only): edit relay on one board, measured
 * idle and again while a crowd of sockets on another board sends presence at the allowed
 * per-connection rate. The figure is the edit p99 under the crowd as a ratio to idle; `/healthz`
 * latency and the frames each crowd socket received are logged beside it.
 */
import WebSocket from 'ws';
import { DEFAULT_AWARENESS_MAX_PER_SECOND } from '../../src/lib/server/config';
import { MESSAGE_AWARENESS } from '../../server/protocol';
import type { Figures } from './report';
import type { Job, LoadRoom, StepResult } from './load-worker';
import type { BenchServer } from './servers';
import { percentile } from './stats';
import { generateJourney } from './workload';
import * as encoding from 'lib0/encoding';

/** The sizes of the scenario; quick mode shortens it. */
function presencePlan(quick: boolean) {
	return {
		crowd: 300,
		/** Presence updates per crowd socket and second: the server's default allowance. */
		rate: DEFAULT_AWARENESS_MAX_PER_SECOND,
		edits: { clients: 20, writers: 2, rate: 20 },
		warmupMs: quick ? 500 : 2_000,
		durationMs: quick ? 2_000 : 10_000,
		touchpoints: 200
	};
}

/** Runs a fan-out job in the load generator process. */
export type RunFanout = (job: Extract<Job, { kind: 'fanout' }>) => Promise<{ steps: StepResult[] }>;

/** Sockets opened at once while the crowd gathers. */
const OPEN_BATCH = 50;
/** Pause between two `/healthz` requests while the crowd sends. */
const HEALTH_INTERVAL_MS = 100;

interface CrowdSocket {
	socket: WebSocket;
	clientId: number;
	clock: number;
	received: number;
}

function openCrowdSocket(room: LoadRoom, clientId: number): Promise<CrowdSocket> {
	const crowdSocket: CrowdSocket = {
		socket: new WebSocket(room.address.url, { headers: room.address.headers, perMessageDeflate: false }),
		clientId,
		clock: 0,
		received: 0
	};
	crowdSocket.socket.on('message', (data: Buffer) => {
		if (data[0] === MESSAGE_AWARENESS) crowdSocket.received += 1;
	});
	return new Promise((resolve, reject) => {
		crowdSocket.socket.once('open', () => resolve(crowdSocket));
		crowdSocket.socket.once('error', reject);
	});
}

function presenceFrame(crowdSocket: CrowdSocket): Uint8Array {
	crowdSocket.clock += 1;
	const state = JSON.stringify({ user: { name: `Viewer ${crowdSocket.clientId}` }, cursor: { x: crowdSocket.clock % 4_000, y: 300 } });
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
	const body = encoding.createEncoder();
	encoding.writeVarUint(body, 1);
	encoding.writeVarUint(body, crowdSocket.clientId);
	encoding.writeVarUint(body, crowdSocket.clock);
	encoding.writeVarString(body, state);
	encoding.writeVarUint8Array(encoder, encoding.toUint8Array(body));
	return encoding.toUint8Array(encoder);
}

/** `/healthz` latencies (ms), sampled until `stop` resolves. */
async function sampleHealth(origin: string, stop: { done: boolean }): Promise<number[]> {
	const samples: number[] = [];
	while (!stop.done) {
		const startedAt = performance.now();
		await fetch(`${origin}/healthz`).then((response) => response.arrayBuffer());
		samples.push(performance.now() - startedAt);
		await new Promise((resolve) => setTimeout(resolve, HEALTH_INTERVAL_MS));
	}
	return samples;
}

/** Measures edit relay idle and under a presence crowd; writes `presence.*` figures. */
export async function measurePresence(
	server: BenchServer,
	runFanout: RunFanout,
	log: (message: string) => void,
	figures: Figures,
	quick: boolean
): Promise<void> {
	const plan = presencePlan(quick);
	const [editRoom, crowdRoom] = await server.createRooms(2, generateJourney(plan.touchpoints), 'presence');
	const edits = async () => {
		const { steps } = await runFanout({
			kind: 'fanout',
			rooms: [editRoom],
			clientsPerRoom: plan.edits.clients,
			writersPerRoom: plan.edits.writers,
			steps: [{ rate: plan.edits.rate, warmupMs: plan.warmupMs, durationMs: plan.durationMs }]
		});
		return steps[0];
	};

	const idle = await edits();
	const crowd: CrowdSocket[] = [];
	for (let first = 0; first < plan.crowd; first += OPEN_BATCH) {
		const count = Math.min(OPEN_BATCH, plan.crowd - first);
		crowd.push(...(await Promise.all(Array.from({ length: count }, (_, i) => openCrowdSocket(crowdRoom, 2_000_000 + first + i)))));
	}
	const cpuBefore = server.cpuSeconds();
	const startedAt = performance.now();
	const sender = setInterval(() => {
		for (const crowdSocket of crowd) {
			if (crowdSocket.socket.readyState === WebSocket.OPEN) crowdSocket.socket.send(presenceFrame(crowdSocket));
		}
	}, 1000 / plan.rate);
	const stop = { done: false };
	const health = sampleHealth(server.origin, stop);
	let loaded: StepResult;
	try {
		loaded = await edits();
	} finally {
		clearInterval(sender);
		stop.done = true;
	}
	const seconds = (performance.now() - startedAt) / 1000;
	const healthMs = await health;
	const sent = crowd.reduce((sum, crowdSocket) => sum + crowdSocket.clock, 0);
	const received = crowd.reduce((sum, crowdSocket) => sum + crowdSocket.received, 0);
	const closed = crowd.filter((crowdSocket) => crowdSocket.socket.readyState !== WebSocket.OPEN).length;
	for (const crowdSocket of crowd) crowdSocket.socket.terminate();

	figures['presence.idleP99'] = idle.completeP99;
	figures['presence.crowdP99'] = loaded.completeP99;
	figures['presence.p99Ratio'] = loaded.completeP99 / idle.completeP99;
	figures['presence.healthP50'] = percentile(healthMs, 50);
	figures['presence.healthMax'] = Math.max(...healthMs);
	log(
		`product presence: edit p99 idle ${idle.completeP99.toFixed(2)} ms, with ${plan.crowd} sockets × ${plan.rate}/s presence ` +
			`${loaded.completeP99.toFixed(2)} ms (${(loaded.completeP99 / idle.completeP99).toFixed(2)}×; p50 ${idle.completeP50.toFixed(2)} → ` +
			`${loaded.completeP50.toFixed(2)} ms, lost ${loaded.lost}); /healthz p50 ${percentile(healthMs, 50).toFixed(1)} ms, ` +
			`max ${Math.max(...healthMs).toFixed(1)} ms (${healthMs.length}); crowd sent ${Math.round(sent / seconds)}/s, received ` +
			`${(received / crowd.length / seconds).toFixed(1)} frames/s per socket, ${closed} closed; server CPU ` +
			`${(server.cpuSeconds() - cpuBefore).toFixed(1)} s in ${seconds.toFixed(1)} s`
	);
}
