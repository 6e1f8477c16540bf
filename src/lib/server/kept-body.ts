import { readRunner } from './reads/read-runner';

/** Bytes of a kept body handed to the response at a time: views into it, never copies. */
export const KEPT_BODY_CHUNK_BYTES = 256 * 1024;
/** Kept text bodies at least this large go gzip-compressed to clients that accept it. */
export const GZIP_MIN_BYTES = 16 * 1024;
/** Content types worth compressing: JSON, CSV, Markdown and SVG shrink five- to tenfold; PNG and PDF are compressed already. */
const COMPRESSIBLE = /^(application\/json|text\/|image\/svg\+xml)/;

/**
 * A response body streamed from bytes that are kept (the read cache's journeys and exports): the
 * bytes are never copied on the event loop, which for a large board's export took whole
 * milliseconds per request (once here, once more in `Response`), and never detached, so the kept
 * value stays whole for the next reader.
 */
export function keptBody(bytes: Uint8Array): ReadableStream<Uint8Array> {
	let offset = 0;
	return new ReadableStream<Uint8Array>({
		pull(controller) {
			if (offset < bytes.byteLength) controller.enqueue(bytes.subarray(offset, offset + KEPT_BODY_CHUNK_BYTES));
			offset += KEPT_BODY_CHUNK_BYTES;
			if (offset >= bytes.byteLength) controller.close();
		}
	});
}

/** The gzip of each kept body, made once on a render worker and kept as long as the body is. */
const gzipped = new WeakMap<Uint8Array, Promise<Uint8Array>>();

function gzipOf(bytes: Uint8Array): Promise<Uint8Array> {
	let compressed = gzipped.get(bytes);
	if (!compressed) {
		compressed = readRunner().run({ kind: 'gzip', bytes }) as Promise<Uint8Array>;
		gzipped.set(bytes, compressed);
		compressed.catch(() => gzipped.delete(bytes));
	}
	return compressed;
}

/** Whether the request's `Accept-Encoding` takes gzip (by name or `*`, at a quality above 0). */
export function acceptsGzip(request: Request): boolean {
	return (request.headers.get('accept-encoding') ?? '').split(',').some((entry) => {
		const [coding, ...parameters] = entry.split(';').map((part) => part.trim().toLowerCase());
		const quality = parameters.find((parameter) => parameter.startsWith('q='));
		return (coding === 'gzip' || coding === '*') && (quality === undefined || Number(quality.slice(2)) > 0);
	});
}

/**
 * A response of kept bytes with `headers`: gzip-compressed when the body is text of some size and
 * the client accepts it — a large board's journey crosses the network, and the event loop's
 * socket writes, at a fifth of its size — otherwise as the bytes are. A busy render pool sends
 * the bytes as they are rather than make the reader wait.
 */
export async function keptResponse(request: Request, bytes: Uint8Array, headers: Record<string, string>): Promise<Response> {
	const compressible = bytes.byteLength >= GZIP_MIN_BYTES && COMPRESSIBLE.test(headers['content-type'] ?? '');
	const vary = { vary: 'Accept-Encoding' };
	if (compressible && acceptsGzip(request)) {
		const compressed = await gzipOf(bytes).catch(() => null);
		if (compressed) {
			return new Response(keptBody(compressed), {
				headers: { ...headers, ...vary, 'content-encoding': 'gzip', 'content-length': String(compressed.byteLength) }
			});
		}
	}
	return new Response(keptBody(bytes), {
		headers: { ...headers, ...(compressible ? vary : {}), 'content-length': String(bytes.byteLength) }
	});
}

/** A JSON response of kept UTF-8 bytes. */
export function keptJsonResponse(request: Request, bytes: Uint8Array): Promise<Response> {
	return keptResponse(request, bytes, { 'content-type': 'application/json' });
}
