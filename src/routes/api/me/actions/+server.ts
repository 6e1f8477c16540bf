import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { requireUser } from '$lib/server/http';
import { myWork } from '$lib/server/my-work';
import { readRefused } from '$lib/server/reads/read-limits';
import type { RequestHandler } from './$types';

/** The actions on the person's boards that wait on them: assigned to them or owned by one of their departments. */
export const GET: RequestHandler = async ({ locals }) => {
	const user = requireUser(locals);
	if (user instanceof Response) return user;
	try {
		return json({ actions: await myWork(getDb(), user.id) });
	} catch (error) {
		return readRefused(error);
	}
};
