import { JOURNEY_FILE_STEM } from '../../file-name';
import { contentDisposition } from '../content-disposition';
import { keptResponse } from '../kept-body';

// Export file names are made where the browser names the journey JSON it saves.
export { exportFileName } from '../../file-name';

/**
 * A download response: the body as an attachment, never cached by shared caches, never sniffed.
 * Bytes are streamed as they are (they may be kept for the next reader), never copied; text goes
 * gzip-compressed to a client that accepts it.
 */
export function downloadResponse(request: Request, body: string | Uint8Array, fileName: string, contentType: string): Promise<Response> {
	const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
	return keptResponse(request, bytes, {
		'content-type': contentType,
		'content-disposition': contentDisposition('attachment', fileName, JOURNEY_FILE_STEM),
		'cache-control': 'private, no-store',
		'x-content-type-options': 'nosniff',
		// Opened directly (an SVG especially), the file still cannot run anything in this origin.
		'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox"
	});
}
