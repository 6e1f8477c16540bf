import { json } from '@sveltejs/kit';
import { boardAccess } from '$lib/server/board-access';
import { boardTitleOf, deleteBoard, listMembers } from '$lib/server/boards';
import { getDb } from '$lib/server/db';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id);
	if (access instanceof Response) return access;
	return json({
		board: { id: params.id, title: await boardTitleOf(db, params.id), role: access.role, members: await listMembers(db, params.id) }
	});
};

export const DELETE: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id, 'manage');
	if (access instanceof Response) return access;
	await deleteBoard(db, params.id);
	return new Response(null, { status: 204 });
};
