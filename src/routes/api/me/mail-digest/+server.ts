import { json } from '@sveltejs/kit';
import { z } from 'zod';
import { getDb } from '$lib/server/db';
import { apiError, readJson, requireUser } from '$lib/server/http';
import { mailConfigured } from '$lib/server/mail';
import { setMailDigest } from '$lib/server/mail-digest';
import type { RequestHandler } from './$types';

const digestInput = z.object({ enabled: z.boolean({ error: 'enabled must be true or false' }) });

/** Turns the caller's digest mails (mentions) on or off. */
export const PUT: RequestHandler = async ({ locals, request }) => {
	const user = requireUser(locals);
	if (user instanceof Response) return user;
	if (!mailConfigured()) return apiError(501, 'No mail server is configured');
	const input = await readJson(request, digestInput);
	if (input instanceof Response) return input;
	await setMailDigest(getDb(), user.id, input.enabled);
	return json({ mailDigest: input.enabled });
};
