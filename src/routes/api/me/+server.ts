import { json } from '@sveltejs/kit';
import { emailVerified } from '$lib/server/account-mail';
import { getDb } from '$lib/server/db';
import { wantsMailDigest } from '$lib/server/mail-digest';
import { readJson, requireUser } from '$lib/server/http';
import { boardsOnlyOwnedBy, deleteAccount, deleteAccountInput, nameInput, rename } from '$lib/server/my-account';
import { departmentsInput, departmentsOf, setDepartments } from '$lib/server/my-work';
import { z } from 'zod';
import { deleteSessionCookie } from '$lib/server/cookies';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
	const user = requireUser(locals);
	if (user instanceof Response) return user;
	const db = getDb();
	return json({
		user: { id: user.id, email: user.email, name: user.name },
		emailVerified: await emailVerified(db, user.id),
		mailDigest: await wantsMailDigest(db, user.id),
		departments: await departmentsOf(db, user.id)
	});
};

/** A change of the account: its display name, the departments it belongs to, or both. */
const profileInput = z
	.object({ name: nameInput.shape.name.optional(), departments: departmentsInput.optional() })
	.refine((input) => input.name !== undefined || input.departments !== undefined, 'Give a name or departments to change');

/** Changes the account's display name and the departments it belongs to. */
export const PATCH: RequestHandler = async ({ locals, request }) => {
	const user = requireUser(locals);
	if (user instanceof Response) return user;
	const input = await readJson(request, profileInput);
	if (input instanceof Response) return input;
	const db = getDb();
	if (input.name !== undefined) await rename(db, user.id, input.name);
	if (input.departments !== undefined) await setDepartments(db, user.id, input.departments);
	return json({
		user: { id: user.id, email: user.email, name: input.name ?? user.name },
		emailVerified: await emailVerified(db, user.id),
		departments: await departmentsOf(db, user.id)
	});
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
			{ error: 'Type your email as confirm to delete the account', boardsDeleted: await boardsOnlyOwnedBy(db, user.id) },
			{ status: 400 }
		);
	}
	deleteSessionCookie(cookies);
	return new Response(null, { status: 204 });
};
