import { json } from '@sveltejs/kit';
import { boardAccess } from '$lib/server/board-access';
import { getDb } from '$lib/server/db';
import { apiError, readJson } from '$lib/server/http';
import { createIntakeToken, intakeTokenInput, listIntakeTokens } from '$lib/server/intake-tokens';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id, 'manage');
	if (access instanceof Response) return access;
	return json({ tokens: await listIntakeTokens(db, params.id) });
};

/** Creates an intake token; the token itself is only ever shown in this response. */
export const POST: RequestHandler = async ({ locals, params, request }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id, 'manage');
	if (access instanceof Response) return access;
	const input = await readJson(request, intakeTokenInput);
	if (input instanceof Response) return input;
	const created = await createIntakeToken(db, params.id, access.user.id, input.name);
	if (!created.ok) return apiError(created.status, created.error);
	return json({ id: created.id, name: created.name, token: created.token, createdAt: created.createdAt }, { status: 201 });
};
