import { fail, redirect } from '@sveltejs/kit';
import { logIn, loginInput } from '$lib/server/accounts';
import { beginSession } from '$lib/server/auth-session';
import { getDb } from '$lib/server/db';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	if (locals.user) redirect(303, '/boards');
};

export const actions: Actions = {
	default: async ({ request, cookies, getClientAddress }) => {
		const form = await request.formData();
		const email = String(form.get('email') ?? '');
		const parsed = loginInput.safeParse({ email, password: String(form.get('password') ?? '') });
		if (!parsed.success) return fail(400, { email, error: 'auth.wrongCredentials' as const });
		const db = getDb();
		const result = await logIn(db, parsed.data, getClientAddress());
		if (!result.user) {
			return result.error === 'throttled'
				? fail(429, { email, error: 'auth.throttled' as const })
				: fail(400, { email, error: 'auth.wrongCredentials' as const });
		}
		beginSession(db, cookies, result.user.id);
		redirect(303, '/boards');
	}
};
