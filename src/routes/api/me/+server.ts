import { json } from '@sveltejs/kit';
import { emailVerified } from '$lib/server/account-mail';
import { getDb } from '$lib/server/db';
import { wantsMailDigest } from '$lib/server/mail-digest';
import { readJson, requireUser } from '$lib/server/http';
import { boardsOnlyOwnedBy, deleteAccount, deleteAccountInput, nameInput, rename } from '$lib/server/my-account';
import { deleteSessionCookie } from '$lib/server/cookies';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
	const user = requireUser(locals);
	if (user instanceof Response) return user;
	const db = getDb();
	return json({
		user: { id: user.id, email: user.email, name: user.name },
		emailVerified: emailVerified(db, user.id),
		mailDigest: wantsMailDigest(db, user.id)
	});
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

/**
 * Deletes the account after the person types their email as `confirm`. 400 names the boards that
 * only they own, which would be deleted with it.
 */
export const DELETE: RequestHandler = async ({ locals, request, cookies }) => {
	const user = requireUser(locals);
	if (user instanceof Response) return user;
	const input = await readJson(request, deleteAccountInput);
	if (input instanceof Response) return input;
	const db = getDb();
	if (!(await deleteAccount(db, user, input.confirm))) {
		return json(
			{ error: 'Type your email as confirm to delete the account', boardsDeleted: boardsOnlyOwnedBy(db, user.id) },
			{ status: 400 }
		);
	}
	deleteSessionCookie(cookies);
	return new Response(null, { status: 204 });
};
