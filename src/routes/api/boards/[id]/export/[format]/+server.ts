import { boardAccess } from '$lib/server/board-access';
import { boardTitleOf } from '$lib/server/boards';
import { getDb } from '$lib/server/db';
import { downloadResponse, exportFileName } from '$lib/server/export/download';
import { exportFormat } from '$lib/server/export/formats';
import { pdfReportContext } from '$lib/server/export/report-context';
import { apiError } from '$lib/server/http';
import { boardReads } from '$lib/server/reads/board-reads';
import { isRendered, readRefused, takeExport, takeRead, tooLargeToRender } from '$lib/server/reads/read-limits';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params, request }) => {
	const db = getDb();
	// Access first, so a non-member learns nothing, not even which formats exist.
	const access = await boardAccess(db, locals, params.id);
	if (access instanceof Response) return access;
	const format = exportFormat(params.format);
	if (!format) return apiError(404, `No export format "${params.format}"; use json, csv, md, svg, png or pdf`);
	const paced = await takeRead(access.user.id);
	if (paced) return paced;
	const rendered = isRendered(params.format);
	const limited = rendered ? await takeExport(access.user.id) : null;
	if (limited) return limited;
	try {
		const reads = await boardReads(db, params.id);
		const journey = await reads.journey();
		const tooLarge = rendered ? tooLargeToRender(journey, params.format) : null;
		if (tooLarge) return tooLarge;
		const context = params.format === 'pdf' ? await pdfReportContext(db, params.id, journey) : undefined;
		const body = await reads.export(params.format, locals.locale, context);
		const title = journey.title.trim() || (await boardTitleOf(db, params.id)) || '';
		return await downloadResponse(request, body, exportFileName(title, format.extension), format.contentType);
	} catch (error) {
		return readRefused(error);
	}
};
