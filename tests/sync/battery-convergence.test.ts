/**
 * Battery: convergence. For each seed, 3–5 real `WebsocketProvider` clients make 100 random
 * journey edits on one board through the real server, while being disconnected and reconnected at
 * random; in the end every client, a fresh client and the stored board hold the same document
 * (compared through `Y.encodeStateAsUpdate`, see `fingerprint`). Seeds share one server and run
 * several at a time; clients run in this process.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newEvidence } from '../../src/lib/journey/touchpoint';
import * as Y from 'yjs';
import { deleteTouchpoint, patchItem, putItem } from '../../src/lib/journey/document';
import { batterySeed, fingerprint, storedBoard, Rng, scaled, scaledTimeout } from './battery-helpers';
import { cleanup, loadFresh, touchpoint, type Account, type Client, type TestServer } from './helpers';
import { setupBoard } from './setup';

/** Seeds per run (each a board); the soak runs ten times as many. */
const SEEDS = scaled(200, 2_000);
const OPERATIONS = 100;
/** Seeds in flight at once on the shared server. */
const CONCURRENCY = 8;
/** How long the clients of one seed may take to agree once all are connected. */
const CONVERGE_TIMEOUT_MS = 30_000;

/**
 * Seeds that once failed, replayed first on every run. Add a seed here when this suite reports
 * one (with the fix). None has failed so far: the server relays and stores every update whole,
 * so the clients' documents converge whatever the interleaving.
 */
const REGRESSION_SEEDS: number[] = [];

const LANE = 'lane-touchpoints';

/** One random journey edit, disconnect or reconnect by one of the clients. */
function randomOperation(rng: Rng, clients: Client[], prefix: string, step: number): void {
	const client = rng.pick(clients);
	const doc = client.doc;
	const touchpoints = [...doc.getMap('touchpoints').keys()];
	const stages = [...doc.getMap('stages').keys()];
	const id = `${prefix}-${step}`;
	const action = rng.weighted([
		[26, 'add-touchpoint'],
		[26, 'patch-touchpoint'],
		[7, 'delete-touchpoint'],
		[5, 'add-stage'],
		[3, 'delete-stage'],
		[4, 'reorder-stage'],
		[5, 'link'],
		[4, 'evidence'],
		[3, 'title'],
		[4, 'batch'],
		[6, 'disconnect'],
		[6, 'reconnect'],
		[3, 'drop-socket']
	] as const);
	switch (action) {
		case 'add-touchpoint':
			putItem(
				doc,
				'touchpoints',
				touchpoint(id, {
					stageId: rng.pick(stages.length > 0 ? stages : ['stage-1']),
					laneId: LANE,
					x: rng.int(2000),
					emotion: rng.between(-5, 5)
				})
			);
			break;
		case 'patch-touchpoint':
			if (touchpoints.length === 0) break;
			patchItem(doc, 'touchpoints', rng.pick(touchpoints), {
				...(rng.chance(0.5) ? { title: `Edited ${step}` } : {}),
				...(rng.chance(0.5) ? { x: rng.int(2000) } : {}),
				...(rng.chance(0.3) ? { kind: rng.pick(['neutral', 'positive-peak', 'negative-peak'] as const) } : {}),
				...(rng.chance(0.3) ? { emotion: rng.chance(0.2) ? undefined : rng.between(-5, 5) } : {}),
				...(rng.chance(0.2) ? { description: 'd'.repeat(rng.int(200)) } : {})
			});
			break;
		case 'delete-touchpoint':
			if (touchpoints.length > 0) deleteTouchpoint(doc, rng.pick(touchpoints));
			break;
		case 'add-stage':
			putItem(doc, 'stages', { id: `stage-${id}`, name: `Stage ${step}`, order: rng.int(100) });
			break;
		case 'delete-stage':
			if (stages.length > 1) doc.getMap('stages').delete(rng.pick(stages));
			break;
		case 'reorder-stage':
			if (stages.length > 0) patchItem(doc, 'stages', rng.pick(stages), { order: rng.int(100) });
			break;
		case 'link':
			if (touchpoints.length > 1)
				putItem(doc, 'links', { id: `link-${id}`, source: rng.pick(touchpoints), target: rng.pick(touchpoints), label: '' });
			break;
		case 'evidence':
			if (touchpoints.length > 0) {
				putItem(
					doc,
					'evidence',
					newEvidence({ id: `ev-${id}`, touchpointId: rng.pick(touchpoints), type: 'quote', text: `Quote ${step}` })
				);
			}
			break;
		case 'title':
			doc.getMap('board').set('title', `Board ${prefix} v${step}`);
			break;
		case 'batch':
			doc.transact(() => {
				for (let i = 0; i < 5; i++) putItem(doc, 'touchpoints', touchpoint(`${id}-${i}`, { stageId: 'stage-1', laneId: LANE, x: i }));
				if (touchpoints.length > 0) patchItem(doc, 'touchpoints', rng.pick(touchpoints), { y: step });
			});
			break;
		case 'disconnect':
			if (client.provider.shouldConnect) client.provider.disconnect();
			break;
		case 'reconnect':
			if (!client.provider.shouldConnect) client.provider.connect();
			break;
		case 'drop-socket':
			// The socket dies under the provider (as on a network blip); it reconnects by itself.
			client.provider.ws?.close();
			break;
	}
}

/** Lets sockets and timers run: nothing, an immediate, or a few milliseconds. */
function pause(rng: Rng): Promise<void> {
	const roll = rng.int(10);
	if (roll < 6) return Promise.resolve();
	if (roll < 9) return new Promise((resolve) => setImmediate(resolve));
	return new Promise((resolve) => setTimeout(resolve, rng.int(4)));
}

function stateVectorKey(doc: Y.Doc): string {
	return [...Y.decodeStateVector(Y.encodeStateVector(doc))].sort(([a], [b]) => a - b).join(';');
}

describe('convergence', () => {
	let server: TestServer;
	let owner: Account;
	const baseSeed = batterySeed('convergence');

	beforeAll(async () => {
		// Every provider adds an exit listener to the process (y-websocket does, in Node).
		process.setMaxListeners(CONCURRENCY * 5 + 50);
		({ server, owner } = await setupBoard({ board: false }));
	});
	afterAll(cleanup);

	async function runSeed(seed: number): Promise<string | null> {
		const rng = new Rng(seed);
		const { boardId, clients } = await setupBoard({
			server,
			owner,
			board: { title: `Seed ${seed}`, template: 'blank' },
			clients: Array.from({ length: rng.between(3, 5) }, () => 'owner' as const),
			synced: false
		});
		try {
			await Promise.all(clients.map((client) => client.synced));
			for (let step = 0; step < OPERATIONS; step++) {
				randomOperation(rng, clients, `s${seed}`, step);
				await pause(rng);
			}
			for (const client of clients) if (!client.provider.shouldConnect) client.provider.connect();

			// Converged: every client synced and all hold the same state, then the same content.
			const deadline = Date.now() + CONVERGE_TIMEOUT_MS;
			let agreed: string | null = null;
			while (Date.now() < deadline) {
				if (clients.every((client) => client.provider.synced)) {
					const key = stateVectorKey(clients[0].doc);
					if (clients.every((client) => stateVectorKey(client.doc) === key)) {
						const prints = clients.map((client) => fingerprint(client.doc));
						if (prints.every((print) => print === prints[0])) {
							agreed = prints[0];
							break;
						}
					}
				}
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
			if (agreed === null) return `seed ${seed}: the ${clients.length} clients did not converge within ${CONVERGE_TIMEOUT_MS} ms`;
			const fresh = await loadFresh(server, owner, boardId);
			if (fingerprint(fresh) !== agreed) return `seed ${seed}: a fresh client loads another document than the clients hold`;
			const stored = await storedBoard(server, boardId);
			if (stored.integrity !== 'ok') return `seed ${seed}: integrity_check says ${stored.integrity}`;
			if (fingerprint(stored.doc) !== agreed) return `seed ${seed}: the stored board differs from the clients’ document`;
			return null;
		} finally {
			for (const client of clients) client.destroy();
		}
	}

	test(
		`${REGRESSION_SEEDS.length} regression seeds and ${SEEDS} random seeds × ${OPERATIONS} operations converge`,
		async () => {
			const seeds = [...REGRESSION_SEEDS, ...Array.from({ length: SEEDS }, (_, i) => (baseSeed + i) >>> 0)];
			const failures: string[] = [];
			let next = 0;
			const started = performance.now();
			await Promise.all(
				Array.from({ length: CONCURRENCY }, async () => {
					while (next < seeds.length) {
						const seed = seeds[next++];
						const failure = await runSeed(seed);
						if (failure) failures.push(failure);
					}
				})
			);
			console.log(
				`[battery] convergence: ${seeds.length} seeds × ${OPERATIONS} operations in ${((performance.now() - started) / 1000).toFixed(1)} s, ${failures.length} failed`
			);
			expect(failures, 'failing seeds: replay each with BATTERY_SEED and keep it in REGRESSION_SEEDS').toEqual([]);
			expect(server.exitCode).toBeNull();
			expect(server.stderr).toBe('');
		},
		scaledTimeout(180_000, 1_800_000)
	);
});
