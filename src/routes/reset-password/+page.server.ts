import { fail, redirect } from '@sveltejs/kit';
import { confirmPasswordReset, passwordResetConfirmInput } from '$lib/server/account-mail';
import { beginSession } from '$lib/server/auth-session';
import { getDb } from '$lib/server/db';
import { invalidateSession } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get('token') ?? '' });

export const actions: Actions = {
	default: async ({ request, cookies, locals }) => {
		const form = await request.formData();
		const token = String(form.get('token') ?? '');
		const parsed = passwordResetConfirmInput.safeParse({ token, password: String(form.get('password') ?? '') });
		if (!parsed.success) {
			const field = String(parsed.error.issues[0].path[0] ?? '');
			return fail(400, { error: field === 'password' ? ('auth.passwordHint' as const) : ('auth.reset.invalid' as const) });
		}
		const db = getDb();
		const userId = await confirmPasswordReset(db, parsed.data);
		if (!userId) return fail(400, { error: 'auth.reset.invalid' as const });
		// The link proved the address: its owner is signed in, even while guesses hold the log-in back.
		if (locals.session) await invalidateSession(db, locals.session.id);
		await beginSession(db, cookies, userId);
		redirect(303, '/account?reset=1');
	}
};
