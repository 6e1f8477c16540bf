import { error } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { mailConfigured } from '$lib/server/mail';
import { unsubscribe } from '$lib/server/mail-digest';
import type { Actions, PageServerLoad } from './$types';

// Opening the link only shows a button: mail scanners that follow links must not unsubscribe anyone.
export const load: PageServerLoad = ({ url }) => {
	if (!mailConfigured()) error(404, 'Not found');
	return { token: url.searchParams.get('token') ?? '' };
};

export const actions: Actions = {
	default: async ({ request }) => {
		const token = String((await request.formData()).get('token') ?? '');
		return { done: await unsubscribe(getDb(), token) };
	}
};
