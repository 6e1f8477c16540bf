import { json } from '@sveltejs/kit';
import { boardAccess } from '$lib/server/board-access';
import { publish } from '$lib/server/board-event-streams';
import { getDb } from '$lib/server/db';
import { loadDoc } from '$lib/server/doc-store';
import { readJson } from '$lib/server/http';
import { listVersions, saveVersion, versionInput } from '$lib/server/versions';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	const access = boardAccess(db, locals, params.id);
	if (access instanceof Response) return access;
	return json({ versions: listVersions(db, params.id) });
};

/** Saves the board as it is now under a name (editors and owners). */
export const POST: RequestHandler = async ({ locals, params, request }) => {
	const db = getDb();
	const access = boardAccess(db, locals, params.id, 'saveVersion');
	if (access instanceof Response) return access;
	const input = await readJson(request, versionInput);
	if (input instanceof Response) return input;
	// Every update is stored before it is relayed, so the store holds the live state.
	const { doc } = loadDoc(db, params.id);
	const id = saveVersion(db, params.id, doc, { name: input.name, userId: access.user.id });
	doc.destroy();
	publish(params.id, { type: 'versions' });
	return json({ id }, { status: 201 });
};
