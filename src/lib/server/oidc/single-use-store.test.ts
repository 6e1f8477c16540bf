import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DATABASES } from '../../../../tests/support/databases';
import type { Db } from '../db';
import { SingleUseStore } from './single-use-store';

describe.each(DATABASES)('SingleUseStore on %s', (_name, makeDatabase, skip) => {
	const database = makeDatabase();
	let db: Db;
	beforeAll(async () => {
		if (!skip) db = await database.open();
	}, 120_000);
	afterAll(async () => {
		if (db) await database.close(db);
	});

	test.skipIf(skip)('a value is taken once; peeking does not use it up', async () => {
		const store = new SingleUseStore<{ state: string }>('taken-once', 1000, 10);
		const token = await store.put(db, { state: 'flow' }, 0);
		expect(await store.peek(db, token, 1)).toEqual({ state: 'flow' });
		expect(await store.take(db, token, 2)).toEqual({ state: 'flow' });
		expect(await store.take(db, token, 3)).toBeNull();
	});

	test.skipIf(skip)('an expired, unknown, empty or overlong token gets nothing', async () => {
		const store = new SingleUseStore<string>('expiring', 1000, 10);
		const token = await store.put(db, 'flow', 0);
		expect(await store.take(db, token, 1000)).toBeNull();
		for (const bad of [undefined, '', 'unknown', 'x'.repeat(1000)]) expect(await store.take(db, bad, 1)).toBeNull();
	});

	test.skipIf(skip)('past its capacity the oldest entries of its purpose go, and other purposes keep theirs', async () => {
		const store = new SingleUseStore<number>('bounded', 1000, 2);
		const other = new SingleUseStore<number>('other', 1000, 2);
		const kept = await other.put(db, 0, 0);
		const first = await store.put(db, 1, 0);
		const second = await store.put(db, 2, 1);
		const third = await store.put(db, 3, 2);
		expect(await store.peek(db, first, 3)).toBeNull();
		expect(await store.peek(db, second, 3)).toBe(2);
		expect(await store.peek(db, third, 3)).toBe(3);
		expect(await other.peek(db, kept, 3)).toBe(0);
		// A token of one purpose takes nothing of another.
		expect(await other.take(db, second, 3)).toBeNull();
	});

	test.skipIf(skip)('two processes taking one token at once: exactly one gets the value', async () => {
		const here = new SingleUseStore<string>('raced', 1000, 10);
		const there = new SingleUseStore<string>('raced', 1000, 10);
		const token = await here.put(db, 'flow', 0);
		const taken = await Promise.all([here.take(db, token, 1), there.take(db, token, 1)]);
		expect(taken.filter((value) => value === 'flow')).toHaveLength(1);
	});
});
