import { error, redirect } from '@sveltejs/kit';
import { boardTitleOf, listMembers, roleOf } from '$lib/server/boards';
import { getDb } from '$lib/server/db';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	if (!locals.user) redirect(303, '/login');
	const db = getDb();
	const role = await roleOf(db, params.id, locals.user.id);
	if (!role) error(404, 'Board not found');
	return {
		board: { id: params.id, title: (await boardTitleOf(db, params.id)) ?? '', role },
		members: await listMembers(db, params.id),
		user: locals.user
	};
};
