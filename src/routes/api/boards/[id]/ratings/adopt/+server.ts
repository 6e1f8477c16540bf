import { json } from '@sveltejs/kit';
import { boardAccess } from '$lib/server/board-access';
import { getDb } from '$lib/server/db';
import { apiError, readJson } from '$lib/server/http';
import { adoptionInput, adoptRating } from '$lib/server/rating-adoption';
import type { RequestHandler } from './$types';

/** The facilitator adopts the revealed ratings' mean as the emotion (of all customers, or of the segment rated). */
export const POST: RequestHandler = async ({ locals, params, request }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id, 'facilitate');
	if (access instanceof Response) return access;
	const input = await readJson(request, adoptionInput);
	if (input instanceof Response) return input;
	const adopted = await adoptRating(db, params.id, input);
	if (!adopted.ok) return apiError(adopted.status, adopted.error);
	return json({ adoption: adopted.adoption });
};
