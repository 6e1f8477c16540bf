import { json } from '@sveltejs/kit';
import { emailVerified } from '$lib/server/account-mail';
import { getDb } from '$lib/server/db';
import { readJson, requireUser } from '$lib/server/http';
import { nameInput, rename } from '$lib/server/my-account';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
	const user = requireUser(locals);
	if (user instanceof Response) return user;
	return json({ user: { id: user.id, email: user.email, name: user.name }, emailVerified: emailVerified(getDb(), user.id) });
};

/** Changes the account's display name. */
export const PATCH: RequestHandler = async ({ locals, request }) => {
	const user = requireUser(locals);
	if (user instanceof Response) return user;
	const input = await readJson(request, nameInput);
	if (input instanceof Response) return input;
	const db = getDb();
	rename(db, user.id, input.name);
	return json({ user: { id: user.id, email: user.email, name: input.name }, emailVerified: emailVerified(db, user.id) });
};
