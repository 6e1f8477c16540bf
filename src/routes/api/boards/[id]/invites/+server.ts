import { json } from '@sveltejs/kit';
import { boardAccess } from '$lib/server/board-access';
import { getDb } from '$lib/server/db';
import { readJson } from '$lib/server/http';
import { createInvite, inviteInput, listInvites } from '$lib/server/invites';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, params }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id, 'manage');
	if (access instanceof Response) return access;
	return json({ invites: await listInvites(db, params.id) });
};

/** Creates an invite link; its URL (with the secret token) is only ever shown in this response. */
export const POST: RequestHandler = async ({ locals, params, request, url }) => {
	const db = getDb();
	const access = await boardAccess(db, locals, params.id, 'manage');
	if (access instanceof Response) return access;
	const input = await readJson(request, inviteInput);
	if (input instanceof Response) return input;
	const invite = await createInvite(db, params.id, access.user.id, input);
	return json(
		{
			invite: {
				id: invite.id,
				role: input.role,
				expiresAt: new Date(invite.expiresAt).toISOString(),
				url: `${url.origin}/join/${invite.token}`
			}
		},
		{ status: 201 }
	);
};
