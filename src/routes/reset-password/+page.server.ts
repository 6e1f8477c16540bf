import { fail, redirect } from '@sveltejs/kit';
import { confirmPasswordReset, passwordResetConfirmInput } from '$lib/server/account-mail';
import { getDb } from '$lib/server/db';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get('token') ?? '' });

export const actions: Actions = {
	default: async ({ request }) => {
		const form = await request.formData();
		const token = String(form.get('token') ?? '');
		const parsed = passwordResetConfirmInput.safeParse({ token, password: String(form.get('password') ?? '') });
		if (!parsed.success) {
			const field = String(parsed.error.issues[0].path[0] ?? '');
			return fail(400, { error: field === 'password' ? ('auth.passwordHint' as const) : ('auth.reset.invalid' as const) });
		}
		if (!(await confirmPasswordReset(getDb(), parsed.data))) return fail(400, { error: 'auth.reset.invalid' as const });
		redirect(303, '/login?reset=1');
	}
};
