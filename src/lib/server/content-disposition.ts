/**
 * File names for downloads, and the `Content-Disposition` header that carries them (RFC 6266 with
 * RFC 8187's `filename*`): one sanitiser and one header for the exports and the evidence files.
 */

/** Longest file name stem kept, in characters, unless a caller asks for another bound (file systems allow 255 bytes). */
export const MAX_FILE_STEM_LENGTH = 120;

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

/**
 * A name (a board title, an uploaded file's name without its extension) made safe as a file name
 * stem: no path, reserved, control or invisible characters, trimmed, bounded; `fallback` when
 * nothing usable is left.
 */
export function fileStem(name: string, fallback: string, maxLength = MAX_FILE_STEM_LENGTH): string {
	let stem = name
		.normalize('NFC')
		.replace(INVISIBLE_FORMAT, '')
		.replace(UNSAFE_IN_FILE_NAMES, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	stem = [...stem].slice(0, maxLength).join('');
	// Windows drops trailing dots and spaces; a leading dot hides the file on Unix.
	stem = stem.replace(/^[.\s]+|[.\s]+$/g, '');
	if (!stem) return fallback;
	return RESERVED_NAMES.test(stem) ? `${stem}_` : stem;
}

/** A file name's ASCII stand-in for old clients: accents dropped, other non-ASCII as `_`; `fallbackStem` where no letter or digit is left. */
export function asciiFileName(fileName: string, fallbackStem: string): string {
	const ascii = fileName
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^\x20-\x7e]/g, (char) => ASCII_PUNCTUATION[char] ?? '_')
		.replace(/["\\]/g, '')
		.replace(/_+/g, '_')
		.replace(/\s+/g, ' ');
	const extension = /(\.[A-Za-z0-9]+)+$/.exec(ascii)?.[0] ?? '';
	const stem = ascii.slice(0, ascii.length - extension.length);
	// A name in Chinese leaves only underscores: a neutral stem reads better.
	return /[A-Za-z0-9]/.test(stem) ? ascii : fallbackStem + extension;
}

/** RFC 8187 `ext-value` percent-encoding: everything but attr-char is encoded. */
function encodeRfc8187(value: string): string {
	return encodeURIComponent(value).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `Content-Disposition` for a download (`attachment`) or a file shown in place (`inline`): an ASCII
 * `filename=` for old clients (`fallbackStem` where the name has no ASCII letter or digit) and the
 * exact name as `filename*=UTF-8''…`.
 */
export function contentDisposition(type: 'attachment' | 'inline', fileName: string, fallbackStem: string): string {
	return `${type}; filename="${asciiFileName(fileName, fallbackStem)}"; filename*=UTF-8''${encodeRfc8187(fileName)}`;
}
