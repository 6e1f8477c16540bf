import { json } from '@sveltejs/kit';
import { createBoardFor, listBoards, refuseBoardCreation } from '$lib/server/boards';
import { getDb } from '$lib/server/db';
import { apiError, readBody, requireUser } from '$lib/server/http';
import { readRefused } from '$lib/server/reads/read-limits';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
	const user = requireUser(locals);
	if (user instanceof Response) return user;
	return json({ boards: await listBoards(getDb(), user.id) });
};

export const POST: RequestHandler = async ({ locals, request }) => {
	const user = requireUser(locals);
	if (user instanceof Response) return user;
	const refused = refuseBoardCreation(user);
	if (refused) return apiError(refused.status, refused.error);
	const body = await readBody(request);
	if (body instanceof Response) return body;
	const created = await createBoardFor(getDb(), user, body, locals.locale).catch(readRefused);
	if (created instanceof Response) return created;
	if (!created.ok) return apiError(created.status, created.error);
	return json({ id: created.id }, { status: 201 });
};
