/**
 * `kill -9` of either process mid-edit: every edit another client saw is in PostgreSQL (each
 * process stores before it relays, to its own sockets and over Redis), and the killed process's
 * clients reconnect to the other process and bring their unsent edits with them.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { readJourney, putItem } from '../../src/lib/journey/document';
import { startRoundRobinProxy } from '../support/cluster';
import { storedBoard } from '../sync/battery-helpers';
import { cleanup, connectClient, loadFresh, touchpoint, touchpointIds, waitFor } from '../sync/helpers';
import { clusterBoard } from './cluster-board';

/** Edits the writer makes in all; the process it writes through is killed part-way. */
const TOTAL_EDITS = 200;
/** The observer's count of received edits at which the writer's process is killed. */
const KILL_AFTER_RECEIVED = 80;
/** Edits the writer may have sent that the observer has not received yet, so some are in flight. */
const IN_FLIGHT_WINDOW = 20;

afterEach(cleanup);

describe('kill -9 of one process', () => {
	test.each([
		['the first', 0],
		['the second', 1]
	])('%s process killed mid-edit: nothing the observer saw is lost, and its clients move to the other', async (_label, victimIndex) => {
		const { cluster, owner, members, boardId } = await clusterBoard({ members: { observer: 'viewer' } });
		const victim = cluster.processes[victimIndex];
		const survivor = cluster.processes[1 - victimIndex];
		// The writer reaches the victim through a proxy that lists only it for now; the observer is on the survivor.
		const proxy = await startRoundRobinProxy([victim.port]);
		const writer = connectClient(proxy, owner.cookie, boardId);
		const observer = connectClient(survivor, members.observer.cookie, boardId);
		await Promise.all([writer.synced, observer.synced]);
		expect(proxy.connections.get(victim.port)).toBe(1);

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
			if (!killed && received.size >= KILL_AFTER_RECEIVED) {
				// Until the check below, the writer cannot reconnect anywhere and hand its copy over.
				proxy.setTargets([]);
				killed = victim.kill9();
			}
			if (!killed) await waitFor(() => received.size >= sent.length - IN_FLIGHT_WINDOW, 'the observer to keep up');
			else await new Promise((resolve) => setImmediate(resolve));
		}
		expect(killed, 'the process was killed mid-stream').not.toBeNull();
		await killed;
		await waitFor(() => !writer.provider.wsconnected, 'the writer to notice its process died');

		// Every update the observer saw was stored before it was relayed: PostgreSQL has it, and so
		// does a fresh client of the survivor.
		const seen = [...received];
		expect(seen.length).toBeGreaterThanOrEqual(KILL_AFTER_RECEIVED);
		expect(seen.length).toBeLessThan(TOTAL_EDITS);
		const stored = await storedBoard(survivor, boardId);
		expect(stored.integrity).toBe('ok');
		for (const id of seen) expect(touchpointIds(stored.doc), `received edit ${id} is in PostgreSQL`).toContain(id);
		const fresh = readJourney(await loadFresh(survivor, owner, boardId)).touchpoints;
		const storedIds = fresh.map((item) => item.id);
		for (const id of seen) expect(storedIds, `received edit ${id} is stored`).toContain(id);
		for (const item of fresh) expect(item).toMatchObject({ title: `Edit ${sent.indexOf(item.id)}`, x: sent.indexOf(item.id) });

		// The writer reconnects through the proxy: the dead process refuses, the survivor takes it, and the offline edits arrive.
		proxy.setTargets([victim.port, survivor.port]);
		await waitFor(() => writer.provider.synced && writer.provider.wsconnected, 'the writer to reconnect to the surviving process');
		expect(proxy.connections.get(survivor.port)).toBeGreaterThanOrEqual(1);
		await waitFor(() => touchpointIds(observer.doc).length === TOTAL_EDITS, 'every edit to reach the observer');
		expect(touchpointIds(observer.doc)).toEqual([...sent].sort());

		// The killed process starts again and serves the whole board.
		await victim.start();
		expect(touchpointIds(await loadFresh(victim, owner, boardId))).toEqual([...sent].sort());
		expect(survivor.stderr).toBe('');
	});
});
