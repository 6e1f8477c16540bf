import { afterEach, describe, expect, test } from 'vitest';
import { patchItem, putItem, readJourney } from '../../src/lib/journey/document';
import { DEFAULT_COMPACT_AFTER_UPDATES } from '../../src/lib/server/config';
import { barrier, cleanup, getJourney, loadFresh, touchpoint, waitFor, type TestServer, queryServerDb } from './helpers';
import { ALICE_AND_BOB, setupBoard } from './setup';

/** The server compacts a board's log past this many updates (by default). */
const COMPACT_AFTER_UPDATES = DEFAULT_COMPACT_AFTER_UPDATES;
const TOUCHPOINTS = 100;
/** Separate document updates sent in all, well past the compaction threshold. */
const UPDATES = 650;

afterEach(cleanup);

/** Log rows and snapshot presence of a board, read from the stopped server's database. */
async function storedLog(server: TestServer, boardId: string): Promise<{ logRows: number; hasSnapshot: boolean }> {
	const log = await queryServerDb<{ n: number }>(server, 'SELECT count(*) AS n FROM board_updates WHERE board_id = ?', [boardId]);
	const snapshot = await queryServerDb(server, 'SELECT 1 AS found FROM board_snapshots WHERE board_id = ?', [boardId]);
	return { logRows: log.rows[0].n, hasSnapshot: snapshot.rows.length > 0 };
}

describe('compaction', () => {
	test(`after more than ${COMPACT_AFTER_UPDATES} updates the board loads with the same content after a restart`, async () => {
		const {
			server,
			owner,
			boardId,
			clients: [writer, observer]
		} = await setupBoard({ owner: 'Writer', board: { title: 'Many edits', template: 'blank' }, clients: ['owner', 'owner'] });

		// Each call is its own transaction, so each reaches the server as a separate update.
		for (let i = 0; i < UPDATES; i++) {
			const id = `tp-${i % TOUCHPOINTS}`;
			if (i < TOUCHPOINTS) putItem(writer.doc, 'touchpoints', touchpoint(id, { title: `Touchpoint ${i}` }));
			else patchItem(writer.doc, 'touchpoints', id, { x: i, title: `Revision ${i}` });
		}
		const expected = readJourney(writer.doc);
		await waitFor(() => JSON.stringify(readJourney(observer.doc)) === JSON.stringify(expected), 'the observer to receive every update');
		expect(await getJourney(server, owner, boardId)).toEqual(expected);

		// SIGKILL, so what is on disk is what the live compaction left, not a shutdown snapshot.
		await server.kill9();
		const { logRows, hasSnapshot } = await storedLog(server, boardId);
		expect(hasSnapshot).toBe(true);
		expect(logRows).toBeLessThan(COMPACT_AFTER_UPDATES);

		writer.provider.disconnect();
		observer.provider.disconnect();
		await server.restart();
		expect(await getJourney(server, owner, boardId)).toEqual(expected);
		const fresh = await loadFresh(server, owner, boardId);
		expect(readJourney(fresh)).toEqual(expected);
		expect(readJourney(fresh).touchpoints.find((item) => item.id === 'tp-49')).toMatchObject({
			title: `Revision ${UPDATES - 1}`,
			x: UPDATES - 1
		});
	});

	test('compacting while two editors write concurrently loses nothing', async () => {
		const {
			server,
			owner,
			boardId,
			clients: [alice, bob]
		} = await setupBoard({
			...ALICE_AND_BOB,
			board: { title: 'Concurrent', template: 'blank' }
		});
		putItem(alice.doc, 'touchpoints', touchpoint('tp-shared'));
		await waitFor(() => bob.doc.getMap('touchpoints').has('tp-shared'), 'Bob to see the shared touchpoint');

		const perEditor = Math.ceil(UPDATES / 2);
		for (let i = 0; i < perEditor; i++) {
			// Different fields of one touchpoint, plus a touchpoint each every tenth update.
			patchItem(alice.doc, 'touchpoints', 'tp-shared', { x: i });
			patchItem(bob.doc, 'touchpoints', 'tp-shared', { y: i });
			if (i % 10 === 0) {
				putItem(alice.doc, 'touchpoints', touchpoint(`tp-alice-${i}`));
				putItem(bob.doc, 'touchpoints', touchpoint(`tp-bob-${i}`));
			}
			if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
		}
		await barrier(alice, bob);
		await barrier(bob, alice);
		await waitFor(() => JSON.stringify(readJourney(alice.doc)) === JSON.stringify(readJourney(bob.doc)), 'the editors to converge');
		const expected = readJourney(alice.doc);
		expect(expected.touchpoints.find((item) => item.id === 'tp-shared')).toMatchObject({
			x: perEditor - 1,
			y: perEditor - 1
		});
		expect(expected.touchpoints).toHaveLength(1 + 2 * Math.ceil(perEditor / 10));

		await server.kill9();
		expect((await storedLog(server, boardId)).logRows).toBeLessThan(COMPACT_AFTER_UPDATES);
		alice.provider.disconnect();
		bob.provider.disconnect();
		await server.restart();
		expect(await getJourney(server, owner, boardId)).toEqual(expected);
	});
});
