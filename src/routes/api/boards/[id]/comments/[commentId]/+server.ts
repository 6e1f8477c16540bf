import { json } from '@sveltejs/kit';
import { boardAccess } from '$lib/server/board-access';
import { changeComment, commentChangeInput, deleteComment, listComments } from '$lib/server/comments';
import { getDb } from '$lib/server/db';
import { apiError, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';

export const PATCH: RequestHandler = async ({ locals, params, request }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id, 'comment');
	if (access instanceof Response) return access;
	const input = await readJson(request, commentChangeInput);
	if (input instanceof Response) return input;
	const result = await changeComment(db, params.id, access.user.id, params.commentId, input);
	if (!result.ok) return apiError(result.status, result.error);
	return json({ comment: (await listComments(db, params.id)).find((comment) => comment.id === result.id) });
};

export const DELETE: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id, 'comment');
	if (access instanceof Response) return access;
	const result = await deleteComment(db, params.id, access.user.id, params.commentId);
	if (!result.ok) return apiError(result.status, result.error);
	return new Response(null, { status: 204 });
};
