/**
 * The document, version, read and intake services run unchanged on PostgreSQL: a real server
 * started by the suite, the committed migrations applied, the services given its database.
 */
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { postgresAvailable, postgresDatabase, postgresSuite } from '../../../tests/support/databases';
import { readJourney } from '../journey/document';
import { readBoardJourney, touchpointIds } from './board-journey';
import { createBoard } from './boards';
import { startingBoard } from './board-start';
import type { Db } from './db';
import type { PgDb } from './db/pg';
import { boardUpdates } from './db/schema-pg';
import { tables } from './db/tables';
import { loadDoc, loadState, storedStateKey, storedUpdates, storeSnapshot } from './doc-store';
import { acceptResponses, boardMetrics, recentIntakeComments } from './intake';
import { createIntakeToken, findIntakeToken, listIntakeTokens, noteIntakeTokenUse, revokeIntakeToken } from './intake-tokens';
import { boardReads } from './reads/board-reads';
import { isStorageError } from './storage-errors';
import { registerSyncHub, type SyncHub } from './sync-hub';
import { ensureDailyVersion, hasDailyVersion, listVersions, restoreVersion, saveNamedVersion } from './versions';

const OWNER = 'owner-1';

describe.skipIf(!postgresAvailable)(postgresSuite('documents, versions, reads and intake on PostgreSQL'), () => {
	const postgres = postgresDatabase();
	let pgDb: PgDb;
	let db: Db;
	/** Edits the services asked of the live sync server, applied to the stored document as a room would store them. */
	const liveEdits: string[] = [];

	beforeAll(async () => {
		db = await postgres.open();
		pgDb = db as unknown as PgDb;
		const { users } = tables(db);
		await db.insert(users).values({ id: OWNER, email: 'olga@example.com', name: 'Olga', passwordHash: '-', createdAt: 0 });
		const hub: SyncHub = {
			async closeSession() {},
			async setMemberRole() {},
			async closeBoard() {},
			async setLocked() {},
			async presentStage() {},
			async editDocument(boardId, edit) {
				liveEdits.push(boardId);
				const { doc } = await loadDoc(db, boardId);
				const before = Y.encodeStateVector(doc);
				doc.transact(() => edit(doc));
				await appendLogged(boardId, Y.encodeStateAsUpdate(doc, before));
				doc.destroy();
			},
			async readDocument(boardId, read) {
				const { doc } = await loadDoc(db, boardId);
				try {
					return read(doc);
				} finally {
					doc.destroy();
				}
			}
		};
		registerSyncHub(hub);
	}, 120_000);

	afterAll(async () => {
		if (db) await postgres.close(db);
	});

	/** Logs an update as the sync server's board store does on PostgreSQL: numbered in its board's log. */
	async function appendLogged(boardId: string, update: Uint8Array): Promise<void> {
		const rows = await pgDb.select({ id: boardUpdates.id }).from(boardUpdates).where(eq(boardUpdates.boardId, boardId));
		await pgDb.insert(boardUpdates).values({ boardId, update: Buffer.from(update), seq: rows.length + 1 });
	}

	async function newBoard(title: string): Promise<string> {
		const start = startingBoard(new TextEncoder().encode(JSON.stringify({ title, template: 'bank-branch' })), 'en');
		if (!start.ok) throw new Error(start.error);
		return createBoard(db, OWNER, start);
	}

	async function retitle(boardId: string, title: string): Promise<void> {
		const { doc } = await loadDoc(db, boardId);
		const before = Y.encodeStateVector(doc);
		doc.getMap('board').set('title', title);
		await appendLogged(boardId, Y.encodeStateAsUpdate(doc, before));
		doc.destroy();
	}

	it('stores, loads, names and compacts a board’s document', async () => {
		const boardId = await newBoard('Branch visit');
		const created = await loadState(db, boardId);
		expect(created.logLength).toBe(0);
		expect(created.stateVector).not.toBeNull();
		expect((await readBoardJourney(db, boardId)).title).toBe('Branch visit');

		const keys = new Set([await storedStateKey(db, boardId)]);
		await retitle(boardId, 'Renamed once');
		keys.add(await storedStateKey(db, boardId));
		await retitle(boardId, 'Renamed twice');
		keys.add(await storedStateKey(db, boardId));
		expect(keys.size).toBe(3);
		expect((await loadState(db, boardId)).logLength).toBe(2);
		expect(await storedUpdates(db, boardId)).toHaveLength(3);

		// A compaction that knows only the first logged update keeps the second.
		const { doc } = await loadDoc(db, boardId);
		await storeSnapshot(db, boardId, Y.encodeStateAsUpdate(doc), Y.encodeStateVector(doc), 1);
		expect((await loadState(db, boardId)).logLength).toBe(1);
		keys.add(await storedStateKey(db, boardId));
		await storeSnapshot(db, boardId, Y.encodeStateAsUpdate(doc), Y.encodeStateVector(doc));
		doc.destroy();
		keys.add(await storedStateKey(db, boardId));
		expect(keys.size).toBe(5);
		const compacted = await loadDoc(db, boardId);
		expect(compacted.logLength).toBe(0);
		expect(readJourney(compacted.doc).title).toBe('Renamed twice');
		compacted.doc.destroy();
		expect((await (await boardReads(db, boardId)).journey()).title).toBe('Renamed twice');
		expect((await touchpointIds(db, boardId)).size).toBeGreaterThan(0);
	});

	it('saves, lists and restores versions, and keeps one automatic version a day', async () => {
		const boardId = await newBoard('Versioned');
		const versionId = await saveNamedVersion(db, boardId, OWNER, 'Workshop start');
		await retitle(boardId, 'Changed after');
		expect(await restoreVersion(db, boardId, 'missing', OWNER)).toEqual({ ok: false, status: 404, error: 'Version not found' });
		expect(await restoreVersion(db, boardId, versionId, OWNER)).toEqual({ ok: true });
		expect(liveEdits).toContain(boardId);
		expect((await readBoardJourney(db, boardId)).title).toBe('Versioned');
		const listed = await listVersions(db, boardId);
		expect(listed.map((version) => version.name)).toEqual(['Before restoring “Workshop start”', 'Workshop start']);
		expect(listed[1].author).toEqual({ id: OWNER, name: 'Olga' });
		expect(listed[1].touchpoints).toBeGreaterThan(0);

		const now = Date.UTC(2026, 11, 5, 12);
		expect(await hasDailyVersion(db, boardId, now)).toBe(false);
		const state = Y.mergeUpdates(await storedUpdates(db, boardId));
		expect(await ensureDailyVersion(db, boardId, state, now)).toBe(true);
		expect(await ensureDailyVersion(db, boardId, state, now + 1_000)).toBe(false);
		expect(await hasDailyVersion(db, boardId, now)).toBe(true);
	});

	it('takes intake through tokens, counts each response once and reads the metrics back', async () => {
		const boardId = await newBoard('Intake');
		const created = await createIntakeToken(db, boardId, OWNER, 'Survey tool');
		if (!created.ok) throw new Error(created.error);
		const holder = await findIntakeToken(db, created.token);
		expect(holder).toMatchObject({ id: created.id, boardId, lastUsedAt: null });
		await noteIntakeTokenUse(db, holder!, 5_000);
		expect((await listIntakeTokens(db, boardId))[0].lastUsedAt).toBe(new Date(5_000).toISOString());

		const [touchpointId] = [...(await touchpointIds(db, boardId))];
		const batch = [
			{ id: 'r1', touchpointId, metric: 'csat', score: 5, comment: 'Quick and friendly' },
			{ id: 'r1', touchpointId, metric: 'csat', score: 1 },
			{ touchpointId, metric: 'csat', score: 4 },
			{ id: 'r2', touchpointId, metric: 'csat', score: 4 }
		];
		expect(await acceptResponses(db, boardId, batch)).toEqual({ ok: true, accepted: 3, duplicates: 1 });
		// A retried batch: only the response without an id is new.
		expect(await acceptResponses(db, boardId, batch)).toEqual({ ok: true, accepted: 1, duplicates: 3 });
		const refused = await acceptResponses(db, boardId, [{ touchpointId: 'nowhere', metric: 'csat', score: 3 }]);
		expect(refused.ok).toBe(false);

		const [metrics] = await boardMetrics(db, boardId);
		expect(metrics.touchpointId).toBe(touchpointId);
		expect(metrics.metrics.csat?.count).toBe(4);
		expect((await recentIntakeComments(db, boardId, touchpointId)).map((comment) => comment.comment)).toEqual(['Quick and friendly']);
		// The touchpoint's evidence is brought up to date on the live document, with the last batch too.
		await expect
			.poll(
				async () =>
					(await readBoardJourney(db, boardId)).evidence.find((item) => item.touchpointId === touchpointId && item.type === 'metric')
						?.count,
				{
					timeout: 10_000
				}
			)
			.toBe(4);

		expect(await revokeIntakeToken(db, boardId, created.id)).toBe(true);
		expect(await revokeIntakeToken(db, boardId, created.id)).toBe(false);
		expect(await findIntakeToken(db, created.token)).toBeNull();
	});

	it('counts an unreachable PostgreSQL as storage unavailable', async () => {
		const unreachable = new pg.Pool({
			connectionString: pgDb.$client.options.connectionString!.replace(/:\d+\//, ':1/'),
			connectionTimeoutMillis: 2_000
		});
		unreachable.on('error', () => {});
		const failure = await unreachable.query('SELECT 1').catch((error: unknown) => error);
		await unreachable.end();
		expect(isStorageError(failure)).toBe(true);
	});
});
