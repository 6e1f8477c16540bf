import { describe, expect, test } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { acceptsGzip, GZIP_MIN_BYTES, KEPT_BODY_CHUNK_BYTES, keptBody, keptJsonResponse, keptResponse } from './kept-body';

const asking = (acceptEncoding?: string) =>
	new Request('http://localhost/', { headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } });

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
		const response = await keptJsonResponse(asking('gzip'), json);
		expect(response.headers.get('content-length')).toBe('7');
		expect(await response.json()).toEqual({ a: 1 });
		expect(new TextDecoder().decode(json)).toBe('{"a":1}');
	});

	test('go gzip-compressed to a client that takes gzip when they are text of some size, and as they are otherwise', async () => {
		const text = new TextEncoder().encode(JSON.stringify({ cards: Array.from({ length: 2_000 }, (_, id) => ({ id, title: 'Queueing' })) }));
		expect(text.byteLength).toBeGreaterThan(GZIP_MIN_BYTES);
		const compressed = await keptJsonResponse(asking('gzip, deflate, br'), text);
		expect(compressed.headers.get('content-encoding')).toBe('gzip');
		expect(compressed.headers.get('vary')).toBe('Accept-Encoding');
		const body = Buffer.from(await compressed.arrayBuffer());
		expect(Number(compressed.headers.get('content-length'))).toBe(body.byteLength);
		expect(body.byteLength).toBeLessThan(text.byteLength / 5);
		expect(gunzipSync(body).equals(Buffer.from(text))).toBe(true);
		for (const refused of [undefined, 'identity', 'br', 'gzip;q=0', 'gzip; q=0.0']) {
			const plain = await keptJsonResponse(asking(refused), text);
			expect(plain.headers.get('content-encoding')).toBeNull();
			expect(Number(plain.headers.get('content-length'))).toBe(text.byteLength);
		}
		const png = await keptResponse(asking('gzip'), text, { 'content-type': 'image/png' });
		expect(png.headers.get('content-encoding')).toBeNull();
	});

	test('read Accept-Encoding by its codings and qualities', () => {
		expect(acceptsGzip(asking('gzip'))).toBe(true);
		expect(acceptsGzip(asking('deflate, GZIP;q=0.5'))).toBe(true);
		expect(acceptsGzip(asking('*'))).toBe(true);
		expect(acceptsGzip(asking('x-gzip, br'))).toBe(false);
		expect(acceptsGzip(asking('gzip;q=0'))).toBe(false);
		expect(acceptsGzip(asking(''))).toBe(false);
	});
});
