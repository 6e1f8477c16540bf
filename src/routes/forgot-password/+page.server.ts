import { error, fail } from '@sveltejs/kit';
import { passwordResetInput, requestPasswordReset } from '$lib/server/account-mail';
import { requestAddress } from '$lib/server/client-address';
import { getDb } from '$lib/server/db';
import { mailConfigured } from '$lib/server/mail';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => {
	// Without mail there is no reset to offer.
	if (!mailConfigured()) error(404, 'Not Found');
};

export const actions: Actions = {
	default: async (event) => {
		if (!mailConfigured()) error(404, 'Not Found');
		const form = await event.request.formData();
		const parsed = passwordResetInput.safeParse({ email: String(form.get('email') ?? '') });
		if (!parsed.success || parsed.data.email === '') return fail(400, { sent: false });
		requestPasswordReset(getDb(), parsed.data.email, requestAddress(event), event.locals.locale).catch((error) =>
			console.error('password reset not mailed:', error)
		);
		return { sent: true };
	}
};
