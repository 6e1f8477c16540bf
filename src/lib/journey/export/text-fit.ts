/**
 * Text measurement without a browser: estimated advance widths of a proportional sans-serif
 * (Arial / Liberation Sans / Noto Sans metrics, rounded up), so the SVG export can wrap and
 * truncate text to fit its boxes. Estimates err wide: a line may end early, never overflow.
 */

/** Ideographs, kana, hangul and full-width forms take a full em and may break anywhere. */
const WIDE =
	/[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA960-\uA97F\uAC00-\uD7AF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{20000}-\u{3FFFD}]/u;
const NARROW = /[ijlI.,:;'!|()[\]{}/\\`]/;
const SPACE = /\s/;
const EXTRA_WIDE = /[mwMW@%]/;
const UPPER = /[A-Z&]/;
const DIGIT = /[0-9+\u2212]/;
const LOWER = /[a-z]/;
/** Whether text holds ideographs, kana, hangul or full-width forms. */
export function hasWideCharacters(text: string): boolean {
	return WIDE.test(text);
}

/** Bold text is a little wider. */
const BOLD_FACTOR = 1.08;
export const ELLIPSIS = '…';

function charEm(char: string): number {
	if (WIDE.test(char)) return 1;
	if (SPACE.test(char)) return 0.3;
	if (NARROW.test(char)) return 0.3;
	if (EXTRA_WIDE.test(char)) return 0.9;
	if (UPPER.test(char)) return 0.67;
	if (DIGIT.test(char)) return 0.58;
	if (LOWER.test(char)) return 0.55;
	if (char.codePointAt(0)! < 0x80) return 0.6;
	// Symbols (● ▲ ▼ ★ ■), accented letters and the rest.
	return 0.8;
}

/** Estimated width in pixels of `text` at `fontSize`. */
export function textWidth(text: string, fontSize: number, bold = false): number {
	let em = 0;
	for (const char of text) em += charEm(char);
	return em * fontSize * (bold ? BOLD_FACTOR : 1);
}

/** `text` cut to fit `maxWidth`, ending in an ellipsis when cut. */
export function truncate(text: string, maxWidth: number, fontSize: number, bold = false): string {
	if (textWidth(text, fontSize, bold) <= maxWidth) return text;
	const chars = [...text];
	let fitted = '';
	for (const char of chars) {
		if (textWidth(fitted + char + ELLIPSIS, fontSize, bold) > maxWidth) break;
		fitted += char;
	}
	return fitted.trimEnd() + ELLIPSIS;
}

/** Punctuation that must not start a line (kinsoku): it stays with the character before it. */
const NO_LINE_START = /[，。、；：！？）」』】》〉〕”’…,.;:!?)\]}]/;

/** Breakable pieces: one wide character each, words, and runs of space. */
function tokens(text: string): string[] {
	const pieces: string[] = [];
	let word = '';
	for (const char of text) {
		if (NO_LINE_START.test(char) && !word && pieces.length > 0 && pieces.at(-1) !== ' ') {
			pieces[pieces.length - 1] += char;
		} else if (NO_LINE_START.test(char)) {
			word += char;
		} else if (WIDE.test(char) || SPACE.test(char)) {
			if (word) pieces.push(word);
			word = '';
			pieces.push(SPACE.test(char) ? ' ' : char);
		} else {
			word += char;
		}
	}
	if (word) pieces.push(word);
	return pieces;
}

/**
 * `text` wrapped into at most `maxLines` lines of `maxWidth`: breaks between words and between wide
 * characters, breaks inside a word only when the word alone is too long, and ends the last line with
 * an ellipsis when text is left over.
 */
export function wrapText(text: string, maxWidth: number, fontSize: number, maxLines: number, bold = false): string[] {
	const fits = (line: string) => textWidth(line, fontSize, bold) <= maxWidth;
	const lines: string[] = [];
	let line = '';
	const pieces = tokens(text.replace(/\s+/g, ' ').trim());
	for (let index = 0; index < pieces.length; index += 1) {
		const piece = pieces[index];
		if (fits(line + piece)) {
			line += piece;
			continue;
		}
		if (piece === ' ') {
			lines.push(line);
			line = '';
			continue;
		}
		if (line.trim()) {
			lines.push(line.trimEnd());
			line = '';
		}
		if (fits(piece)) {
			line = piece;
			continue;
		}
		// A word wider than a line: cut it by characters.
		for (const char of piece) {
			if (!fits(line + char) && line) {
				lines.push(line);
				line = '';
			}
			line += char;
		}
	}
	if (line.trim()) lines.push(line.trimEnd());
	if (lines.length <= maxLines) return lines;
	const kept = lines.slice(0, maxLines);
	// The next line did not fit after this one, so joining them always overflows and gets the ellipsis.
	kept[maxLines - 1] = truncate(`${kept[maxLines - 1]} ${lines[maxLines]}`, maxWidth, fontSize, bold);
	return kept;
}
