import { contentDisposition, fileStem } from '../content-disposition';

/** The stem used when a title leaves nothing usable. */
export const FALLBACK_FILE_STEM = 'journey';

/** The file name of one export of a board: its sanitised title and the format's extension. */
export function exportFileName(title: string, extension: string): string {
	return `${fileStem(title, FALLBACK_FILE_STEM)}.${extension}`;
}

/** A download response: the body as an attachment, never cached by shared caches, never sniffed. */
export function downloadResponse(body: string | Uint8Array, fileName: string, contentType: string): Response {
	const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body);
	return new Response(bytes, {
		headers: {
			'Content-Type': contentType,
			'Content-Length': String(bytes.byteLength),
			'Content-Disposition': contentDisposition('attachment', fileName, FALLBACK_FILE_STEM),
			'Cache-Control': 'private, no-store',
			'X-Content-Type-Options': 'nosniff',
			// Opened directly (an SVG especially), the file still cannot run anything in this origin.
			'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox"
		}
	});
}
