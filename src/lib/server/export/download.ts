/** Longest file name stem kept from a board title, in characters (file systems allow 255 bytes). */
export const MAX_FILE_STEM_LENGTH = 120;
/** The stem used when a title leaves nothing usable. */
export const FALLBACK_FILE_STEM = 'journey';

/** Names Windows reserves for devices, whatever the extension. */
const RESERVED_NAMES = /^(con|prn|aux|nul|com\d|lpt\d)$/i;
/** Characters no common file system accepts in a name, and control characters. */
const UNSAFE_IN_FILE_NAMES = /[<>:"/\\|?*\u0000-\u001f\u007f-\u009f]/g;
/** Format characters (bidi overrides, zero-width) that can disguise a file's real extension. */
const INVISIBLE_FORMAT = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
const ASCII_PUNCTUATION: Record<string, string> = {
	'—': '-',
	'–': '-',
	'‐': '-',
	'−': '-',
	'‘': "'",
	'’': "'",
	'“': '',
	'”': '',
	'…': '...',
	'·': '-'
};

/** A board title made safe as a file name stem: no path or reserved characters, trimmed, bounded. */
export function fileStem(title: string): string {
	let stem = title
		.normalize('NFC')
		.replace(INVISIBLE_FORMAT, '')
		.replace(UNSAFE_IN_FILE_NAMES, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	stem = [...stem].slice(0, MAX_FILE_STEM_LENGTH).join('');
	// Windows drops trailing dots and spaces; a leading dot hides the file on Unix.
	stem = stem.replace(/^[.\s]+|[.\s]+$/g, '');
	if (!stem) return FALLBACK_FILE_STEM;
	return RESERVED_NAMES.test(stem) ? `${stem}_` : stem;
}

/** A file name's ASCII stand-in for old clients: accents dropped, other non-ASCII as `_`. */
export function asciiFileName(fileName: string): string {
	const ascii = fileName
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^\x20-\x7e]/g, (char) => ASCII_PUNCTUATION[char] ?? '_')
		.replace(/["\\]/g, '')
		.replace(/_+/g, '_')
		.replace(/\s+/g, ' ');
	const extension = /(\.[A-Za-z0-9]+)+$/.exec(ascii)?.[0] ?? '';
	const stem = ascii.slice(0, ascii.length - extension.length);
	// A title in Chinese leaves only underscores: a neutral stem reads better.
	return /[A-Za-z0-9]/.test(stem) ? ascii : FALLBACK_FILE_STEM + extension;
}

/** RFC 8187 `ext-value` percent-encoding: everything but attr-char is encoded. */
function encodeRfc8187(value: string): string {
	return encodeURIComponent(value).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `Content-Disposition: attachment` with an ASCII `filename=` fallback and the exact `filename*=UTF-8''…`. */
export function attachmentDisposition(fileName: string): string {
	return `attachment; filename="${asciiFileName(fileName)}"; filename*=UTF-8''${encodeRfc8187(fileName)}`;
}

/** The file name of one export of a board: its sanitised title and the format's extension. */
export function exportFileName(title: string, extension: string): string {
	return `${fileStem(title)}.${extension}`;
}

/** A download response: the body as an attachment, never cached by shared caches, never sniffed. */
export function downloadResponse(body: string | Uint8Array, fileName: string, contentType: string): Response {
	const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body);
	return new Response(bytes, {
		headers: {
			'Content-Type': contentType,
			'Content-Length': String(bytes.byteLength),
			'Content-Disposition': attachmentDisposition(fileName),
			'Cache-Control': 'private, no-store',
			'X-Content-Type-Options': 'nosniff',
			// Opened directly (an SVG especially), the file still cannot run anything in this origin.
			'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox"
		}
	});
}
