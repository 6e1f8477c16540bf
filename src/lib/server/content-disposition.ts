/**
 * The `Content-Disposition` header of every download, exports and evidence files alike (RFC 6266
 * with RFC 8187's `filename*`). The names it carries are made safe by `fileStem` ($lib/file-name).
 */

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
