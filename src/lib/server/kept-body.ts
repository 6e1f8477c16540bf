/** Bytes of a kept body handed to the response at a time: views into it, never copies. */
export const KEPT_BODY_CHUNK_BYTES = 256 * 1024;

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

/** A JSON response of kept UTF-8 bytes. */
export function keptJsonResponse(bytes: Uint8Array): Response {
	return new Response(keptBody(bytes), {
		headers: { 'content-type': 'application/json', 'content-length': String(bytes.byteLength) }
	});
}
