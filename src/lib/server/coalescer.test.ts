import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Coalescer } from './coalescer';

describe('Coalescer', () => {
	beforeEach(() => {
		vi.useFakeTimers();
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('hands the first items over on the next turn, then what arrives within the interval at its end, once each', () => {
		const handed: [string, string[]][] = [];
		const coalescer = new Coalescer<string>(1000, (key, items) => handed.push([key, [...items].sort()]));
		coalescer.add('board-a', ['t1']);
		expect(handed).toEqual([]);
		vi.advanceTimersByTime(0);
		expect(handed).toEqual([['board-a', ['t1']]]);
		// Ten batches within the interval: one hand-over at its end, each touchpoint once.
		for (let batch = 0; batch < 10; batch++) coalescer.add('board-a', ['t2', batch % 2 ? 't3' : 't2']);
		coalescer.add('board-b', ['t9']);
		vi.advanceTimersByTime(0);
		expect(handed).toEqual([
			['board-a', ['t1']],
			['board-b', ['t9']]
		]);
		vi.advanceTimersByTime(999);
		expect(handed).toHaveLength(2);
		vi.advanceTimersByTime(1);
		expect(handed.at(-1)).toEqual(['board-a', ['t2', 't3']]);
		// Nothing new for a whole interval: the keys are forgotten, and the next items go at once.
		vi.advanceTimersByTime(2000);
		expect(coalescer.size).toBe(0);
		coalescer.add('board-a', ['t4']);
		vi.advanceTimersByTime(0);
		expect(handed.at(-1)).toEqual(['board-a', ['t4']]);
		expect(handed).toHaveLength(4);
	});

	it('forgets a key: nothing of it is handed over', () => {
		const handed: string[] = [];
		const coalescer = new Coalescer<string>(1000, (key) => handed.push(key));
		coalescer.add('gone', ['t1']);
		coalescer.forget('gone');
		vi.advanceTimersByTime(5000);
		expect(handed).toEqual([]);
		expect(coalescer.size).toBe(0);
	});
});
