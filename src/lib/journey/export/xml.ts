/** Characters XML 1.0 forbids anywhere in a document (controls, lone surrogates, U+FFFE/FFFF). */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text safe inside an XML element or a quoted attribute: markup escaped, forbidden characters dropped. */
export function escapeXml(text: string): string {
	return text.replace(NOT_XML_CHAR, '').replace(/[&<>"']/g, (char) => ENTITIES[char]);
}

/** A number for an SVG attribute: at most two decimals, no exponent, no negative zero. */
export function svgNumber(value: number): string {
	return String(Math.round(value * 100) / 100 + 0);
}
