import { json } from '@sveltejs/kit';
import { boardAccess } from '$lib/server/board-access';
import { getDb } from '$lib/server/db';
import { apiError, readJson } from '$lib/server/http';
import { addMember, memberInput } from '$lib/server/members';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ locals, params, request }) => {
	const db = getDb();
	const access = boardAccess(db, locals, params.id, 'manage');
	if (access instanceof Response) return access;
	const input = await readJson(request, memberInput);
	if (input instanceof Response) return input;
	const added = addMember(db, params.id, input);
	if (!added.ok) return apiError(added.status, added.error);
	return json({ member: added.member }, { status: 201 });
};
