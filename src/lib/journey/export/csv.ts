import { translator, type KeySuffix, type Locale, type Translator } from '../../i18n';
import type { Journey } from '../schema';
import { roundFigure } from '../figures';
import { journeyReport, type TouchpointReport } from './report';
import { segmentReports } from './segments-export';

/** Byte order mark: without it Excel reads UTF-8 CSV as the local code page and garbles Chinese. */
export const UTF8_BOM = '\uFEFF';
/** RFC 4180 line break. */
const CRLF = '\r\n';
/**
 * Starts that make a spreadsheet treat a cell as a formula (OWASP "CSV injection"): = + - @, also
 * behind leading whitespace (spaces, tabs, line breaks, no-break and ideographic spaces, which
 * spreadsheets may trim before looking), and a leading tab, CR or LF on its own.
 */
const FORMULA_START = /^(?:[\t\r\n]|\s*[=+\-@])/;

type Cell = string | number | null | undefined;

/** Text a spreadsheet will not run: a cell that would start a formula gets a leading apostrophe. */
export function neutraliseFormula(text: string): string {
	return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One RFC 4180 field: quoted when it holds a comma, quote, CR or LF, with quotes doubled. */
export function csvField(cell: Cell): string {
	// Numbers come from the journey's numeric fields and stay numbers, negative ones included.
	const text = typeof cell === 'number' ? String(cell) : neutraliseFormula(cell ?? '');
	return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows as RFC 4180 CSV: CRLF after every record, UTF-8 BOM first. */
export function toCsv(rows: readonly (readonly Cell[])[]): string {
	return UTF8_BOM + rows.map((row) => row.map(csvField).join(',') + CRLF).join('');
}

/** A computed figure by the one rounding rule; absent stays absent. */
const figure = (value: number | null | undefined) => (value === null || value === undefined ? value : roundFigure(value));

type Column = [header: KeySuffix<'export.csv.'>, value: (report: TouchpointReport, t: Translator) => Cell];

/** The columns in order: the touchpoint's fields, then what the analysis computes about it. */
const COLUMNS: Column[] = [
	['id', ({ touchpoint }) => touchpoint.id],
	['stage', ({ stage }) => stage?.name],
	['lane', ({ lane }) => lane?.name],
	['title', ({ touchpoint }) => touchpoint.title],
	['description', ({ touchpoint }) => touchpoint.description],
	['kind', ({ touchpoint }, t) => t(`kind.${touchpoint.kind}`)],
	['emotion', ({ touchpoint }) => touchpoint.emotion],
	['expectation', ({ touchpoint }) => touchpoint.expectation],
	['experience', ({ touchpoint }) => touchpoint.experience],
	['importance', ({ touchpoint }) => touchpoint.importance],
	['ideal', ({ touchpoint }) => touchpoint.ideal],
	['satisfaction', ({ gap }) => figure(gap?.satisfaction)],
	['weighted', ({ gap }) => figure(gap?.weighted)],
	['idealGap', ({ gap }) => figure(gap?.idealGap)],
	['channel', ({ touchpoint }) => touchpoint.channel],
	['owner', ({ touchpoint }) => touchpoint.owner],
	['evidenceCount', ({ evidence }) => evidence.length],
	['isPeak', ({ isPeak }, t) => t(isPeak ? 'export.yes' : 'export.no')],
	['isEnd', ({ isEnd }, t) => t(isEnd ? 'export.yes' : 'export.no')],
	['markingIssue', ({ markingIssue }, t) => (markingIssue ? t(`export.markingIssue.${markingIssue}`) : '')]
];

/**
 * The journey as a spreadsheet: a header row, then one row per touchpoint in journey order with
 * every field and every computed value (satisfaction, weighted and ideal gap, evidence count,
 * peak, end, marking issue). Empty cells where a value is absent or cannot be computed.
 * Headers and words in the locale's language. A board with segments adds a last column, `segment`,
 * and after the all-customers rows one row per segment and touchpoint with that segment's values.
 */
export function journeyCsv(journey: Journey, locale: Locale = 'en'): string {
	const t = translator(locale);
	const report = journeyReport(journey);
	const rows = report.touchpoints.map((touchpoint) => COLUMNS.map(([, value]) => value(touchpoint, t)));
	const segments = segmentReports(journey);
	// Without segments the CSV is as it always was; with them, a last column names the segment
	// (empty on the all-customers rows) and each segment adds a row per touchpoint.
	if (segments.length === 0) return toCsv([COLUMNS.map(([header]) => t(`export.csv.${header}`)), ...rows]);
	return toCsv([
		[...COLUMNS.map(([header]) => t(`export.csv.${header}`)), t('export.csv.segment')],
		...rows.map((row) => [...row, '']),
		...segments.flatMap(({ name, touchpoints }) =>
			touchpoints.map((touchpoint) => [...COLUMNS.map(([, value]) => value(touchpoint, t)), name])
		)
	]);
}
