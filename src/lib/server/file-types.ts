/** Upload types accepted as evidence, recognised by their content (magic bytes), never by name. */
export interface DetectedType {
	mime: string;
	extension: string;
	/** Safe to show inline as an image in the product's pages. SVG never is. */
	inlineImage: boolean;
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const GIF87 = [0x47, 0x49, 0x46, 0x38, 0x37, 0x61];
const GIF89 = [0x47, 0x49, 0x46, 0x38, 0x39, 0x61];
const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const ZIP = [0x50, 0x4b, 0x03, 0x04];
/** How much of a text file is inspected to decide it is CSV. */
const TEXT_SNIFF_BYTES = 64 * 1024;

function startsWith(bytes: Uint8Array, signature: number[], offset = 0): boolean {
	return signature.every((byte, index) => bytes[offset + index] === byte);
}

function isWebp(bytes: Uint8Array): boolean {
	return startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8);
}

/** Office Open XML packages are ZIPs whose entries name their kind: `word/` or `xl/`. */
function officeKind(bytes: Uint8Array): 'docx' | 'xlsx' | null {
	const head = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 2 * 1024 * 1024)));
	if (!head.includes('[Content_Types].xml')) return null;
	if (head.includes('word/')) return 'docx';
	if (head.includes('xl/')) return 'xlsx';
	return null;
}

/**
 * CSV is text: valid UTF-8, no control bytes, and nothing a browser could take for markup or
 * script (HTML or SVG renamed to .csv is refused).
 */
function isCsv(bytes: Uint8Array): boolean {
	const sample = bytes.subarray(0, TEXT_SNIFF_BYTES);
	let text: string;
	try {
		// Streaming mode tolerates a multi-byte character cut at the end of the sample.
		text = new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: sample.length < bytes.length });
	} catch {
		return false;
	}
	// eslint-disable-next-line no-control-regex -- control characters mark a file as not text
	if (/[\x00-\x08\x0b\x0c\x0e-\x1f]/.test(text)) return false;
	const trimmed = text
		.replace(/^\uFEFF/, '')
		.trimStart()
		.toLowerCase();
	if (trimmed.startsWith('<') || /<\s*(script|html|svg|iframe|body|!doctype)/i.test(text)) return false;
	return trimmed.includes(',') || trimmed.includes(';') || trimmed.includes('\t') || trimmed.includes('\n');
}

/** The evidence type of a file's bytes, or null when it is not an allowed type. */
export function detectFileType(bytes: Uint8Array): DetectedType | null {
	if (startsWith(bytes, PNG)) return { mime: 'image/png', extension: 'png', inlineImage: true };
	if (startsWith(bytes, JPEG)) return { mime: 'image/jpeg', extension: 'jpg', inlineImage: true };
	if (startsWith(bytes, GIF87) || startsWith(bytes, GIF89)) return { mime: 'image/gif', extension: 'gif', inlineImage: true };
	if (isWebp(bytes)) return { mime: 'image/webp', extension: 'webp', inlineImage: true };
	if (startsWith(bytes, PDF)) return { mime: 'application/pdf', extension: 'pdf', inlineImage: false };
	if (startsWith(bytes, ZIP)) {
		const kind = officeKind(bytes);
		if (kind === 'docx') {
			return {
				mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
				extension: 'docx',
				inlineImage: false
			};
		}
		if (kind === 'xlsx') {
			return { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx', inlineImage: false };
		}
		return null;
	}
	if (isCsv(bytes)) return { mime: 'text/csv', extension: 'csv', inlineImage: false };
	return null;
}

/** Whether a stored MIME type is an image safe to show inline. */
export function isInlineImage(mime: string): boolean {
	return ['image/png', 'image/jpeg', 'image/gif', 'image/webp'].includes(mime);
}
