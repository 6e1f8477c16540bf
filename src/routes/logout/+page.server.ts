import { redirect } from '@sveltejs/kit';
import { endSession } from '$lib/server/auth-session';
import { getDb } from '$lib/server/db';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ locals, cookies }) => {
		if (locals.session) await endSession(getDb(), cookies, locals.session.id);
		redirect(303, '/login');
	}
};
