import { error, redirect } from '@sveltejs/kit';
import { canManageBoard } from '$lib/journey/roles';
import { boardTitleOf, listMembers, roleOf } from '$lib/server/boards';
import { getDb } from '$lib/server/db';
import { firstTouchpointId } from '$lib/server/intake';
import { listIntakeTokens } from '$lib/server/intake-tokens';
import { listInvites } from '$lib/server/invites';
import { mailConfigured } from '$lib/server/mail';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	if (!locals.user) redirect(303, '/login');
	const db = getDb();
	const role = await roleOf(db, params.id, locals.user.id);
	if (!role || !canManageBoard(role)) error(404, 'Board not found');
	return {
		board: { id: params.id, title: (await boardTitleOf(db, params.id)) ?? '' },
		members: await listMembers(db, params.id),
		invites: await listInvites(db, params.id),
		mailEnabled: mailConfigured(),
		intakeTokens: await listIntakeTokens(db, params.id),
		exampleTouchpointId: (await firstTouchpointId(params.id)) ?? '<touchpointId>',
		userId: locals.user.id
	};
};
