import { describe, expect, it } from 'vitest';
import { PRESENCE_PEER_ANNOUNCE_MS, PRESENCE_PEER_TTL_MS, PresencePeers } from './presence-peers';

function peers(connected = true) {
	const state = { announced: 0, connected };
	const counted = new PresencePeers(
		() => (state.announced += 1),
		() => state.connected
	);
	return { state, counted };
}

describe('the processes sharing a board’s presence budget', () => {
	it('counts itself alone until another process announces itself, then both', () => {
		const { counted } = peers();
		expect(counted.sharing(0)).toBe(1);
		counted.heard('process-b', 10);
		counted.heard('process-c', 20);
		expect(counted.sharing(30)).toBe(3);
		// The same process announcing again counts once.
		counted.heard('process-b', 40);
		expect(counted.sharing(50)).toBe(3);
	});

	it('stops counting a process that fell silent (it died) a few seconds later', () => {
		const { counted } = peers();
		counted.heard('process-b', 0);
		counted.heard('process-c', 1_000);
		expect(counted.sharing(PRESENCE_PEER_TTL_MS)).toBe(3);
		expect(counted.sharing(PRESENCE_PEER_TTL_MS + 1)).toBe(2);
		expect(counted.sharing(1_000 + PRESENCE_PEER_TTL_MS + 1)).toBe(1);
	});

	it('announces itself at most once per interval, only while it applies presence', () => {
		const { state, counted } = peers();
		expect(state.announced).toBe(0);
		for (let now = 0; now < 3 * PRESENCE_PEER_ANNOUNCE_MS; now += 50) counted.sharing(now);
		expect(state.announced).toBe(3);
	});

	it('counts itself alone while the bus is down, and the others again once it is back', () => {
		const { state, counted } = peers(false);
		counted.heard('process-b', 0);
		expect(counted.sharing(10)).toBe(1);
		state.connected = true;
		expect(counted.sharing(20)).toBe(2);
	});

	it('remembers a bounded number of processes, however many announce', () => {
		const { counted } = peers();
		for (let i = 0; i < 10_000; i++) counted.heard(`process-${i}`, 0);
		expect(counted.sharing(1)).toBeLessThanOrEqual(65);
	});
});
