import { boardAccess } from '$lib/server/board-access';
import { keptJsonResponse } from '$lib/server/kept-body';
import { getDb } from '$lib/server/db';
import { apiError } from '$lib/server/http';
import { boardReads, comparisonOf, versionReads } from '$lib/server/reads/board-reads';
import { readRefused, takeRead } from '$lib/server/reads/read-limits';
import type { RequestHandler } from './$types';

/** Compares two versions (`from`, `to`: a version id or `current`): as-is against to-be. */
export const GET: RequestHandler = async ({ locals, params, request, url }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id);
	if (access instanceof Response) return access;
	const from = url.searchParams.get('from');
	const to = url.searchParams.get('to') ?? 'current';
	if (!from) return apiError(400, 'Give the version to compare from: ?from=<versionId>&to=<versionId|current>');
	const readsOf = (ref: string) => (ref === 'current' ? boardReads(db, params.id) : versionReads(db, params.id, ref));
	const [before, after] = await Promise.all([readsOf(from), readsOf(to)]);
	if (!before || !after) return apiError(404, 'Version not found');
	const paced = await takeRead(access.user.id);
	if (paced) return paced;
	try {
		const body = await comparisonOf(db, params.id, { from, to }, before, after);
		return await keptJsonResponse(request, body);
	} catch (error) {
		return readRefused(error);
	}
};
