/**
 * Clients of one board connected to two different processes (no proxy, no routing) converge under
 * random edits, disconnects and dropped sockets, and what they agree on is what a fresh client of
 * either process loads and what PostgreSQL stores, its log numbered without a gap.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { deleteTouchpoint, patchItem, putItem } from '../../src/lib/journey/document';
import { batterySeed, fingerprint, Rng, storedBoard } from '../sync/battery-helpers';
import { BLANK_LANE, BLANK_STAGE, cleanup, connectClient, loadFresh, touchpoint, type Client } from '../sync/helpers';
import { clusterBoard, converged } from './cluster-board';

const CLIENTS_PER_PROCESS = 3;
const OPERATIONS = 300;
/** How long the clients may take to agree once every one is connected again. */
const CONVERGE_TIMEOUT_MS = 30_000;

afterAll(cleanup);

/** One random edit, disconnect, reconnect or dropped socket by one of the clients. */
function randomOperation(rng: Rng, clients: Client[], step: number): void {
	const client = rng.pick(clients);
	const doc = client.doc;
	const touchpoints = [...doc.getMap('touchpoints').keys()];
	const action = rng.weighted([
		[35, 'add'],
		[30, 'patch'],
		[8, 'delete'],
		[5, 'title'],
		[6, 'batch'],
		[6, 'disconnect'],
		[7, 'reconnect'],
		[3, 'drop-socket']
	] as const);
	switch (action) {
		case 'add':
			putItem(doc, 'touchpoints', touchpoint(`tp-${step}`, { stageId: BLANK_STAGE, laneId: BLANK_LANE, x: rng.int(2000) }));
			break;
		case 'patch':
			if (touchpoints.length > 0) {
				patchItem(doc, 'touchpoints', rng.pick(touchpoints), {
					...(rng.chance(0.5) ? { title: `Edited ${step}` } : {}),
					x: rng.int(2000),
					...(rng.chance(0.3) ? { emotion: rng.between(-5, 5) } : {})
				});
			}
			break;
		case 'delete':
			if (touchpoints.length > 0) deleteTouchpoint(doc, rng.pick(touchpoints));
			break;
		case 'title':
			doc.getMap('board').set('title', `Cluster board v${step}`);
			break;
		case 'batch':
			doc.transact(() => {
				for (let i = 0; i < 4; i++) putItem(doc, 'touchpoints', touchpoint(`tp-${step}-${i}`, { x: i }));
			});
			break;
		case 'disconnect':
			if (client.provider.shouldConnect) client.provider.disconnect();
			break;
		case 'reconnect':
			if (!client.provider.shouldConnect) client.provider.connect();
			break;
		case 'drop-socket':
			client.provider.ws?.close();
			break;
	}
}

describe('two processes, one board, no routing', () => {
	test(`${CLIENTS_PER_PROCESS} clients on each process converge after ${OPERATIONS} random operations`, async () => {
		const seed = batterySeed('cluster convergence');
		const rng = new Rng(seed);
		const { a, b, owner, members, boardId } = await clusterBoard({ members: { editor: 'editor' } });
		const clients = [
			...Array.from({ length: CLIENTS_PER_PROCESS }, (_, i) => connectClient(a, (i % 2 ? members.editor : owner).cookie, boardId)),
			...Array.from({ length: CLIENTS_PER_PROCESS }, (_, i) => connectClient(b, (i % 2 ? owner : members.editor).cookie, boardId))
		];
		await Promise.all(clients.map((client) => client.synced));

		for (let step = 0; step < OPERATIONS; step++) {
			randomOperation(rng, clients, step);
			if (rng.chance(0.3)) await new Promise((resolve) => setTimeout(resolve, rng.int(5)));
		}
		for (const client of clients) if (!client.provider.shouldConnect) client.provider.connect();

		const agreed = await converged(clients, `the clients of both processes to converge (seed ${seed})`, CONVERGE_TIMEOUT_MS);
		expect(clients[0].doc.getMap('touchpoints').size, 'the run made touchpoints').toBeGreaterThan(0);
		expect(fingerprint(await loadFresh(a, owner, boardId)), 'a fresh client of process a').toBe(agreed);
		expect(fingerprint(await loadFresh(b, owner, boardId)), 'a fresh client of process b').toBe(agreed);
		const stored = await storedBoard(a, boardId);
		expect(stored.integrity, 'the log is numbered without gaps or repeats').toBe('ok');
		expect(fingerprint(stored.doc), 'PostgreSQL holds what the clients agree on').toBe(agreed);
		expect(a.stderr + b.stderr).toBe('');
	});
});
