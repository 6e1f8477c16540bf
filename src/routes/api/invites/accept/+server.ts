import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { getDb } from '$lib/server/db';
import { apiError, readJson, requireUser } from '$lib/server/http';
import { findInvite, joinBoard } from '$lib/server/invites';
import { acceptPersonalInvite, PERSONAL_REFUSALS } from '$lib/server/personal-invites';
import type { RequestHandler } from './$types';

const acceptInput = z.object({
	token: z.string({ error: 'token is required' }).min(1, 'token is required').max(128, 'token is too long')
});

const GONE: Record<string, string> = {
	expired: 'This invitation has expired',
	revoked: 'This invitation has been revoked',
	used: PERSONAL_REFUSALS.used
};

/** The signed-in person accepts an invite (a link, or a personal invite for their address) by its token. */
export const POST: RequestHandler = async ({ locals, request }) => {
	const user = requireUser(locals);
	if (user instanceof Response) return user;
	const input = await readJson(request, acceptInput);
	if (input instanceof Response) return input;
	const db = getDb();
	const lookup = await findInvite(db, input.token);
	if (!lookup.ok) return lookup.reason === 'invalid' ? apiError(404, 'No such invitation') : apiError(410, GONE[lookup.reason]);
	const { invite } = lookup;
	if (invite.email === null) {
		const role = await joinBoard(db, invite, user.id);
		if (role === null) return apiError(403, PERSONAL_REFUSALS.removed);
		return json({ boardId: invite.boardId, role });
	}
	const accepted = await acceptPersonalInvite(db, { ...invite, email: invite.email }, user.id);
	if (!accepted.ok) return apiError(accepted.reason === 'used' ? 410 : 403, PERSONAL_REFUSALS[accepted.reason]);
	return json({ boardId: invite.boardId, role: accepted.role });
};
