import { json } from '@sveltejs/kit';
import { findUserByEmail } from '$lib/server/accounts';
import { boardAccess } from '$lib/server/board-access';
import { getDb } from '$lib/server/db';
import { apiError, readJson } from '$lib/server/http';
import { memberInput, setMemberRole } from '$lib/server/members';
import { syncHub } from '$lib/server/sync-hub';
import type { RequestHandler } from './$types';
import { publish } from '$lib/server/board-event-streams';

export const POST: RequestHandler = async ({ locals, params, request }) => {
	const db = getDb();
	const access = boardAccess(db, locals, params.id, 'manage');
	if (access instanceof Response) return access;
	const input = await readJson(request, memberInput);
	if (input instanceof Response) return input;
	const member = findUserByEmail(db, input.email);
	if (!member) return apiError(404, `No account with the email ${input.email}`);
	const change = setMemberRole(db, params.id, member.id, input.role);
	if (!change.ok) return apiError(400, 'A board needs at least one owner');
	syncHub().setMemberRole(params.id, member.id, input.role);
	publish(params.id, { type: 'members' });
	return json({ member: { userId: member.id, email: member.email, name: member.name, role: input.role } }, { status: 201 });
};
