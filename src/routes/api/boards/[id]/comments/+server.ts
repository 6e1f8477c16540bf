import { json } from '@sveltejs/kit';
import { boardAccess } from '$lib/server/board-access';
import { createComment, listComments, newCommentInput, unreadMentions } from '$lib/server/comments';
import { getDb } from '$lib/server/db';
import { apiError, readJson } from '$lib/server/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id);
	if (access instanceof Response) return access;
	return json({
		comments: await listComments(db, params.id),
		unreadMentions: (await unreadMentions(db, access.user.id, [params.id])).get(params.id) ?? 0
	});
};

export const POST: RequestHandler = async ({ locals, params, request }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id, 'comment');
	if (access instanceof Response) return access;
	const input = await readJson(request, newCommentInput);
	if (input instanceof Response) return input;
	const result = await createComment(db, params.id, access.user.id, input);
	if (!result.ok) return apiError(result.status, result.error);
	return json({ comment: (await listComments(db, params.id)).find((comment) => comment.id === result.id) }, { status: 201 });
};
