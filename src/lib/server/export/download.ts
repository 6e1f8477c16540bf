import { JOURNEY_FILE_STEM } from '../../file-name';
import { contentDisposition } from '../content-disposition';
import { keptBody } from '../kept-body';

// Export file names are made where the browser names the journey JSON it saves.
export { exportFileName } from '../../file-name';

/**
 * A download response: the body as an attachment, never cached by shared caches, never sniffed.
 * Bytes are streamed as they are (they may be kept for the next reader), never copied.
 */
export function downloadResponse(body: string | Uint8Array, fileName: string, contentType: string): Response {
	const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
	return new Response(keptBody(bytes), {
		headers: {
			'Content-Type': contentType,
			'Content-Length': String(bytes.byteLength),
			'Content-Disposition': contentDisposition('attachment', fileName, JOURNEY_FILE_STEM),
			'Cache-Control': 'private, no-store',
			'X-Content-Type-Options': 'nosniff',
			// Opened directly (an SVG especially), the file still cannot run anything in this origin.
			'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox"
		}
	});
}
