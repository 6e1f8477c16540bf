/**
 * File names for everything the product lets people download (exports made on the server, the
 * journey JSON saved in the browser, evidence files): the one sanitiser, shared by server and browser.
 */

/** Longest file name stem kept, in characters, unless a caller asks for another bound (file systems allow 255 bytes). */
export const MAX_FILE_STEM_LENGTH = 120;

/** Names Windows reserves for devices, whatever the extension. */
const RESERVED_NAMES = /^(con|prn|aux|nul|com\d|lpt\d)$/i;
/** Characters no common file system accepts in a name, and control characters. */
// eslint-disable-next-line no-control-regex -- control characters are what it removes
const UNSAFE_IN_FILE_NAMES = /[<>:"/\\|?*\u0000-\u001f\u007f-\u009f]/g;
/** Format characters (bidi overrides, zero-width) that can disguise a file's real extension. */
const INVISIBLE_FORMAT = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/**
 * A name (a board title, an uploaded file's name without its extension) made safe as a file name
 * stem: no path, reserved, control or invisible characters, trimmed, bounded; `fallback` when
 * nothing usable is left.
 */
export function fileStem(name: string, fallback: string, maxLength = MAX_FILE_STEM_LENGTH): string {
	let stem = name.normalize('NFC').replace(INVISIBLE_FORMAT, '').replace(UNSAFE_IN_FILE_NAMES, ' ').replace(/\s+/g, ' ').trim();
	stem = [...stem].slice(0, maxLength).join('');
	// Windows drops trailing dots and spaces; a leading dot hides the file on Unix.
	stem = stem.replace(/^[.\s]+|[.\s]+$/g, '');
	if (!stem) return fallback;
	return RESERVED_NAMES.test(stem) ? `${stem}_` : stem;
}

/** The stem of a journey's file when its title leaves nothing usable. */
export const JOURNEY_FILE_STEM = 'journey';

/** The file name of one export of a board: its sanitised title and the format's extension. */
export function exportFileName(title: string, extension: string): string {
	return `${fileStem(title, JOURNEY_FILE_STEM)}.${extension}`;
}
