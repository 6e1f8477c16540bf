/**
 * Mention digests and confirming an address, against the real server and a real SMTP server on
 * loopback: three mentions make one digest, in the reader's language, with links to the board and
 * an unsubscribe link that works; turning digests off is respected; a confirmation link can be
 * mailed again, a few times an hour. Without SMTP_URL nothing offers mail.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { putAction } from '../../src/lib/journey/action-document';
import {
	addMember,
	api,
	cleanup,
	connectClient,
	createBoard,
	newServer,
	signUp,
	waitFor,
	type Account,
	type TestServer,
	queryServerDb
} from './helpers';
import { linkIn, startMailServer, type MailServer } from './mail-server';

/** Digests are collected for 3 s here: long enough for a burst of mentions, short enough to wait for. */
const DIGEST_MINUTES = '0.05';
const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html,application/xhtml+xml' };

describe('mention digests', () => {
	let mail: MailServer;
	let server: TestServer;
	let owner: Account;
	let boardId: string;

	/** A confirmed account on the board as a commenter, its interface language remembered from a request. */
	async function confirmedMember(name: string, language = 'en'): Promise<Account> {
		const account = await signUp(server, name);
		const token = linkIn(await mail.next(account.email), '/verify-email').searchParams.get('token');
		expect((await api(server, 'POST', '/api/auth/verify-email', { body: { token } })).status).toBe(204);
		await api(server, 'GET', '/api/me', { cookie: account.cookie, headers: { 'accept-language': language } });
		await addMember(server, owner, boardId, account, 'commenter');
		return account;
	}

	const mention = (author: Account, body: string, mentions: string[]) =>
		api(server, 'POST', `/api/boards/${boardId}/comments`, { cookie: author.cookie, body: { body, mentions } });

	async function queued(): Promise<number> {
		return (await queryServerDb<{ n: number }>(server, 'SELECT count(*) AS n FROM mail_digest_items')).rows[0].n;
	}

	beforeAll(async () => {
		mail = await startMailServer();
		server = await newServer({ SMTP_URL: mail.url, MENTION_DIGEST_MINUTES: DIGEST_MINUTES });
		owner = await signUp(server, 'Olga');
		await mail.next(owner.email);
		boardId = await createBoard(server, owner, { title: 'Branch visit' });
	});
	afterAll(async () => {
		await cleanup();
		await mail.close();
	});

	test('three mentions make one digest (text and HTML) with links to the board; a later mention makes the next', async () => {
		const ada = await confirmedMember('Ada');
		for (const body of ['Queue at the door', 'Forms are too long', 'The advisor was <great>'])
			expect((await mention(owner, `@Ada ${body}`, [ada.id])).status).toBe(201);
		const digest = await mail.next(ada.email);
		expect(digest.subject).toBe('You were mentioned 3 times');
		expect(digest.text).toContain('Olga mentioned you: “@Ada Queue at the door”');
		expect(digest.text).toContain('“Branch visit”');
		expect(digest.text.match(new RegExp(`${server.origin}/boards/${boardId}\\?comment=`, 'g'))).toHaveLength(3);
		expect(digest.html).toContain('The advisor was &lt;great&gt;');
		expect(digest.html).toContain(`href="${server.origin}/boards/${boardId}?comment=`);
		expect(digest.parsed.headerLines.find((header) => header.key === 'list-unsubscribe')?.line).toContain('/unsubscribe?token=');

		expect((await mention(owner, '@Ada one more', [ada.id])).status).toBe(201);
		const next = await mail.next(ada.email);
		expect(next.subject).toBe('You were mentioned on a board');
		expect(mail.received.filter((received) => received.to === ada.email && received.subject.startsWith('You were mentioned'))).toHaveLength(
			2
		);
	});

	test('the digest is in the reader’s language', async () => {
		const li = await confirmedMember('Li', 'zh-CN,zh;q=0.9');
		expect((await mention(owner, '@Li 排队太久', [li.id])).status).toBe(201);
		const digest = await mail.next(li.email);
		expect(digest.subject).toBe('有 1 条评论提到了你');
		expect(digest.text).toContain('Olga 提到了你：“@Li 排队太久”');
		expect(digest.html).toContain('不再接收此类邮件');
	});

	test('an action given to someone on the board reaches their digest; one they gave themselves, or that was taken back, does not', async () => {
		const dee = await confirmedMember('Dee');
		const writer = connectClient(server, owner.cookie, boardId);
		await writer.synced;
		const base = {
			description: '',
			touchpointIds: [],
			owner: 'Branch operations',
			impact: 4,
			effort: 2,
			customersTold: false,
			createdBy: owner.id,
			createdAt: '2026-12-05T09:00:00.000Z'
		};
		putAction(writer.doc, {
			...base,
			id: 'act-kiosk',
			title: 'Ticket kiosk with SMS callback',
			assigneeId: dee.id,
			status: 'planned',
			due: '2027-01-31'
		});
		putAction(writer.doc, { ...base, id: 'act-moved', title: 'Move the queue rope', assigneeId: dee.id, status: 'open' });
		// Taken back before the digest goes: the board as it stands decides.
		writer.doc.transact(() => (writer.doc.getMap('actions').get('act-moved') as Y.Map<unknown>).set('assigneeId', owner.id));
		const digest = await mail.next(dee.email);
		expect(digest.subject).toBe('One thing on your boards waits on you');
		expect(digest.text).toContain('An action was given to you: “Ticket kiosk with SMS callback”, due 2027-01-31');
		expect(digest.text).toContain(`${server.origin}/me/work`);
		expect(digest.text).not.toContain('Move the queue rope');
		await waitFor(async () => (await queued()) === 0, 'the digest queue to empty');
		// Olga gave the rope to herself: no mail for that.
		expect(mail.received.some((received) => received.to === owner.email && received.text.includes('Move the queue rope'))).toBe(false);
		writer.destroy();
	});

	test('turning digests off is respected; the mail’s unsubscribe link turns them off too', async () => {
		const bo = await confirmedMember('Bo');
		const cy = await confirmedMember('Cy');
		const off = await api(server, 'PUT', '/api/me/mail-digest', { cookie: bo.cookie, body: { enabled: false } });
		expect(off.status).toBe(200);
		expect((await api(server, 'GET', '/api/me', { cookie: bo.cookie })).body.mailDigest).toBe(false);
		expect((await api(server, 'PUT', '/api/me/mail-digest', { cookie: bo.cookie, body: { enabled: 'no' } })).status).toBe(400);

		expect((await mention(owner, '@Bo @Cy look here', [bo.id, cy.id])).status).toBe(201);
		const digest = await mail.next(cy.email);
		await waitFor(async () => (await queued()) === 0, 'the digest queue to empty');
		expect(mail.received.some((received) => received.to === bo.email && received.subject.startsWith('You were mentioned'))).toBe(false);

		// Cy leaves through the link in the mail: opening it asks, the button does it.
		const unsubscribe = linkIn(digest, '/unsubscribe');
		const landing = await fetch(server.url + unsubscribe.pathname + unsubscribe.search);
		expect(landing.status).toBe(200);
		expect((await api(server, 'GET', '/api/me', { cookie: cy.cookie })).body.mailDigest).toBe(true);
		const done = await fetch(`${server.url}/unsubscribe`, {
			method: 'POST',
			body: `token=${unsubscribe.searchParams.get('token')}`,
			headers: { ...FORM_HEADERS, origin: server.origin }
		});
		expect(await done.text()).toContain('Done: no more digest mails.');
		expect((await api(server, 'GET', '/api/me', { cookie: cy.cookie })).body.mailDigest).toBe(false);
	});

	test('a confirmation link can be mailed again, three times an hour; the account page offers it and the digest switch', async () => {
		const dee = await signUp(server, 'Dee');
		await mail.next(dee.email);
		const page = await (await fetch(`${server.url}/account`, { headers: { cookie: dee.cookie } })).text();
		expect(page).toContain('Send the confirmation link again');
		expect(page).toContain('Mail me a digest when someone mentions me');
		const resend = () => api(server, 'POST', '/api/me/verify-email', { cookie: dee.cookie });
		for (let attempt = 0; attempt < 3; attempt++) {
			expect((await resend()).status).toBe(202);
			await mail.next(dee.email);
		}
		const throttled = await resend();
		expect(throttled.status).toBe(429);
		expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
		expect((await api(server, 'POST', '/api/me/verify-email', { cookie: owner.cookie })).status).toBe(202);
		const token = linkIn(await mail.next(owner.email), '/verify-email').searchParams.get('token');
		expect((await api(server, 'POST', '/api/auth/verify-email', { body: { token } })).status).toBe(204);
		expect((await api(server, 'POST', '/api/me/verify-email', { cookie: owner.cookie })).status).toBe(409);
	});
});

describe('without SMTP_URL', () => {
	let server: TestServer;

	beforeAll(async () => {
		server = await newServer();
	});
	afterAll(cleanup);

	test('nothing offers mail: no digest switch, no resend, no unsubscribe page', async () => {
		const ada = await signUp(server, 'Ada');
		const page = await (await fetch(`${server.url}/account`, { headers: { cookie: ada.cookie } })).text();
		expect(page).not.toContain('Mail me a digest');
		expect(page).not.toContain('Send the confirmation link again');
		expect((await api(server, 'PUT', '/api/me/mail-digest', { cookie: ada.cookie, body: { enabled: false } })).status).toBe(501);
		expect((await api(server, 'POST', '/api/me/verify-email', { cookie: ada.cookie })).status).toBe(501);
		expect((await fetch(`${server.url}/unsubscribe?token=x`)).status).toBe(404);
	});
});
