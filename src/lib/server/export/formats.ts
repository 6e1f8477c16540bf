import { journeyCsv } from '../../journey/export/csv';
import type { Locale } from '../../i18n';
import { journeyMarkdown } from '../../journey/export/markdown';
import { journeySvg } from '../../journey/export/svg';
import type { ReportContext } from '../../journey/export/report';
import type { Journey } from '../../journey/schema';
import { summaryPdf } from './pdf';
import { svgToPng } from './png';

/** One way to download a board: its file extension, media type and renderer. */
export interface ExportFormat {
	/** Appended to the board title, e.g. `journey.json` → `Title.journey.json`. */
	extension: string;
	contentType: string;
	/** `context`: when the report is made, from which version, the last vote (the PDF shows it). */
	render(journey: Journey, locale: Locale, context?: ReportContext): string | Uint8Array | Promise<string | Uint8Array>;
}

/** The export formats by the name in `GET /api/boards/:id/export/:format`. */
export const EXPORT_FORMATS = {
	json: {
		extension: 'journey.json',
		contentType: 'application/json; charset=utf-8',
		render: (journey) => JSON.stringify(journey, null, 2) + '\n'
	},
	csv: { extension: 'csv', contentType: 'text/csv; charset=utf-8; header=present', render: journeyCsv },
	md: { extension: 'md', contentType: 'text/markdown; charset=utf-8', render: journeyMarkdown },
	svg: { extension: 'svg', contentType: 'image/svg+xml; charset=utf-8', render: journeySvg },
	png: { extension: 'png', contentType: 'image/png', render: (journey, locale) => svgToPng(journeySvg(journey, locale)) },
	pdf: { extension: 'pdf', contentType: 'application/pdf', render: summaryPdf }
} satisfies Record<string, ExportFormat>;

export type ExportFormatName = keyof typeof EXPORT_FORMATS;

/** The format of a name from a URL, or null for an unknown one. */
export function exportFormat(name: string): ExportFormat | null {
	return Object.hasOwn(EXPORT_FORMATS, name) ? EXPORT_FORMATS[name as ExportFormatName] : null;
}
