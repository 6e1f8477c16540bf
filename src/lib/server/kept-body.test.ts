import { describe, expect, test } from 'vitest';
import { KEPT_BODY_CHUNK_BYTES, keptBody, keptJsonResponse } from './kept-body';

describe('kept bodies', () => {
	test('stream every byte, in views of the kept bytes, and leave them whole', async () => {
		const bytes = new Uint8Array(2.5 * KEPT_BODY_CHUNK_BYTES).map((_, index) => index % 251);
		const chunks: Uint8Array[] = [];
		const reader = keptBody(bytes).getReader();
		for (let read = await reader.read(); !read.done; read = await reader.read()) chunks.push(read.value);
		expect(chunks).toHaveLength(3);
		expect(chunks.every((chunk) => chunk.buffer === bytes.buffer)).toBe(true);
		expect(Buffer.concat(chunks).equals(Buffer.from(bytes))).toBe(true);
		expect(bytes.byteLength).toBe(2.5 * KEPT_BODY_CHUNK_BYTES);
	});

	test('an empty body and a JSON answer read back as sent', async () => {
		expect(await new Response(keptBody(new Uint8Array(0))).text()).toBe('');
		const json = new TextEncoder().encode('{"a":1}');
		const response = keptJsonResponse(json);
		expect(response.headers.get('content-length')).toBe('7');
		expect(await response.json()).toEqual({ a: 1 });
		expect(new TextDecoder().decode(json)).toBe('{"a":1}');
	});
});
