import { describe, expect, test } from 'vitest';
import { SingleUseStore } from './single-use-store';

describe('SingleUseStore', () => {
	test('a value is taken once; peeking does not use it up', () => {
		const store = new SingleUseStore<string>(1000, 10);
		const token = store.put('flow', 0);
		expect(store.peek(token, 1)).toBe('flow');
		expect(store.take(token, 2)).toBe('flow');
		expect(store.take(token, 3)).toBeNull();
	});

	test('an expired, unknown, empty or overlong token gets nothing', () => {
		const store = new SingleUseStore<string>(1000, 10);
		const token = store.put('flow', 0);
		expect(store.take(token, 1000)).toBeNull();
		for (const bad of [undefined, '', 'unknown', 'x'.repeat(1000)]) expect(store.take(bad, 1)).toBeNull();
	});

	test('past its capacity the oldest entries go', () => {
		const store = new SingleUseStore<number>(1000, 2);
		const first = store.put(1, 0);
		const second = store.put(2, 0);
		const third = store.put(3, 0);
		expect(store.peek(first, 1)).toBeNull();
		expect(store.peek(second, 1)).toBe(2);
		expect(store.peek(third, 1)).toBe(3);
	});
});
