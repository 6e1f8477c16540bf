import { eq } from 'drizzle-orm';
import { translator, type Locale } from '../../i18n';
import { publicOrigin } from '../config';
import type { Db } from '../db';
import { tables } from '../db/tables';
import { linkMail, mailConfigured, sendMail } from '../mail';
import { FailureThrottle } from '../rate-limit';
import { completeLink, OIDC_LINKS_MAX, pendingLinkOf, type PendingLink } from './accounts';
import { SingleUseStore } from './single-use-store';

/** How long a mailed link that links a provider identity works. */
export const OIDC_LINK_MAIL_TTL_MS = 30 * 60 * 1000;
/**
 * Link mails one account gets within `OIDC_LINK_MAIL_TTL_MS`: as with reset mails, the window is the
 * link's lifetime, so while the budget is spent the last mail still works.
 */
export const OIDC_LINK_MAILS_PER_ACCOUNT = 3;

const mailedLinks = new SingleUseStore<PendingLink>(OIDC_LINK_MAIL_TTL_MS, OIDC_LINKS_MAX);
const mailsPerAccount = new FailureThrottle('sso-link-mail-account', OIDC_LINK_MAILS_PER_ACCOUNT, OIDC_LINK_MAIL_TTL_MS);

export type LinkMailOutcome = { ok: true; email: string } | { ok: false; error: 'expired' | 'throttled' | 'not-sent' };

/**
 * The other way through the link step: instead of the account's password (which guesses may hold
 * back), the person proves the address. The account's email gets a single-use link, valid 30
 * minutes, that links the identity and signs in from whichever browser opens it.
 */
export async function mailLinkStep(
	db: Db,
	browserToken: string | undefined,
	providerName: string,
	locale: Locale
): Promise<LinkMailOutcome> {
	if (!mailConfigured()) return { ok: false, error: 'not-sent' };
	const pending = pendingLinkOf(browserToken);
	if (!pending) return { ok: false, error: 'expired' };
	const { users } = tables(db);
	const [account] = await db.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, pending.userId)).limit(1);
	if (!account || account.email !== pending.email) return { ok: false, error: 'expired' };
	if ((await mailsPerAccount.take(pending.userId)) > 0) return { ok: false, error: 'throttled' };
	const token = mailedLinks.put(pending);
	const t = translator(locale);
	const sent = await sendMail(
		linkMail(
			account.email,
			t('mail.ssoLink.subject', { name: providerName }),
			[t('mail.greeting', { name: account.name }), t('mail.ssoLink.body', { name: providerName, email: account.email })],
			t('mail.ssoLink.action', { name: providerName }),
			`${publicOrigin()}/sso/link/confirm?token=${token}`,
			t('mail.ssoLink.ignore')
		)
	);
	return sent ? { ok: true, email: account.email } : { ok: false, error: 'not-sent' };
}

/** The account email a mailed link would link, without using it up; null when unknown, used or expired. */
export function mailedLinkEmail(token: string | undefined): string | null {
	return mailedLinks.peek(token)?.email ?? null;
}

/** Uses a mailed link: the identity is linked and the account may sign in, or 'expired'. */
export async function linkByMail(db: Db, token: string | undefined): ReturnType<typeof completeLink> {
	const pending = mailedLinks.take(token);
	if (!pending) return { ok: false, error: 'expired' };
	return await completeLink(db, pending);
}
