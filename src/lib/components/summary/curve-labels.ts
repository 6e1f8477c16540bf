/** Label placement for the summary's curve: no two labels overlap, the most important are placed first. */

export interface LabelRequest {
	/** The point the label belongs to: the label is centred on it where there is room. */
	x: number;
	text: string;
	/** Lower places first. */
	priority: number;
	/** The label is cut (with "…") to fit this width. */
	maxWidth?: number;
}

export interface PlacedLabel {
	request: LabelRequest;
	text: string;
	/** Centre of the placed label. */
	x: number;
	width: number;
	row: number;
}

/** Space left between two labels on one row, in the labels' units. */
const LABEL_GAP = 8;
const CJK = /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/;

/** Estimated width of `text` at `fontSize`: CJK characters are square, others about 0.64 em. */
export function textWidth(text: string, fontSize: number): number {
	let ems = 0;
	for (const char of text) ems += CJK.test(char) ? 1 : 0.64;
	return ems * fontSize;
}

/** `text`, cut with "…" to fit `maxWidth`. */
export function fitText(text: string, fontSize: number, maxWidth: number): string {
	if (textWidth(text, fontSize) <= maxWidth) return text;
	const chars = [...text];
	while (chars.length > 0 && textWidth(`${chars.join('')}…`, fontSize) > maxWidth) chars.pop();
	return chars.length === 0 ? '' : `${chars.join('').trimEnd()}…`;
}

/**
 * Places labels on up to `rows` rows between `left` and `right`, most important first: each goes on
 * the first row where it overlaps no label placed before; one that fits nowhere is left out.
 */
export function placeLabels(
	requests: readonly LabelRequest[],
	options: { rows: number; fontSize: number; left: number; right: number }
): PlacedLabel[] {
	const { rows, fontSize, left, right } = options;
	const taken: { from: number; to: number }[][] = Array.from({ length: rows }, () => []);
	const placed: PlacedLabel[] = [];
	const ordered = [...requests].sort((a, b) => a.priority - b.priority || a.x - b.x);
	for (const request of ordered) {
		const text = request.maxWidth === undefined ? request.text : fitText(request.text, fontSize, request.maxWidth);
		if (!text) continue;
		const width = textWidth(text, fontSize);
		const x = Math.min(Math.max(request.x, left + width / 2), right - width / 2);
		const from = x - width / 2 - LABEL_GAP / 2;
		const to = x + width / 2 + LABEL_GAP / 2;
		const row = taken.findIndex((spans) => spans.every((span) => to <= span.from || from >= span.to));
		if (row === -1) continue;
		taken[row].push({ from, to });
		placed.push({ request, text, x, width, row });
	}
	return placed.sort((a, b) => a.x - b.x);
}
