import { json } from '@sveltejs/kit';
import { compareJourneys } from '$lib/journey/compare';
import { readJourney } from '$lib/journey/document';
import type { Journey } from '$lib/journey/schema';
import { boardAccess } from '$lib/server/board-access';
import type { Db } from '$lib/server/db';
import { getDb } from '$lib/server/db';
import { loadDoc } from '$lib/server/doc-store';
import { apiError } from '$lib/server/http';
import { versionJourney } from '$lib/server/versions';
import type { RequestHandler } from './$types';

function journeyAt(db: Db, boardId: string, ref: string): Journey | null {
	if (ref === 'current') {
		const { doc } = loadDoc(db, boardId);
		const journey = readJourney(doc);
		doc.destroy();
		return journey;
	}
	return versionJourney(db, boardId, ref)?.journey ?? null;
}

/** Compares two versions (`from`, `to`: a version id or `current`): as-is against to-be. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	const db = getDb();
	const access = boardAccess(db, locals, params.id);
	if (access instanceof Response) return access;
	const from = url.searchParams.get('from');
	const to = url.searchParams.get('to') ?? 'current';
	if (!from) return apiError(400, 'Give the version to compare from: ?from=<versionId>&to=<versionId|current>');
	const before = journeyAt(db, params.id, from);
	const after = journeyAt(db, params.id, to);
	if (!before || !after) return apiError(404, 'Version not found');
	return json({ comparison: compareJourneys(before, after) });
};
