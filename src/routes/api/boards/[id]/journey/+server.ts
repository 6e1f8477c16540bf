import { json } from '@sveltejs/kit';
import { readJourney } from '$lib/journey/document';
import { boardAccess } from '$lib/server/board-access';
import { getDb } from '$lib/server/db';
import { loadDoc } from '$lib/server/doc-store';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	const access = boardAccess(db, locals, params.id);
	if (access instanceof Response) return access;
	// Every update is in the log before it is relayed, so the store is never behind a live room.
	const { doc } = loadDoc(db, params.id);
	const journey = readJourney(doc);
	doc.destroy();
	return json(journey);
};
