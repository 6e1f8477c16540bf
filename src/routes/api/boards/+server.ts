import { json } from '@sveltejs/kit';
import { createBoardFor, createBoardInput, listBoards, refuseBoardCreation } from '$lib/server/boards';
import { getDb } from '$lib/server/db';
import { apiError, readJson, requireUser } from '$lib/server/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
	const user = requireUser(locals);
	if (user instanceof Response) return user;
	return json({ boards: listBoards(getDb(), user.id) });
};

export const POST: RequestHandler = async ({ locals, request }) => {
	const user = requireUser(locals);
	if (user instanceof Response) return user;
	const refused = refuseBoardCreation(user);
	if (refused) return apiError(refused.status, refused.error);
	const input = await readJson(request, createBoardInput);
	if (input instanceof Response) return input;
	const created = createBoardFor(getDb(), user, input, locals.locale);
	if (!created.ok) return apiError(created.status, created.error);
	return json({ id: created.id }, { status: 201 });
};
