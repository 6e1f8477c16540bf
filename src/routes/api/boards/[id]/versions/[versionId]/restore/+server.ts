import { json } from '@sveltejs/kit';
import { applyJourney } from '$lib/journey/document';
import { boardAccess } from '$lib/server/board-access';
import { publish } from '$lib/server/board-event-streams';
import { getDb } from '$lib/server/db';
import { loadDoc } from '$lib/server/doc-store';
import { apiError } from '$lib/server/http';
import { syncHub } from '$lib/server/sync-hub';
import { saveVersion, versionJourney } from '$lib/server/versions';
import type { RequestHandler } from './$types';

/**
 * Restores a version as a new edit of the live document: only what differs changes, so every
 * client — including one offline now — converges to it without duplicates. The state before the
 * restore is saved as a version first, so a restore can itself be undone.
 */
export const POST: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	const access = boardAccess(db, locals, params.id, 'restoreVersion');
	if (access instanceof Response) return access;
	const version = versionJourney(db, params.id, params.versionId);
	if (!version) return apiError(404, 'Version not found');
	const { doc } = loadDoc(db, params.id);
	saveVersion(db, params.id, doc, { name: `Before restoring “${version.name}”`, userId: access.user.id });
	doc.destroy();
	syncHub().editDocument(params.id, (live) => applyJourney(live, version.journey));
	publish(params.id, { type: 'versions' });
	return json({ restored: params.versionId });
};
