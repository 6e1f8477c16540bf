import { describe, expect, it } from 'vitest';
import { FailureThrottle, GrowingDelay, PacedRate } from './rate-limit';

const MAX_FAILURES = 3;
const WINDOW_MS = 60_000;
const T0 = 1_000_000;

function failTimes(throttle: FailureThrottle, key: string, times: number, now = T0): void {
	for (let i = 0; i < times; i++) throttle.fail(key, now);
}

describe('FailureThrottle', () => {
	it('does not block a key it has not seen', () => {
		expect(new FailureThrottle(MAX_FAILURES, WINDOW_MS).isBlocked('a', T0)).toBe(false);
	});

	it('blocks a key once it reaches the maximum failures, not before', () => {
		const throttle = new FailureThrottle(MAX_FAILURES, WINDOW_MS);
		failTimes(throttle, 'a', MAX_FAILURES - 1);
		expect(throttle.isBlocked('a', T0)).toBe(false);
		throttle.fail('a', T0);
		expect(throttle.isBlocked('a', T0)).toBe(true);
	});

	it('counts each key separately', () => {
		const throttle = new FailureThrottle(MAX_FAILURES, WINDOW_MS);
		failTimes(throttle, 'a', MAX_FAILURES);
		expect(throttle.isBlocked('a', T0)).toBe(true);
		expect(throttle.isBlocked('b', T0)).toBe(false);
	});

	it('unblocks when the window that began with the first failure ends (fixed window)', () => {
		const throttle = new FailureThrottle(MAX_FAILURES, WINDOW_MS);
		throttle.fail('a', T0);
		throttle.fail('a', T0 + WINDOW_MS - 100);
		throttle.fail('a', T0 + WINDOW_MS - 50);
		expect(throttle.isBlocked('a', T0 + WINDOW_MS - 1)).toBe(true);
		expect(throttle.isBlocked('a', T0 + WINDOW_MS)).toBe(false);
	});

	it('starts a new count after the window ends', () => {
		const throttle = new FailureThrottle(MAX_FAILURES, WINDOW_MS);
		failTimes(throttle, 'a', MAX_FAILURES - 1);
		const later = T0 + WINDOW_MS;
		throttle.fail('a', later);
		expect(throttle.isBlocked('a', later)).toBe(false);
		failTimes(throttle, 'a', MAX_FAILURES - 1, later + 1);
		expect(throttle.isBlocked('a', later + 1)).toBe(true);
	});

	it('stays blocked while failures go on within the window', () => {
		const throttle = new FailureThrottle(MAX_FAILURES, WINDOW_MS);
		failTimes(throttle, 'a', MAX_FAILURES * 3);
		expect(throttle.isBlocked('a', T0 + WINDOW_MS / 2)).toBe(true);
	});

	it('forgets a key on reset', () => {
		const throttle = new FailureThrottle(MAX_FAILURES, WINDOW_MS);
		failTimes(throttle, 'a', MAX_FAILURES);
		failTimes(throttle, 'b', MAX_FAILURES);
		throttle.reset('a');
		expect(throttle.isBlocked('a', T0)).toBe(false);
		expect(throttle.isBlocked('b', T0)).toBe(true);
		throttle.fail('a', T0);
		expect(throttle.isBlocked('a', T0)).toBe(false);
	});

	it('keeps counting other keys correctly when expired windows are pruned', () => {
		const throttle = new FailureThrottle(MAX_FAILURES, WINDOW_MS);
		failTimes(throttle, 'old', MAX_FAILURES);
		failTimes(throttle, 'recent', MAX_FAILURES - 1, T0 + WINDOW_MS / 2);
		// A new key's first failure after 'old' expired prunes 'old' but not 'recent'.
		throttle.fail('new', T0 + WINDOW_MS);
		expect(throttle.isBlocked('old', T0 + WINDOW_MS)).toBe(false);
		throttle.fail('recent', T0 + WINDOW_MS);
		expect(throttle.isBlocked('recent', T0 + WINDOW_MS)).toBe(true);
	});
});

describe('GrowingDelay', () => {
	const FREE = 3;
	const FIRST_MS = 30_000;
	const MAX_MS = 15 * 60_000;

	it('lets the budget through, then blocks for twice as long each time, up to the cap', () => {
		const delay = new GrowingDelay(FREE, FIRST_MS, MAX_MS, WINDOW_MS);
		for (let i = 0; i < FREE - 1; i++) delay.fail('a', T0);
		expect(delay.retryAfterMs('a', T0)).toBe(0);
		delay.fail('a', T0);
		expect(delay.retryAfterMs('a', T0)).toBe(FIRST_MS);
		delay.fail('a', T0 + FIRST_MS);
		expect(delay.retryAfterMs('a', T0 + FIRST_MS)).toBe(2 * FIRST_MS);
		for (let i = 0; i < 20; i++) delay.fail('a', T0 + FIRST_MS);
		expect(delay.retryAfterMs('a', T0 + FIRST_MS)).toBe(MAX_MS);
		expect(delay.retryAfterMs('b', T0)).toBe(0);
	});

	it('forgets a key some time after its last block ends, and on reset', () => {
		const delay = new GrowingDelay(FREE, FIRST_MS, MAX_MS, WINDOW_MS);
		for (let i = 0; i < FREE; i++) delay.fail('a', T0);
		delay.fail('a', T0 + FIRST_MS + WINDOW_MS);
		expect(delay.retryAfterMs('a', T0 + FIRST_MS + WINDOW_MS)).toBe(0);
		for (let i = 0; i <= FREE; i++) delay.fail('b', T0);
		delay.reset('b');
		expect(delay.retryAfterMs('b', T0)).toBe(0);
	});
});

describe('PacedRate', () => {
	const PER_MINUTE = 60; // one turn a second
	const BURST = 3;
	const MAX_WAIT_MS = 2_000;

	it('gives the burst at once, then turns a rate apart, each caller told how long to wait', () => {
		const pace = new PacedRate(PER_MINUTE, BURST, MAX_WAIT_MS);
		expect([pace.take('a', T0), pace.take('a', T0), pace.take('a', T0)]).toEqual([0, 0, 0]);
		expect(pace.take('a', T0)).toBe(1_000);
		expect(pace.take('a', T0)).toBe(2_000);
		expect(pace.take('b', T0)).toBe(0);
	});

	it('refuses a turn further than the longest wait, without taking it, and says when to come back', () => {
		const pace = new PacedRate(PER_MINUTE, BURST, MAX_WAIT_MS);
		for (let i = 0; i < BURST + 2; i++) pace.take('a', T0);
		expect(pace.take('a', T0)).toBeNull();
		expect(pace.retryAfterMs('a', T0)).toBe(3_000);
		expect(pace.take('a', T0 + 1_000)).toBe(2_000);
	});

	it('refills up to the burst, not beyond', () => {
		const pace = new PacedRate(PER_MINUTE, BURST, MAX_WAIT_MS);
		for (let i = 0; i < BURST; i++) pace.take('a', T0);
		const later = T0 + 60_000;
		expect(pace.retryAfterMs('a', later)).toBe(0);
		for (let i = 0; i < BURST; i++) expect(pace.take('a', later)).toBe(0);
		expect(pace.take('a', later)).toBe(1_000);
	});
});
