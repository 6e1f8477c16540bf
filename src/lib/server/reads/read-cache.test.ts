import { describe, expect, test } from 'vitest';
import { ReadCache, weightOf } from './read-cache';

const bytes = (n: number) => new Uint8Array(n);

describe('ReadCache', () => {
	test('computes a value once per board state and shares it with concurrent askers', async () => {
		const cache = new ReadCache(1_000);
		let computed = 0;
		const compute = async () => bytes(++computed);
		const [a, b] = await Promise.all([cache.get('b1', 'k1', 'journey', compute), cache.get('b1', 'k1', 'journey', compute)]);
		expect(a).toBe(b);
		expect(await cache.get('b1', 'k1', 'journey', compute)).toBe(a);
		expect(computed).toBe(1);
	});

	test('a new state of the board is computed again and its old values are dropped', async () => {
		const cache = new ReadCache(1_000);
		await cache.get('b1', 'k1', 'journey', async () => bytes(10));
		expect(cache.bytes).toBe(10);
		expect((await cache.get('b1', 'k2', 'journey', async () => bytes(20))).byteLength).toBe(20);
		expect(cache.bytes).toBe(20);
	});

	test('keeps at most its budget, dropping the least recently used board first', async () => {
		const cache = new ReadCache(100);
		await cache.get('b1', 'k', 'journey', async () => bytes(40));
		await cache.get('b2', 'k', 'journey', async () => bytes(40));
		await cache.get('b1', 'k', 'journey', async () => bytes(99)); // b1 used again: kept
		await cache.get('b3', 'k', 'journey', async () => bytes(40)); // over budget: b2 goes
		expect(cache.bytes).toBe(80);
		let recomputed = false;
		await cache.get('b2', 'k', 'journey', async () => ((recomputed = true), bytes(1)));
		expect(recomputed).toBe(true);
	});

	test('a failed computation is not kept', async () => {
		const cache = new ReadCache(100);
		await expect(cache.get('b1', 'k', 'journey', () => Promise.reject(new Error('busy')))).rejects.toThrow('busy');
		expect(await cache.get('b1', 'k', 'journey', async () => 'ok')).toBe('ok');
	});

	test('weighs strings, bytes and objects of them', () => {
		expect(weightOf('abc')).toBe(6);
		expect(weightOf({ json: bytes(10), title: 'ab', cards: 3 })).toBe(22);
	});
});
