import { error, fail, redirect } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { signUp, signupInput, takeSignup } from '$lib/server/accounts';
import { sendVerificationMail } from '$lib/server/account-mail';
import { beginSession } from '$lib/server/auth-session';
import { rememberLocale } from '$lib/server/mail-digest';
import { requestAddress } from '$lib/server/client-address';
import { getDb } from '$lib/server/db';
import { tables } from '$lib/server/db/tables';
import { guestInput } from '$lib/server/guests';
import { findInvite, joinAsGuest, joinBoard } from '$lib/server/invites';
import { mailConfigured } from '$lib/server/mail';
import { acceptPersonalInvite, type PersonalRefusal } from '$lib/server/personal-invites';
import type { Actions, PageServerLoad } from './$types';

/** Removal from a board also takes away the links the person was given before. */
const REMOVED_AFTER_LINK = 'You were removed from this board after this link was made; ask an owner for a new link';

const GONE = {
	expired: 'This invite link has expired',
	revoked: 'This invite link has been revoked',
	used: 'This invitation was already used'
};

async function usableInvite(token: string) {
	const lookup = await findInvite(getDb(), token);
	if (!lookup.ok)
		error(lookup.reason === 'invalid' ? 404 : 410, lookup.reason === 'invalid' ? 'This invite link does not exist' : GONE[lookup.reason]);
	return lookup.invite;
}

const REFUSAL_KEYS = {
	'other-address': 'invite.otherAddress',
	unverified: 'invite.unverified',
	removed: 'invite.removed',
	used: 'invite.used'
} as const satisfies Record<PersonalRefusal, string>;

export const load: PageServerLoad = async ({ params, locals }) => {
	const invite = await usableInvite(params.token);
	return {
		invite: { boardTitle: invite.boardTitle, role: invite.role, email: invite.email },
		user: locals.user,
		mailEnabled: mailConfigured()
	};
};

export const actions: Actions = {
	/** A signed-in person (account or guest) joins with the link's role; a personal invite only for its address. */
	join: async ({ params, locals }) => {
		if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(`/join/${params.token}`)}`);
		const invite = await usableInvite(params.token);
		const db = getDb();
		if (invite.email !== null) {
			const accepted = await acceptPersonalInvite(db, { ...invite, email: invite.email }, locals.user.id);
			if (!accepted.ok) return fail(403, { error: REFUSAL_KEYS[accepted.reason] });
		} else if ((await joinBoard(db, invite, locals.user.id)) === null) error(403, REMOVED_AFTER_LINK);
		redirect(303, `/boards/${invite.boardId}`);
	},
	/** Someone without an account joins as a guest under a display name (links only: a personal invite wants its address). */
	guest: async ({ params, request, cookies }) => {
		const invite = await usableInvite(params.token);
		if (invite.email !== null) return fail(400, { error: 'invite.needsAccount' as const });
		const parsed = guestInput.safeParse({ name: String((await request.formData()).get('name') ?? '') });
		if (!parsed.success) return fail(400, { error: 'auth.nameRequired' as const });
		const db = getDb();
		const guest = await joinAsGuest(db, invite, parsed.data.name);
		await beginSession(db, cookies, guest.id);
		redirect(303, `/boards/${invite.boardId}`);
	},
	/**
	 * A personal invite's addressee creates their account under the invited address, then joins.
	 * Arriving through the mailed link proves the address, so the new account starts verified.
	 */
	signup: async (event) => {
		const { params, request, cookies, locals } = event;
		const invite = await usableInvite(params.token);
		if (invite.email === null) return fail(400, { error: 'invite.needsAccount' as const });
		const form = await request.formData();
		const parsed = signupInput.safeParse({
			email: invite.email,
			name: String(form.get('name') ?? ''),
			password: String(form.get('password') ?? '')
		});
		if (!parsed.success) {
			const field = String(parsed.error.issues[0].path[0] ?? '');
			return fail(400, { error: field === 'name' ? ('auth.nameRequired' as const) : ('auth.passwordHint' as const) });
		}
		if ((await takeSignup(requestAddress(event))) !== null) return fail(429, { error: 'auth.signupThrottled' as const });
		const db = getDb();
		const created = await signUp(db, parsed.data);
		if (!created.user) return fail(409, { error: 'invite.emailTaken' as const });
		if (invite.proved) {
			const { users } = tables(db);
			await db.update(users).set({ emailVerifiedAt: Date.now() }).where(eq(users.id, created.user.id));
		}
		await beginSession(db, cookies, created.user.id);
		await rememberLocale(db, created.user.id, locals.locale);
		const accepted = await acceptPersonalInvite(db, { ...invite, email: invite.email }, created.user.id);
		if (!accepted.ok) {
			sendVerificationMail(db, created.user.id, locals.locale).catch((error) => console.error('verification mail not sent:', error));
			redirect(303, '/boards');
		}
		redirect(303, `/boards/${invite.boardId}`);
	}
};
