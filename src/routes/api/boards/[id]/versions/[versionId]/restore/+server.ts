import { json } from '@sveltejs/kit';
import { boardAccess } from '$lib/server/board-access';
import { getDb } from '$lib/server/db';
import { apiError } from '$lib/server/http';
import { restoreVersion } from '$lib/server/versions';
import { readRefused } from '$lib/server/reads/read-limits';
import type { RequestHandler } from './$types';

/** Restores a version over the live board, saving the state before it as a version first. */
export const POST: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id, 'restoreVersion');
	if (access instanceof Response) return access;
	const restored = await restoreVersion(db, params.id, params.versionId, access.user.id).catch(readRefused);
	if (restored instanceof Response) return restored;
	if (!restored.ok) return apiError(restored.status, restored.error);
	return json({ restored: params.versionId });
};
