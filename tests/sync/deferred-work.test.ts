/** Deferred work: one task per event-loop turn, in order, and a failing task stops none after it. */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { DeferredWork } from '../../server/deferred-work';

const nextTurns = (turns: number) =>
	new Promise<void>((resolve) => {
		const step = (left: number) => (left === 0 ? resolve() : setImmediate(() => step(left - 1)));
		step(turns);
	});

describe('deferred work', () => {
	afterEach(() => vi.restoreAllMocks());

	test('runs after the current turn, one task per turn, in order', async () => {
		const work = new DeferredWork();
		const order: string[] = [];
		work.add('first', () => {
			order.push('first');
			// Queued in the first task's turn: runs before the second task, whose turn comes after.
			setImmediate(() => order.push('other work'));
		});
		work.add('second', () => order.push('second'));
		expect(order).toEqual([]);
		await nextTurns(4);
		expect(order).toEqual(['first', 'other work', 'second']);
	});

	test('a failing task is logged with its name and the next one still runs', async () => {
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		const work = new DeferredWork();
		const ran: string[] = [];
		work.add('saving a version', () => {
			throw new Error('disk full');
		});
		work.add('after', () => ran.push('after'));
		await nextTurns(4);
		expect(ran).toEqual(['after']);
		expect(logged).toHaveBeenCalledWith('saving a version failed', expect.any(Error));
		// The queue is empty again: a new task starts a new round.
		work.add('later', () => ran.push('later'));
		await nextTurns(2);
		expect(ran).toEqual(['after', 'later']);
	});

	test('a task that waits on a write is the one task until it settles; its failure is logged', async () => {
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		const work = new DeferredWork();
		const order: string[] = [];
		let finishWrite!: () => void;
		work.add('writing', async () => {
			order.push('write started');
			await new Promise<void>((resolve) => (finishWrite = resolve));
			order.push('write done');
			throw new Error('connection lost');
		});
		work.add('after', () => order.push('after'));
		await nextTurns(4);
		expect(order).toEqual(['write started']);
		finishWrite();
		await vi.waitFor(() => expect(order).toEqual(['write started', 'write done', 'after']));
		expect(logged).toHaveBeenCalledWith('writing failed', expect.any(Error));
	});
});
