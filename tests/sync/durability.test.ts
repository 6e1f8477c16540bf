import { afterEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { patchItem, putItem, readJourney } from '../../src/lib/journey/document';
import { barrier, cleanup, connectClient, getJourney, loadFresh, touchpoint, touchpointIds, waitFor } from './helpers';
import { ALICE_AND_BOB, setupBoard } from './setup';

/** Edits the writer makes in all; the server is killed part-way through. */
const TOTAL_EDITS = 300;
/** The observer's count of received edits at which the server is killed. */
const KILL_AFTER_RECEIVED = 120;
/** Edits the writer may have sent that the observer has not received yet, so some are in flight. */
const IN_FLIGHT_WINDOW = 25;

afterEach(cleanup);

// An update is written to SQLite before it is relayed, so no edit another client has seen is lost
// when the process dies (docs/api.md, Sync: writes).
describe('kill -9', () => {
	test('every edit an observer received survives SIGKILL and a restart, each exactly once', async () => {
		const {
			server,
			owner,
			boardId,
			clients: [writer, observer]
		} = await setupBoard({
			owner: 'Writer',
			members: { watcher: { role: 'viewer', name: 'Observer' } },
			board: { title: 'Durability', template: 'blank' },
			clients: ['owner', 'watcher']
		});

		const received = new Set<string>();
		observer.doc.getMap('touchpoints').observe((event) => {
			for (const [id, change] of event.changes.keys) if (change.action === 'add') received.add(id);
		});

		const sent: string[] = [];
		let killed: Promise<void> | null = null;
		for (let i = 0; i < TOTAL_EDITS; i++) {
			const id = `tp-${String(i).padStart(4, '0')}`;
			putItem(writer.doc, 'touchpoints', touchpoint(id, { title: `Edit ${i}`, x: i }));
			sent.push(id);
			if (!killed && received.size >= KILL_AFTER_RECEIVED) killed = server.kill9();
			// Keep a bounded number of edits in flight while the server is up; after the kill the
			// writer goes on editing offline.
			if (!killed) await waitFor(() => received.size >= sent.length - IN_FLIGHT_WINDOW, 'the observer to keep up');
			else await new Promise((resolve) => setImmediate(resolve));
		}
		expect(killed, 'the server was killed mid-stream').not.toBeNull();
		await killed;
		expect(server.exitCode).toBeNull(); // killed by a signal, not exited

		// Anything the dead server flushed to the observer's socket has arrived once it is closed.
		await waitFor(() => !observer.provider.wsconnected, 'the observer to notice the dead server');
		// Neither client may hand its copy back to the restarted server before the fresh load.
		writer.provider.disconnect();
		observer.provider.disconnect();
		const seen = [...received].sort();
		expect(seen.length).toBeGreaterThanOrEqual(KILL_AFTER_RECEIVED);
		expect(seen.length).toBeLessThan(TOTAL_EDITS);

		await server.restart();
		const fresh = await loadFresh(server, owner, boardId);
		const stored = readJourney(fresh).touchpoints;
		const storedIds = stored.map((item) => item.id);
		for (const id of seen) expect(storedIds, `received edit ${id} is stored`).toContain(id);
		expect(new Set(storedIds).size, 'no touchpoint is duplicated').toBe(storedIds.length);
		expect(touchpointIds(fresh)).toEqual([...storedIds].sort());
		for (const item of stored) {
			const i = sent.indexOf(item.id);
			expect(i, `${item.id} was sent by the writer`).toBeGreaterThanOrEqual(0);
			expect(item).toMatchObject({ title: `Edit ${i}`, x: i });
		}
		expect((await getJourney(server, owner, boardId)).touchpoints).toEqual(stored);

		// The writer's offline edits then merge in, each once.
		writer.provider.connect();
		await waitFor(() => writer.provider.synced, 'the writer to resync');
		const merged = connectClient(server, owner.cookie, boardId);
		await barrier(writer, merged);
		await waitFor(() => touchpointIds(merged.doc).length === TOTAL_EDITS, 'all edits on the server');
		const final = (await getJourney(server, owner, boardId)).touchpoints.map((item) => item.id);
		expect([...final].sort()).toEqual([...sent].sort());
	});
});

describe('graceful shutdown', () => {
	test('SIGTERM and a restart keep the board exactly as it was', async () => {
		const {
			server,
			owner,
			boardId,
			clients: [alice, bob]
		} = await setupBoard({
			...ALICE_AND_BOB,
			board: { title: 'Lifecycle', template: 'lifecycle' }
		});

		for (let i = 0; i < 40; i++) {
			const target = i % 2 === 0 ? alice : bob;
			putItem(target.doc, 'touchpoints', {
				...touchpoint(`tp-${i}`, { title: `Step ${i}`, x: i * 10, emotion: (i % 11) - 5 }),
				stageId: 'stage-usage',
				laneId: 'lane-touchpoints'
			});
		}
		patchItem(alice.doc, 'touchpoints', 'tp-3', { title: 'Renamed by Alice' });
		patchItem(bob.doc, 'touchpoints', 'tp-3', { importance: 7 });
		alice.doc.getMap('board').set('title', 'Lifecycle (reviewed)');
		await barrier(alice, bob);
		await barrier(bob, alice);
		await waitFor(() => JSON.stringify(readJourney(alice.doc)) === JSON.stringify(readJourney(bob.doc)), 'the editors to converge');

		const journeyBefore = await getJourney(server, owner, boardId);
		const before = await loadFresh(server, owner, boardId);
		expect(journeyBefore.touchpoints).toHaveLength(40);
		expect(journeyBefore).toEqual(readJourney(alice.doc));

		// Stop with both clients still connected, and keep them from reconnecting to the new process.
		await server.stop();
		expect(server.exitCode).toBe(0);
		alice.provider.disconnect();
		bob.provider.disconnect();
		await server.restart();

		const after = await loadFresh(server, owner, boardId);
		expect(after.toJSON()).toEqual(before.toJSON());
		expect(Y.encodeStateVector(after)).toEqual(Y.encodeStateVector(before));
		expect(await getJourney(server, owner, boardId)).toEqual(journeyBefore);

		// The editors reconnect to the restarted server and nothing changes or doubles.
		alice.provider.connect();
		bob.provider.connect();
		await waitFor(() => alice.provider.synced && bob.provider.synced, 'both editors to resync');
		await barrier(alice, bob);
		await barrier(bob, alice);
		expect(await getJourney(server, owner, boardId)).toEqual(journeyBefore);
	});
});
