import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { readAwarenessEntries } from './awareness-entries';
import { AWARENESS_TICK_MS, ENTRIES_PER_TICK, PresenceRelay, type PresenceCluster } from './presence-relay';

/** An awareness update of these clients' cursors (y-protocols' format). */
function cursors(clientIds: number[], clock = 1): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, clientIds.length);
	for (const clientId of clientIds) {
		encoding.writeVarUint(encoder, clientId);
		encoding.writeVarUint(encoder, clock);
		encoding.writeVarString(encoder, JSON.stringify({ cursor: { x: clientId, y: clock } }));
	}
	return encoding.toUint8Array(encoder);
}

/** How many entries an awareness frame (message type, then the update) carries. */
function entriesIn(frame: Uint8Array): number {
	const decoder = decoding.createDecoder(frame);
	decoding.readVarUint(decoder);
	return readAwarenessEntries(decoding.readVarUint8Array(decoder)).length;
}

function relay(sharing = 1) {
	const frames: Uint8Array[] = [];
	const published: number[][] = [];
	const cluster: PresenceCluster = { publish: (_update, clientIds) => published.push(clientIds), sharing: () => sharing };
	const awareness = new awarenessProtocol.Awareness(new Y.Doc());
	// As a room's: the server itself is nobody's presence.
	awareness.setLocalState(null);
	const presence = new PresenceRelay(awareness, (frame) => frames.push(frame), cluster);
	const enqueue = (clientIds: number[]) => {
		for (const clientId of clientIds) {
			const state = JSON.stringify({ cursor: { x: clientId } });
			presence.enqueue({ clientId, clock: 1, state: () => state });
		}
	};
	return { presence, frames, published, enqueue };
}

const ids = (count: number, from = 1) => Array.from({ length: count }, (_, i) => from + i);

describe('a board’s presence over several processes', () => {
	beforeEach(() => {
		vi.useFakeTimers();
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('applies only this process’s share of the board’s budget per tick, every entry in its turn', () => {
		const { presence, published, enqueue } = relay(2);
		const share = Math.floor(ENTRIES_PER_TICK / 2);
		enqueue(ids(3 * share));
		vi.advanceTimersByTime(AWARENESS_TICK_MS);
		expect(published).toEqual([ids(share)]);
		vi.advanceTimersByTime(2 * AWARENESS_TICK_MS);
		expect(published.flat()).toEqual(ids(3 * share));
		presence.close();
	});

	it('takes at least one entry a tick, however many processes share the budget', () => {
		const { presence, published, enqueue } = relay(10 * ENTRIES_PER_TICK);
		enqueue(ids(3));
		vi.advanceTimersByTime(AWARENESS_TICK_MS);
		expect(published).toEqual([[1]]);
		presence.close();
	});

	it('sends at most the budget per frame when other processes’ presence comes in bursts; the rest follows in the next ticks', () => {
		const { presence, frames } = relay(2);
		const many = ids(2 * ENTRIES_PER_TICK + 3, 1_000);
		presence.applyRemote(cursors(many), () => true);
		vi.advanceTimersByTime(AWARENESS_TICK_MS);
		expect(frames.map(entriesIn)).toEqual([ENTRIES_PER_TICK]);
		vi.advanceTimersByTime(2 * AWARENESS_TICK_MS);
		expect(frames.map(entriesIn)).toEqual([ENTRIES_PER_TICK, ENTRIES_PER_TICK, 3]);
		expect(presence.awareness.getStates().size).toBe(many.length);
		presence.close();
	});

	it('applies only the remote entries it admits', () => {
		const { presence } = relay();
		presence.applyRemote(cursors([1, 2, 3]), (entry) => entry.clientId !== 2);
		expect([...presence.awareness.getStates().keys()].sort()).toEqual([1, 3]);
		presence.close();
	});

	it('drops a malformed update from another process without throwing', () => {
		const { presence } = relay();
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		expect(() => presence.applyRemote(new Uint8Array([5, 1]), () => true)).not.toThrow();
		expect(error).toHaveBeenCalled();
		expect(presence.awareness.getStates().size).toBe(0);
		presence.close();
	});
});
