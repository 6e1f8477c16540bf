import { and, eq, inArray, lte, min } from 'drizzle-orm';
import { asLocale, translator, type Locale, type Translator } from '../i18n';
import { publicOrigin, readConfig } from './config';
import type { Db } from './db';
import { isOpenAction } from '../journey/actions';
import { boardTitleOf, roleOf } from './boards';
import type { mailDigestItems } from './db/schema';
import { tables } from './db/tables';
import { consumeEmailToken, issueEmailToken } from './email-tokens';
import { escapeHtml, mailConfigured, sendMail, type Mail } from './mail';
import { boardReads } from './reads/board-reads';

/** The kinds of item a digest mails: mentions in comments, actions given to the person. */
export type DigestKind = (typeof mailDigestItems.$inferSelect)['kind'];

/** The longest excerpt of a comment a digest quotes. */
const EXCERPT_MAX_CHARS = 280;
/** The digest timer looks for due digests at least this often. */
const DIGEST_TICK_MAX_MS = 60 * 1000;

/** One line of a digest: what happened, where to see it. */
export interface DigestEntry {
	kind: DigestKind;
	boardId: string;
	boardTitle: string;
	text: string;
	url: string;
	at: number;
}

type QueuedItem = typeof mailDigestItems.$inferSelect;

/**
 * How each kind of item reads in a digest. An item whose subject is gone, was seen in the app
 * meanwhile, or is on a board the person left, is left out.
 */
const DIGEST_KINDS: Record<
	DigestKind,
	(db: Db, userId: string, items: QueuedItem[], t: Translator) => DigestEntry[] | Promise<DigestEntry[]>
> = {
	mention: async (db, userId, items, t) => {
		const { boardMembers, boards, commentMentions, comments, users } = tables(db);
		const rows = await db
			.select({
				commentId: comments.id,
				boardId: comments.boardId,
				boardTitle: boards.title,
				body: comments.body,
				author: users.name,
				createdAt: comments.createdAt,
				readAt: commentMentions.readAt,
				role: boardMembers.role
			})
			.from(comments)
			.innerJoin(boards, eq(boards.id, comments.boardId))
			.innerJoin(users, eq(users.id, comments.authorId))
			.innerJoin(commentMentions, and(eq(commentMentions.commentId, comments.id), eq(commentMentions.userId, userId)))
			.leftJoin(boardMembers, and(eq(boardMembers.boardId, comments.boardId), eq(boardMembers.userId, userId)))
			.where(
				inArray(
					comments.id,
					items.map((item) => item.refId)
				)
			);
		return rows
			.filter((row) => row.readAt === null && row.role !== null)
			.map((row) => ({
				kind: 'mention' as const,
				boardId: row.boardId,
				boardTitle: row.boardTitle,
				text: t('mail.digest.mention', { name: row.author, comment: excerpt(row.body) }),
				url: `${publicOrigin()}/boards/${row.boardId}?comment=${row.commentId}`,
				at: row.createdAt
			}));
	},
	/** Actions still given to the person, still open, on boards they are still a member of, as the board stands now. */
	assignment: async (db, userId, items, t) => {
		const entries: DigestEntry[] = [];
		for (const boardId of new Set(items.map((item) => item.boardId))) {
			const boardTitle = await boardTitleOf(db, boardId);
			if (boardTitle === null || (await roleOf(db, boardId, userId)) === null) continue;
			const queued = items.filter((item) => item.boardId === boardId);
			const { actions } = await (await boardReads(db, boardId)).journey();
			for (const action of actions) {
				const item = queued.find((candidate) => candidate.refId === action.id);
				if (!item || action.assigneeId !== userId || !isOpenAction(action)) continue;
				entries.push({
					kind: 'assignment',
					boardId,
					boardTitle,
					text: action.due
						? t('mail.digest.assignmentDue', { title: excerpt(action.title), date: action.due })
						: t('mail.digest.assignment', { title: excerpt(action.title) }),
					url: `${publicOrigin()}/me/work`,
					at: item.createdAt
				});
			}
		}
		return entries;
	}
};

function excerpt(body: string): string {
	const flat = body.replace(/\s+/g, ' ').trim();
	return flat.length <= EXCERPT_MAX_CHARS ? flat : `${flat.slice(0, EXCERPT_MAX_CHARS - 1)}…`;
}

/**
 * Queues items for people's next digests, when mail is configured. Called in the transaction that
 * stores what they are about (e.g. a comment's mentions).
 */
export async function queueDigestItems(
	db: Db,
	kind: DigestKind,
	boardId: string,
	refId: string,
	userIds: string[],
	now = Date.now()
): Promise<void> {
	if (userIds.length === 0 || !mailConfigured()) return;
	const { mailDigestItems } = tables(db);
	await db.insert(mailDigestItems).values(userIds.map((userId) => ({ userId, kind, boardId, refId, createdAt: now })));
}

/**
 * Mails every person whose oldest queued item has waited a digest interval one digest of all their
 * items, in their interface language, and forgets those items. Only confirmed addresses of people
 * who kept digests on get one. Returns how many digests were mailed.
 */
export async function sendDueDigests(db: Db, now = Date.now()): Promise<number> {
	const { mailDigestItems, users } = tables(db);
	const dueBefore = now - readConfig().mentionDigestMs;
	const due = (
		await db
			.select({ userId: mailDigestItems.userId, oldest: min(mailDigestItems.createdAt) })
			.from(mailDigestItems)
			.groupBy(mailDigestItems.userId)
	).filter((row) => row.oldest !== null && row.oldest <= dueBefore);
	let sent = 0;
	for (const { userId } of due) {
		const items = await db
			.delete(mailDigestItems)
			.where(and(eq(mailDigestItems.userId, userId), lte(mailDigestItems.createdAt, now)))
			.returning();
		const [person] = await db
			.select({
				email: users.email,
				name: users.name,
				locale: users.locale,
				wants: users.mailDigest,
				verifiedAt: users.emailVerifiedAt,
				isGuest: users.isGuest
			})
			.from(users)
			.where(eq(users.id, userId))
			.limit(1);
		if (!person || !person.wants || person.isGuest || person.verifiedAt === null) continue;
		const locale = asLocale(person.locale) ?? 'en';
		const t = translator(locale);
		const perKind = await Promise.all(
			(Object.keys(DIGEST_KINDS) as DigestKind[]).map((kind) => {
				const ofKind = items.filter((item) => item.kind === kind);
				return ofKind.length === 0 ? [] : DIGEST_KINDS[kind](db, userId, ofKind, t);
			})
		);
		const entries = perKind.flat();
		if (entries.length === 0) continue;
		const unsubscribe = `${publicOrigin()}/unsubscribe?token=${await issueEmailToken(db, userId, 'unsubscribe', person.email, now)}`;
		if (await sendMail(digestMail(person.email, person.name, entries, unsubscribe, t, locale))) sent++;
	}
	return sent;
}

/** The digest as text and HTML: entries grouped by board, oldest first, each with its link. */
export function digestMail(to: string, name: string, entries: DigestEntry[], unsubscribeUrl: string, t: Translator, locale: Locale): Mail {
	const byBoard = new Map<string, DigestEntry[]>();
	for (const entry of [...entries].sort((a, b) => a.at - b.at)) byBoard.set(entry.boardId, [...(byBoard.get(entry.boardId) ?? []), entry]);
	const sections = [...byBoard.values()];
	// A digest of mentions alone says so; one with actions in it speaks of both.
	const mentionsOnly = entries.every((entry) => entry.kind === 'mention');
	const subject = mentionsOnly
		? t('mail.digest.subject', { count: entries.length })
		: t('mail.digest.subjectMixed', { count: entries.length });
	const intro = mentionsOnly ? t('mail.digest.intro', { count: entries.length }) : t('mail.digest.introMixed', { count: entries.length });
	const text = [
		t('mail.greeting', { name }),
		intro,
		...sections.map((section) => [`“${section[0].boardTitle}”`, ...section.map((entry) => `- ${entry.text}\n  ${entry.url}`)].join('\n')),
		`${t('mail.digest.unsubscribe')}: ${unsubscribeUrl}`
	].join('\n\n');
	const muted = 'font-size: 0.9em; color: #52606d';
	const html = [
		`<!doctype html><html lang="${locale}"><body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1f2933">`,
		`<p>${escapeHtml(t('mail.greeting', { name }))}</p>`,
		`<p>${escapeHtml(intro)}</p>`,
		...sections.map(
			(section) =>
				`<h2 style="font-size: 1.05em; margin: 1.2em 0 0.4em">${escapeHtml(section[0].boardTitle)}</h2><ul>` +
				section
					.map((entry) => `<li>${escapeHtml(entry.text)} <a href="${escapeHtml(entry.url)}">${escapeHtml(t('mail.digest.open'))}</a></li>`)
					.join('') +
				'</ul>'
		),
		`<p style="${muted}"><a href="${escapeHtml(unsubscribeUrl)}" style="color: #52606d">${escapeHtml(t('mail.digest.unsubscribe'))}</a></p>`,
		'</body></html>'
	].join('\n');
	return { to, subject, text: text + '\n', html, unsubscribeUrl };
}

/** Turns a person's digests on or off. */
export async function setMailDigest(db: Db, userId: string, enabled: boolean): Promise<void> {
	const { mailDigestItems, users } = tables(db);
	await db.update(users).set({ mailDigest: enabled }).where(eq(users.id, userId));
	if (!enabled) await db.delete(mailDigestItems).where(eq(mailDigestItems.userId, userId));
}

/** Whether the person gets digests. */
export async function wantsMailDigest(db: Db, userId: string): Promise<boolean> {
	const { users } = tables(db);
	const [row] = await db.select({ wants: users.mailDigest }).from(users).where(eq(users.id, userId)).limit(1);
	return row?.wants ?? false;
}

/** Turns digests off through a mail's unsubscribe link; false for an unknown, used or expired link. */
export async function unsubscribe(db: Db, token: string): Promise<boolean> {
	const proved = await consumeEmailToken(db, token, 'unsubscribe');
	if (!proved) return false;
	await setMailDigest(db, proved.userId, false);
	return true;
}

/** Remembers the interface language a person uses, for the mails they are sent. */
export async function rememberLocale(db: Db, userId: string, locale: Locale): Promise<void> {
	const { users } = tables(db);
	await db.update(users).set({ locale }).where(eq(users.id, userId));
}

let started = false;

/** Starts mailing due digests (once per process, only with mail configured). */
export function startMailDigests(db: Db): void {
	if (started) return;
	started = true;
	if (!mailConfigured()) return;
	const tick = Math.min(DIGEST_TICK_MAX_MS, Math.max(250, readConfig().mentionDigestMs / 4));
	let running = false;
	const timer = setInterval(() => {
		if (running) return;
		running = true;
		sendDueDigests(db)
			.catch((error) => console.error('mail digests:', error instanceof Error ? error.message : error))
			.finally(() => (running = false));
	}, tick);
	timer.unref();
}
