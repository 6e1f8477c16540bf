import { fail, redirect } from '@sveltejs/kit';
import { emailVerified, resendVerificationMail } from '$lib/server/account-mail';
import { requestAddress } from '$lib/server/client-address';
import { getDb } from '$lib/server/db';
import { mailConfigured } from '$lib/server/mail';
import { setMailDigest, wantsMailDigest } from '$lib/server/mail-digest';
import { readConfig } from '$lib/server/config';
import {
	boardsOnlyOwnedBy,
	changePassword,
	deleteAccount,
	endOwnSession,
	listSessions,
	nameInput,
	passwordChangeInput,
	rename
} from '$lib/server/my-account';
import { deleteSessionCookie } from '$lib/server/cookies';
import { linkedProviders } from '$lib/server/oidc/sign-in-options';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.user || !locals.session) redirect(303, '/login?next=/account');
	const db = getDb();
	return {
		account: { name: locals.user.name, email: locals.user.email, isGuest: locals.user.isGuest ?? false },
		emailVerified: await emailVerified(db, locals.user.id),
		mailEnabled: mailConfigured(),
		mailDigest: await wantsMailDigest(db, locals.user.id),
		digestMinutes: Math.round(readConfig().mentionDigestMs / 60_000),
		sessions: await listSessions(db, locals.user.id, locals.session.id),
		boardsDeleted: await boardsOnlyOwnedBy(db, locals.user.id),
		providers: await linkedProviders(db, locals.user.id),
		passwordReset: url.searchParams.has('reset')
	};
};

export const actions: Actions = {
	rename: async ({ locals, request }) => {
		if (!locals.user) redirect(303, '/login?next=/account');
		const parsed = nameInput.safeParse({ name: String((await request.formData()).get('name') ?? '') });
		if (!parsed.success) return fail(400, { error: 'auth.nameRequired' as const });
		await rename(getDb(), locals.user.id, parsed.data.name);
		return { saved: 'name' as const };
	},
	password: async (event) => {
		const { locals, request } = event;
		if (!locals.user || !locals.session) redirect(303, '/login?next=/account');
		const form = await request.formData();
		const parsed = passwordChangeInput.safeParse({
			currentPassword: String(form.get('currentPassword') ?? ''),
			password: String(form.get('password') ?? '')
		});
		if (!parsed.success) return fail(400, { error: 'auth.passwordHint' as const });
		const result = await changePassword(getDb(), locals.user, locals.session.id, parsed.data, requestAddress(event));
		if (!result.ok)
			return fail(result.error === 'throttled' ? 429 : 403, {
				error: result.error === 'throttled' ? ('auth.throttled' as const) : ('account.wrongPassword' as const)
			});
		return { saved: 'password' as const };
	},
	/** Mails a new confirmation link (only offered with mail configured). */
	resend: async ({ locals }) => {
		if (!locals.user) redirect(303, '/login?next=/account');
		if (!mailConfigured()) return fail(404, { error: 'error.generic' as const });
		const outcome = await resendVerificationMail(getDb(), locals.user.id, locals.locale);
		if (!outcome.ok && outcome.reason === 'throttled') return fail(429, { error: 'account.resendThrottled' as const });
		return { saved: 'resend' as const };
	},
	/** Turns digest mails on or off (only offered with mail configured). */
	digest: async ({ locals, request }) => {
		if (!locals.user) redirect(303, '/login?next=/account');
		if (!mailConfigured()) return fail(404, { error: 'error.generic' as const });
		await setMailDigest(getDb(), locals.user.id, (await request.formData()).get('enabled') === 'on');
		return { saved: 'digest' as const };
	},
	signOut: async ({ locals, request }) => {
		if (!locals.user) redirect(303, '/login?next=/account');
		await endOwnSession(getDb(), locals.user.id, String((await request.formData()).get('sessionId') ?? ''));
		return { saved: 'session' as const };
	},
	/** Deletes the account once its email is typed; boards only it owns go with it. */
	delete: async ({ locals, request, cookies }) => {
		if (!locals.user) redirect(303, '/login?next=/account');
		const confirm = String((await request.formData()).get('confirm') ?? '')
			.trim()
			.toLowerCase();
		if (!(await deleteAccount(getDb(), locals.user, confirm))) return fail(400, { error: 'account.deleteMismatch' as const });
		deleteSessionCookie(cookies);
		redirect(303, '/');
	}
};
