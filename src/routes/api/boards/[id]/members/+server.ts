import { json } from '@sveltejs/kit';
import { boardAccess } from '$lib/server/board-access';
import { getDb } from '$lib/server/db';
import { apiError, readJson, tooManyRequests } from '$lib/server/http';
import { shareByEmail, shareInput } from '$lib/server/personal-invites';
import type { RequestHandler } from './$types';

/**
 * Shares the board with an address: 201 with the member for a member or an account with a proved
 * address, else 202 with a personal invite (the same answer whether or not the address has an account).
 */
export const POST: RequestHandler = async ({ locals, params, request }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id, 'manage');
	if (access instanceof Response) return access;
	const input = await readJson(request, shareInput);
	if (input instanceof Response) return input;
	const shared = await shareByEmail(db, params.id, access.user.id, input, locals.locale);
	if (!shared.ok)
		return shared.status === 429 ? tooManyRequests(shared.error, shared.retryAfterSeconds) : apiError(shared.status, shared.error);
	if ('member' in shared) return json({ member: shared.member }, { status: 201 });
	return json({ invite: { ...shared.invite, mailed: shared.mailed } }, { status: 202 });
};
