/**
 * The account services on both databases: the same scenarios run against a SQLite file and a real
 * PostgreSQL server (started by the suite; skipped, with the reason in the suite's name, where
 * PostgreSQL is not installed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { missingEngines, startPostgres, type PostgresEngine } from '../../../tests/support/engines';
import { sessionIsLive } from '../../../server/session-check';
import { confirmPasswordReset, emailVerified, verifyEmail } from './account-mail';
import { checkCredentials, signUp } from './accounts';
import { closeDb, openDb, type Db } from './db';
import { openPgDb } from './db/pg';
import { tables } from './db/tables';
import { consumeEmailToken, issueEmailToken } from './email-tokens';
import { upgradeGuest } from './guests';
import { createInvite, findInvite, joinAsGuest, joinBoard, listInvites, revokeInvite } from './invites';
import { changePassword, endOwnSession, listSessions, rename } from './my-account';
import { completeLink, identitiesOf, signInWithIdentity } from './oidc/accounts';
import { acceptPersonalInvite, shareByEmail } from './personal-invites';
import {
	createSession,
	generateSessionToken,
	invalidateSession,
	SESSION_RENEW_WINDOW_MS,
	SESSION_TTL_MS,
	validateSessionToken
} from './session';
import { registerSyncHub, type SyncHub } from './sync-hub';

const PASSWORD = 'correct horse battery';
const NOW = Date.UTC(2026, 0, 1);
const hub = { closeSession: vi.fn<SyncHub['closeSession']>(), setMemberRole: vi.fn<SyncHub['setMemberRole']>() };

interface Dialect {
	open(): Promise<Db>;
	close(db: Db): Promise<void>;
}

const sqlite = (): Dialect => {
	let dir = '';
	return {
		async open() {
			dir = mkdtempSync(join(tmpdir(), 'journey-accounts-'));
			return openDb(dir);
		},
		async close(db) {
			await closeDb(db);
			rmSync(dir, { recursive: true, force: true });
		}
	};
};

const postgres = (): Dialect => {
	let engine: PostgresEngine | undefined;
	return {
		async open() {
			engine = await startPostgres();
			return (await openPgDb(engine.url)) as unknown as Db;
		},
		async close(db) {
			await closeDb(db);
			await engine?.stop();
		}
	};
};

const pgMissing = missingEngines('postgresql').length > 0;
const dialects: [string, () => Dialect, boolean][] = [
	['SQLite', sqlite, false],
	[pgMissing ? 'PostgreSQL (skipped: postgresql is not installed here)' : 'PostgreSQL', postgres, pgMissing]
];

describe.each(dialects)('account services on %s', (_name, makeDialect, skip) => {
	const dialect = makeDialect();
	let db: Db;

	beforeAll(async () => {
		if (skip) return;
		registerSyncHub(hub as unknown as SyncHub);
		db = await dialect.open();
	}, 120_000);
	afterAll(async () => {
		if (db) await dialect.close(db);
	});

	async function account(name: string) {
		const created = await signUp(db, { email: `${name.toLowerCase()}@example.com`, password: PASSWORD, name });
		if (!created.user) throw new Error(created.error);
		return created.user;
	}

	async function board(id: string, ownerId: string) {
		const { boards, boardMembers } = tables(db);
		await db.insert(boards).values({ id, title: `Board ${id}`, createdBy: ownerId, createdAt: NOW, updatedAt: NOW });
		await db.insert(boardMembers).values({ boardId: id, userId: ownerId, role: 'owner', addedAt: NOW });
	}

	async function roleOn(boardId: string, userId: string) {
		const { boardMembers } = tables(db);
		const rows = await db
			.select({ userId: boardMembers.userId, role: boardMembers.role })
			.from(boardMembers)
			.where(eq(boardMembers.boardId, boardId));
		return rows.find((row) => row.userId === userId)?.role ?? null;
	}

	it.skipIf(skip)('signs up once per email and checks credentials', async () => {
		const ana = await account('Ana');
		expect(await signUp(db, { email: 'ana@example.com', password: PASSWORD, name: 'Again' })).toEqual({ user: null, error: 'email-taken' });
		expect(await checkCredentials(db, { email: 'ana@example.com', password: PASSWORD })).toEqual(ana);
		expect(await checkCredentials(db, { email: 'ana@example.com', password: 'wrong password' })).toBeNull();
		expect(await checkCredentials(db, { email: 'nobody@example.com', password: PASSWORD })).toBeNull();
	});

	it.skipIf(skip)('creates, validates, renews and ends sessions, as the sync server sees them', async () => {
		const bea = await account('Bea');
		const token = generateSessionToken();
		const session = await createSession(db, token, bea.id, NOW);
		expect(await validateSessionToken(db, token, NOW + 1000)).toMatchObject({
			session,
			user: { id: bea.id, name: 'Bea', isGuest: false },
			renewed: false
		});
		expect(await sessionIsLive(db, session.id, NOW + 1000)).toBe(true);
		const inWindow = NOW + SESSION_TTL_MS - SESSION_RENEW_WINDOW_MS;
		const renewed = await validateSessionToken(db, token, inWindow);
		expect(renewed).toMatchObject({ renewed: true, session: { expiresAt: inWindow + SESSION_TTL_MS } });
		expect(await sessionIsLive(db, session.id, NOW + SESSION_TTL_MS + 1)).toBe(true);
		await invalidateSession(db, session.id);
		expect((await validateSessionToken(db, token, inWindow)).session).toBeNull();
		expect(await sessionIsLive(db, session.id, inWindow)).toBe(false);

		const expiring = generateSessionToken();
		const old = await createSession(db, expiring, bea.id, NOW);
		expect((await validateSessionToken(db, expiring, NOW + SESSION_TTL_MS)).session).toBeNull();
		expect(await sessionIsLive(db, old.id, NOW)).toBe(false);
	});

	it.skipIf(skip)('lists and ends the account’s sessions; a new password ends the others', async () => {
		const cal = await account('Cal');
		const here = await createSession(db, generateSessionToken(), cal.id);
		const there = await createSession(db, generateSessionToken(), cal.id);
		expect((await listSessions(db, cal.id, here.id)).map((s) => [s.id, s.current]).sort()).toEqual(
			[
				[here.id, true],
				[there.id, false]
			].sort()
		);
		expect(await endOwnSession(db, cal.id, 'no-such-session')).toBe(false);
		const third = await createSession(db, generateSessionToken(), cal.id);
		expect(await endOwnSession(db, cal.id, third.id)).toBe(true);
		expect(await changePassword(db, cal, here.id, { currentPassword: PASSWORD, password: 'a new long password' }, '10.0.0.1')).toEqual({
			ok: true
		});
		expect(hub.closeSession).toHaveBeenCalledWith(there.id);
		expect((await listSessions(db, cal.id, here.id)).map((s) => s.id)).toEqual([here.id]);
		expect(await checkCredentials(db, { email: cal.email, password: 'a new long password' })).toMatchObject({ id: cal.id });
		await rename(db, cal.id, 'Calvin');
		expect(await checkCredentials(db, { email: cal.email, password: 'a new long password' })).toMatchObject({ name: 'Calvin' });
	});

	it.skipIf(skip)('mailed links prove the address once, and reset the password', async () => {
		const dee = await account('Dee');
		expect(await emailVerified(db, dee.id)).toBe(false);
		const verify = await issueEmailToken(db, dee.id, 'verify-email', dee.email);
		expect(await verifyEmail(db, verify)).toBe(true);
		expect(await verifyEmail(db, verify)).toBe(false);
		expect(await emailVerified(db, dee.id)).toBe(true);

		const session = await createSession(db, generateSessionToken(), dee.id);
		const reset = await issueEmailToken(db, dee.id, 'reset-password', dee.email);
		expect(await confirmPasswordReset(db, { token: reset, password: 'reset long password' })).toBe(dee.id);
		expect(await sessionIsLive(db, session.id)).toBe(false);
		expect(await checkCredentials(db, { email: dee.email, password: 'reset long password' })).toMatchObject({ id: dee.id });
		expect(await consumeEmailToken(db, reset, 'reset-password')).toBeNull();
		const expired = await issueEmailToken(db, dee.id, 'unsubscribe', dee.email, NOW - 100 * 24 * 60 * 60 * 1000);
		expect(await consumeEmailToken(db, expired, 'unsubscribe')).toBeNull();
	});

	it.skipIf(skip)('invite links let members and guests join, count their uses, and can be revoked', async () => {
		const eve = await account('Eve');
		const fay = await account('Fay');
		await board('b-links', eve.id);
		const link = await createInvite(db, 'b-links', eve.id, { role: 'commenter', expiresInHours: 1 });
		const found = await findInvite(db, link.token);
		if (!found.ok) throw new Error(found.reason);
		expect(found.invite).toMatchObject({ boardId: 'b-links', role: 'commenter', boardTitle: 'Board b-links', email: null });
		expect(await joinBoard(db, found.invite, fay.id)).toBe('commenter');
		expect(await joinBoard(db, found.invite, eve.id)).toBe('owner');
		const guest = await joinAsGuest(db, found.invite, 'Walk-in');
		expect(guest).toMatchObject({ name: 'Walk-in', isGuest: true });
		expect(await roleOn('b-links', guest.id)).toBe('commenter');
		expect(await listInvites(db, 'b-links')).toMatchObject([{ id: link.id, uses: 2, revoked: false, email: null }]);
		expect(await upgradeGuest(db, guest.id, { email: 'walkin@example.com', password: PASSWORD })).toMatchObject({
			ok: true,
			user: { id: guest.id }
		});
		expect(await upgradeGuest(db, guest.id, { email: 'walkin@example.com', password: PASSWORD })).toEqual({
			ok: false,
			error: 'not-guest'
		});
		expect(await revokeInvite(db, 'b-links', link.id)).toBe(true);
		expect(await revokeInvite(db, 'b-links', 'no-such-invite')).toBe(false);
		expect(await findInvite(db, link.token)).toEqual({ ok: false, reason: 'revoked' });
	});

	it.skipIf(skip)('a personal invite works once, for its address only', async () => {
		const gus = await account('Gus');
		await board('b-personal', gus.id);
		const shared = await shareByEmail(db, 'b-personal', gus.id, { email: 'hal@example.com', role: 'editor' }, 'en');
		if (!shared.ok || !('invite' in shared)) throw new Error('expected a personal invite');
		expect(shared.mailed).toBe(false);
		const token = shared.invite.url.split('/join/')[1];
		const found = await findInvite(db, token);
		if (!found.ok || found.invite.email === null) throw new Error('expected a personal invite');
		const hal = await account('Hal');
		const other = await account('Ivy');
		const invite = { ...found.invite, email: found.invite.email };
		expect(await acceptPersonalInvite(db, invite, other.id)).toEqual({ ok: false, reason: 'other-address' });
		expect(await acceptPersonalInvite(db, invite, hal.id)).toEqual({ ok: true, role: 'editor' });
		expect(await roleOn('b-personal', hal.id)).toBe('editor');
		expect(await findInvite(db, token)).toEqual({ ok: false, reason: 'used' });
		expect(await acceptPersonalInvite(db, invite, hal.id)).toEqual({ ok: false, reason: 'removed' });
	});

	it.skipIf(skip)('single sign-on creates an account once, and links an existing one', async () => {
		const identity = { issuer: 'https://id.example', subject: 'sub-1', email: 'jo@example.com', emailVerified: true, name: 'Jo' };
		const first = await signInWithIdentity(db, identity, '/boards');
		expect(first).toMatchObject({ kind: 'signed-in', created: true });
		expect(await signInWithIdentity(db, { ...identity, email: 'changed@example.com' }, '/boards')).toEqual({
			kind: 'signed-in',
			userId: first.kind === 'signed-in' ? first.userId : '',
			created: false
		});
		const kim = await account('Kim');
		const linking = await signInWithIdentity(db, { ...identity, subject: 'sub-2', email: kim.email }, '/boards');
		expect(linking.kind).toBe('link');
		const linked = await completeLink(db, {
			userId: kim.id,
			email: kim.email,
			issuer: identity.issuer,
			subject: 'sub-2',
			redirectTo: '/boards'
		});
		expect(linked).toEqual({ ok: true, userId: kim.id, redirectTo: '/boards' });
		expect(await identitiesOf(db, kim.id)).toMatchObject([{ issuer: identity.issuer }]);
		expect(await emailVerified(db, kim.id)).toBe(true);
	});
});
