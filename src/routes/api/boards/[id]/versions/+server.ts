import { json } from '@sveltejs/kit';
import { boardAccess } from '$lib/server/board-access';
import { getDb } from '$lib/server/db';
import { readJson } from '$lib/server/http';
import { listVersions, saveNamedVersion, versionInput } from '$lib/server/versions';
import { readRefused } from '$lib/server/reads/read-limits';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id);
	if (access instanceof Response) return access;
	return json({ versions: await listVersions(db, params.id) });
};

/** Saves the board as it is now under a name (editors and owners). */
export const POST: RequestHandler = async ({ locals, params, request }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id, 'saveVersion');
	if (access instanceof Response) return access;
	const input = await readJson(request, versionInput);
	if (input instanceof Response) return input;
	const id = await saveNamedVersion(db, params.id, access.user.id, input.name).catch(readRefused);
	if (id instanceof Response) return id;
	return json({ id }, { status: 201 });
};
