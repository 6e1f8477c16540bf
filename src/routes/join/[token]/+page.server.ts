import { error, fail, redirect } from '@sveltejs/kit';
import { beginSession } from '$lib/server/auth-session';
import { getDb } from '$lib/server/db';
import { guestInput } from '$lib/server/guests';
import { findInvite, joinAsGuest, joinBoard } from '$lib/server/invites';
import type { Actions, PageServerLoad } from './$types';

/** Removal from a board also takes away the links the person was given before. */
const REMOVED_AFTER_LINK = 'You were removed from this board after this link was made; ask an owner for a new link';

function usableInvite(token: string) {
	const lookup = findInvite(getDb(), token);
	if (!lookup.ok) {
		error(
			lookup.reason === 'invalid' ? 404 : 410,
			lookup.reason === 'invalid'
				? 'This invite link does not exist'
				: `This invite link has ${lookup.reason === 'expired' ? 'expired' : 'been revoked'}`
		);
	}
	return lookup.invite;
}

export const load: PageServerLoad = ({ params, locals }) => {
	const invite = usableInvite(params.token);
	return { invite: { boardTitle: invite.boardTitle, role: invite.role }, user: locals.user };
};

export const actions: Actions = {
	/** A signed-in person (account or guest) joins with the link's role. */
	join: ({ params, locals }) => {
		if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(`/join/${params.token}`)}`);
		const invite = usableInvite(params.token);
		if (joinBoard(getDb(), invite, locals.user.id) === null) error(403, REMOVED_AFTER_LINK);
		redirect(303, `/boards/${invite.boardId}`);
	},
	/** Someone without an account joins as a guest under a display name. */
	guest: async ({ params, request, cookies }) => {
		const invite = usableInvite(params.token);
		const parsed = guestInput.safeParse({ name: String((await request.formData()).get('name') ?? '') });
		if (!parsed.success) return fail(400, { error: 'auth.nameRequired' as const });
		const db = getDb();
		const guest = joinAsGuest(db, invite, parsed.data.name);
		beginSession(db, cookies, guest.id);
		redirect(303, `/boards/${invite.boardId}`);
	}
};
