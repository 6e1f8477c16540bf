import { json } from '@sveltejs/kit';
import { analyzeJourney } from '$lib/journey/analysis';
import { boardAccess } from '$lib/server/board-access';
import { getDb } from '$lib/server/db';
import { apiError } from '$lib/server/http';
import { versionJourney } from '$lib/server/versions';
import type { RequestHandler } from './$types';

/** One version, read-only: its journey and analysis. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	const access = boardAccess(db, locals, params.id);
	if (access instanceof Response) return access;
	const version = versionJourney(db, params.id, params.versionId);
	if (!version) return apiError(404, 'Version not found');
	return json({ ...version, analysis: analyzeJourney(version.journey) });
};
