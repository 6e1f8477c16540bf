/**
 * PostgreSQL restarts while people edit through both processes: writers wait and retry, and once
 * it is back every edit is stored exactly once (a gap-free log, no update appended twice) and
 * every client, fresh or not, holds the same board.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { putItem } from '../../src/lib/journey/document';
import { CLOSE_CODES } from '../../server/close-codes';
import { queryDatabase } from '../support/cluster';
import { fingerprint, storedBoard } from '../sync/battery-helpers';
import { cleanup, connectClient, loadFresh, touchpoint, touchpointIds, type Client } from '../sync/helpers';
import { clusterBoard, converged } from './cluster-board';

/** Edits each writer makes before the restart, while the database is down, and after it is back. */
const EDITS_BEFORE = 40;
const EDITS_WHILE_DOWN = 20;
const EDITS_AFTER = 20;
/** The pace of each writer: a person typing quickly. */
const EDIT_INTERVAL_MS = 10;
/** How long the restarted database and the writers' retries may take to store everything. */
const RECOVERY_TIMEOUT_MS = 60_000;

afterAll(cleanup);

/** Close codes that stop the stock provider from reconnecting (4400–4499): a storage failure must never send one. */
const isFinal = (code: number) => code >= 4400 && code < 4500;

describe('a PostgreSQL restart mid-edit', () => {
	test('writers on both processes wait and retry: nothing lost, nothing doubled', async () => {
		const { cluster, a, b, owner, members, boardId } = await clusterBoard({ members: { editor: 'editor' } });
		const writers = [connectClient(a, owner.cookie, boardId), connectClient(b, members.editor.cookie, boardId)];
		const observer = connectClient(a, members.editor.cookie, boardId);
		await Promise.all([...writers, observer].map((client) => client.synced));

		const sent: string[] = [];
		let made = 0;
		async function edit(count: number): Promise<void> {
			for (let i = 0; i < count; i++) {
				for (const [index, writer] of writers.entries()) {
					const id = `tp-w${index}-${String(made).padStart(4, '0')}`;
					putItem(writer.doc, 'touchpoints', touchpoint(id, { x: made }));
					sent.push(id);
				}
				made++;
				await new Promise((resolve) => setTimeout(resolve, EDIT_INTERVAL_MS));
			}
		}

		await edit(EDITS_BEFORE);
		await cluster.postgres.halt();
		await edit(EDITS_WHILE_DOWN);
		await cluster.postgres.start();
		await edit(EDITS_AFTER);

		const clients: Client[] = [...writers, observer];
		const agreed = await converged(clients, 'every client to hold the same board once PostgreSQL is back', RECOVERY_TIMEOUT_MS);
		expect(touchpointIds(observer.doc)).toEqual([...sent].sort());
		for (const server of [a, b]) expect(fingerprint(await loadFresh(server, owner, boardId))).toBe(agreed);

		const stored = await storedBoard(a, boardId);
		expect(stored.integrity, 'the log is numbered without gaps or repeats').toBe('ok');
		expect(fingerprint(stored.doc), 'PostgreSQL holds what the clients agree on').toBe(agreed);
		const doubled = await queryDatabase(
			cluster.databaseUrl,
			'SELECT md5("update") AS hash FROM board_updates WHERE board_id = $1 GROUP BY md5("update") HAVING count(*) > 1',
			[boardId]
		);
		expect(doubled.rows, 'no update is stored twice').toEqual([]);
		for (const client of clients) expect(client.closeCodes.filter(isFinal), 'no client was told to give up').toEqual([]);
		expect(
			writers.some((writer) => writer.closeCodes.includes(CLOSE_CODES.storageUnavailable)),
			'a writer was told the board cannot be stored now (4503)'
		).toBe(true);
		console.log(
			`[cluster] PostgreSQL restart: ${sent.length} edits, close codes seen by the writers: ${JSON.stringify(writers.map((writer) => writer.closeCodes))}`
		);
	});
});
