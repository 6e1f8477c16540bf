/** Columns a CSV of responses may have; the first three are required. */
export const CSV_COLUMNS = ['touchpoint', 'metric', 'score', 'comment', 'segment', 'at', 'id'] as const;
const REQUIRED_COLUMNS = ['touchpoint', 'metric', 'score'] as const;
type Column = (typeof CSV_COLUMNS)[number];

/** What CSV cells may name: touchpoints and segments by id, or by exact title and name. */
export interface CsvTargets {
	touchpoints: readonly { id: string; title: string }[];
	segments: readonly { id: string; name: string }[];
}

/** The delimiter the header row uses: a semicolon when it has more of them than commas outside quotes. */
function delimiterOf(text: string): ',' | ';' {
	let commas = 0;
	let semicolons = 0;
	let quoted = false;
	for (const char of text) {
		if (char === '"') quoted = !quoted;
		else if (!quoted && (char === '\n' || char === '\r')) break;
		else if (!quoted && char === ',') commas++;
		else if (!quoted && char === ';') semicolons++;
	}
	return semicolons > commas ? ';' : ',';
}

/** A record of a CSV file: its cells, and its row as a spreadsheet numbers it (the first 1, blank ones counted). */
export interface CsvRecord {
	cells: string[];
	row: number;
}

/**
 * Parses CSV text (RFC 4180: quoted fields with `""` for a quote, CRLF or LF line ends; a leading
 * BOM is dropped) into rows of cells; blank lines are skipped. Comma or semicolon, taken from the header.
 */
export function parseCsv(text: string): string[][] {
	return parseCsvRecords(text).map((record) => record.cells);
}

/** `parseCsv` with each row's number as a spreadsheet shows it, so a message can point at it. */
export function parseCsvRecords(text: string): CsvRecord[] {
	if (text.startsWith('\uFEFF')) text = text.slice(1);
	const delimiter = delimiterOf(text);
	const rows: CsvRecord[] = [];
	let row: string[] = [];
	let rowNumber = 0;
	let cell = '';
	let quoted = false;
	let i = 0;
	const endRow = () => {
		row.push(cell);
		rowNumber++;
		if (row.length > 1 || row[0] !== '') rows.push({ cells: row, row: rowNumber });
		row = [];
		cell = '';
	};
	while (i < text.length) {
		const char = text[i];
		if (quoted) {
			if (char === '"' && text[i + 1] === '"') {
				cell += '"';
				i += 2;
				continue;
			}
			if (char === '"') quoted = false;
			else cell += char;
			i++;
			continue;
		}
		if (char === '"' && cell === '') quoted = true;
		else if (char === delimiter) {
			row.push(cell);
			cell = '';
		} else if (char === '\r' || char === '\n') {
			endRow();
			if (char === '\r' && text[i + 1] === '\n') i++;
		} else cell += char;
		i++;
	}
	if (cell !== '' || row.length > 0) endRow();
	return rows;
}

/**
 * Turns each data row of a CSV of responses into a response as `POST /api/intake` takes it
 * (touchpoints and segments named by id), or into why it cannot (a title two cards share), with
 * each data row's number in the file (`rowNumbers`); the error when the header row lacks a required column.
 */
export function csvResponses(
	text: string,
	targets: CsvTargets
): { ok: true; rows: (Record<string, unknown> | string)[]; rowNumbers: number[] } | { ok: false; error: string } {
	const [headerRecord, ...records] = parseCsvRecords(text);
	if (!headerRecord) return { ok: false, error: 'The file has no header row' };
	const header = headerRecord.cells;
	const rows = records.map((record) => record.cells);
	const columns = new Map<Column, number>();
	header.forEach((name, index) => {
		const column = name.trim().toLowerCase() as Column;
		if ((CSV_COLUMNS as readonly string[]).includes(column) && !columns.has(column)) columns.set(column, index);
	});
	const missing = REQUIRED_COLUMNS.filter((column) => !columns.has(column));
	if (missing.length > 0) return { ok: false, error: `The header row must name the columns ${missing.join(', ')}` };

	const touchpointIds = new Set(targets.touchpoints.map((touchpoint) => touchpoint.id));
	const byTitle = namesToIds(targets.touchpoints.map((touchpoint) => [touchpoint.title, touchpoint.id]));
	const segmentIds = new Set(targets.segments.map((segment) => segment.id));
	const byName = namesToIds(targets.segments.map((segment) => [segment.name, segment.id]));

	return {
		ok: true,
		rowNumbers: records.map((record) => record.row),
		rows: rows.map((row) => {
			const cell = (column: Column) => {
				const at = columns.get(column);
				return at === undefined ? '' : (row[at] ?? '').trim();
			};
			const response: Record<string, unknown> = {};
			const touchpoint = cell('touchpoint');
			const touchpointId = touchpointIds.has(touchpoint) ? touchpoint : byTitle.get(touchpoint);
			if (touchpointId === null) return `touchpoint: more than one touchpoint is titled "${touchpoint}"; use its id`;
			response.touchpointId = touchpointId ?? touchpoint;
			response.metric = cell('metric').toLowerCase();
			const score = cell('score');
			response.score = /^[+-]?\d+$/.test(score) ? Number(score) : score === '' ? undefined : score;
			const segment = cell('segment');
			if (segment !== '') {
				const segmentId = segmentIds.has(segment) ? segment : byName.get(segment);
				if (segmentId === null) return `segment: more than one segment is named "${segment}"; use its id`;
				response.segmentId = segmentId ?? segment;
			}
			for (const column of ['comment', 'at', 'id'] as const) if (cell(column) !== '') response[column] = cell(column);
			return response;
		})
	};
}

/** Name → id, or null for a name two items share. */
function namesToIds(pairs: [string, string][]): Map<string, string | null> {
	const ids = new Map<string, string | null>();
	for (const [name, id] of pairs) ids.set(name, ids.has(name) ? null : id);
	return ids;
}
