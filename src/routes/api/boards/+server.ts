import { json } from '@sveltejs/kit';
import { createBoard, createBoardInput, listBoards } from '$lib/server/boards';
import { getDb } from '$lib/server/db';
import { apiError, readJson, requireUser } from '$lib/server/http';
import { parseJourney } from '$lib/journey/schema';
import { templateJourney } from '$lib/journey/templates';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
	const user = requireUser(locals);
	if (user instanceof Response) return user;
	return json({ boards: listBoards(getDb(), user.id) });
};

export const POST: RequestHandler = async ({ locals, request }) => {
	const user = requireUser(locals);
	if (user instanceof Response) return user;
	if (user.isGuest) return apiError(403, 'Guests take part in the board they joined; create an account to make boards');
	const input = await readJson(request, createBoardInput);
	if (input instanceof Response) return input;
	let journey;
	if (input.journey !== undefined) {
		const parsed = parseJourney(input.journey);
		if (!parsed.ok) return apiError(400, `journey is not valid journey JSON: ${parsed.error}`);
		journey = { ...parsed.value, title: input.title ?? (parsed.value.title.trim() || 'Imported journey') };
	} else {
		if (!input.title) return apiError(400, 'title is required');
		journey = templateJourney(input.template ?? 'blank', input.title, locals.locale);
	}
	const id = createBoard(getDb(), user.id, journey);
	return json({ id }, { status: 201 });
};
