import { boardAccess } from '$lib/server/board-access';
import { readBoardJourney } from '$lib/server/board-journey';
import { boardTitleOf } from '$lib/server/boards';
import { getDb } from '$lib/server/db';
import { downloadResponse, exportFileName } from '$lib/server/export/download';
import { exportFormat } from '$lib/server/export/formats';
import { apiError } from '$lib/server/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	// Access first, so a non-member learns nothing, not even which formats exist.
	const access = boardAccess(db, locals, params.id);
	if (access instanceof Response) return access;
	const format = exportFormat(params.format);
	if (!format) return apiError(404, `No export format "${params.format}"; use json, csv, md, svg, png or pdf`);
	const journey = readBoardJourney(db, params.id);
	const body = await format.render(journey, locals.locale);
	const title = journey.title.trim() || boardTitleOf(db, params.id) || '';
	return downloadResponse(body, exportFileName(title, format.extension), format.contentType);
};
