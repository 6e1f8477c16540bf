/**
 * The server checkpoints its write-ahead log from a worker thread: the log stays bounded while
 * people write, and nothing is lost across a kill -9 with a long log.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { patchItem, putItem } from '../../src/lib/journey/document';
import { cleanup, loadFresh, touchpoint, waitFor, onPostgres } from './helpers';
import { setupBoard } from './setup';

const descriptionOf = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>('touchpoints').get('tp-long')?.get('description');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MB = 1024 * 1024;

// The write-ahead log of the SQLite file: PostgreSQL has none to bound.
describe.skipIf(onPostgres)('WAL checkpoints', () => {
	afterAll(cleanup);

	test('the log is folded back while 20 MB are written, and a kill -9 loses nothing', async () => {
		const {
			server,
			owner,
			boardId,
			clients: [client]
		} = await setupBoard({ owner: 'Writer', board: { title: 'Busy', template: 'blank' }, clients: ['owner'] });
		putItem(client.doc, 'touchpoints', touchpoint('tp-long'));
		// 40 rounds of 0.5 MB (50 edits of 10 KB), a quarter of a second apart: 10 s of writing.
		for (let round = 0; round < 40; round++) {
			for (let edit = 0; edit < 50; edit++) {
				patchItem(client.doc, 'touchpoints', 'tp-long', { description: `${round}-${edit} `.padEnd(10_000, 'x') });
			}
			await sleep(250);
		}
		const last = '39-49 '.padEnd(10_000, 'x');
		await waitFor(async () => {
			const fresh = await loadFresh(server, owner, boardId);
			return descriptionOf(fresh) === last;
		}, 'the last edit to reach the server');
		const wal = statSync(join(server.dataDir, 'journey.db-wal')).size;
		console.log(`[wal] 20 MB written, WAL ${(wal / MB).toFixed(1)} MB`);
		// Without checkpoints the log would hold all 20 MB (and more: snapshots, indexes).
		expect(wal).toBeLessThan(10 * MB);

		client.destroy();
		await server.kill9();
		await server.restart();
		const reloaded = await loadFresh(server, owner, boardId);
		expect(descriptionOf(reloaded)).toBe(last);
		expect(server.stderr).toBe('');
	});
});
