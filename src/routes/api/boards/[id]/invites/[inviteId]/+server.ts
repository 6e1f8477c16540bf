import { boardAccess } from '$lib/server/board-access';
import { getDb } from '$lib/server/db';
import { apiError } from '$lib/server/http';
import { revokeInvite } from '$lib/server/invites';
import type { RequestHandler } from './$types';

/** Revokes an invite link; people who joined through it stay members. */
export const DELETE: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id, 'manage');
	if (access instanceof Response) return access;
	if (!(await revokeInvite(db, params.id, params.inviteId))) return apiError(404, 'Invite not found');
	return new Response(null, { status: 204 });
};
