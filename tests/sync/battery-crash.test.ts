/**
 * Battery: crash durability. Two writers edit at 20 edits/s each while the server is killed with
 * SIGKILL at random moments, cycle after cycle; about a third of the kills are aimed at compaction
 * (forced often with `COMPACT_AFTER_UPDATES`): the kill follows the update that fills the log.
 * After every kill, on a copy of the database files as the dead process left them:
 * `PRAGMA integrity_check` is ok, and every edit an observer had received is stored. The server
 * then restarts on the same files and does its own recovery.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newEvidence } from '../../src/lib/journey/touchpoint';
import { patchItem, putItem } from '../../src/lib/journey/document';
import { templateJourney } from '../../src/lib/journey/templates';
import { batterySeed, fingerprint, readStoredBoard, Rng, scaled, scaledTimeout } from './battery-helpers';
import { cleanup, connectClient, loadFresh, touchpoint, waitFor, type Account, type Client, type TestServer, onPostgres } from './helpers';
import { setupBoard } from './setup';

const CYCLES = scaled(50, 300);
/** Compaction runs this often, so kills land in and around it. */
const COMPACT_AFTER_UPDATES = 15;
const EDITS_PER_SECOND = 20;
const WRITERS = 2;
/** Touchpoints on the board before the test, so a compaction has real work to do. */
const BOARD_TOUCHPOINTS = 400;
const STAGE = 'stage-usage';
const LANE = 'lane-touchpoints';

interface Writer {
	client: Client;
	index: number;
	/** Edits made so far; edit n adds the evidence item `w<index>-<n>` or sets the writer's counter to n. */
	sequence: number;
	added: string[];
}

/** Copies the database files as they are on disk (main file, WAL, shared memory) to a temp dir. */
function copyDatabase(dataDir: string): string {
	const dir = mkdtempSync(join(tmpdir(), 'journey-crash-copy-'));
	for (const suffix of ['', '-wal', '-shm']) {
		const file = join(dataDir, `journey.db${suffix}`);
		if (existsSync(file)) copyFileSync(file, join(dir, `journey.db${suffix}`));
	}
	return dir;
}

// Copies the SQLite file after each kill; the cluster suite kills processes on PostgreSQL.
describe.skipIf(onPostgres)('crash durability', () => {
	let server: TestServer;
	let owner: Account;
	let editor: Account;
	let viewer: Account;
	let boardId: string;
	const seed = batterySeed('crash durability');

	beforeAll(async () => {
		const journey = templateJourney('lifecycle', 'Crash board');
		for (let i = 0; i < BOARD_TOUCHPOINTS; i++) {
			journey.touchpoints.push({
				...touchpoint(`base-${i}`, { title: `Base ${i}`, description: 'b'.repeat(200), x: i }),
				stageId: STAGE,
				laneId: LANE
			});
		}
		({
			server,
			owner,
			members: { editor, viewer },
			boardId
		} = await setupBoard({
			env: { COMPACT_AFTER_UPDATES: String(COMPACT_AFTER_UPDATES) },
			owner: 'Writer A',
			members: { editor: { role: 'editor', name: 'Writer B' }, viewer: { role: 'viewer', name: 'Observer' } },
			board: { journey }
		}));
	});
	afterAll(cleanup);

	test(
		`${CYCLES} kill -9 cycles under ${WRITERS} writers at ${EDITS_PER_SECOND} edits/s lose no edit an observer received`,
		async () => {
			const rng = new Rng(seed);
			const writers: Writer[] = [owner, editor].map((account, index) => ({
				client: connectClient(server, account.cookie, boardId),
				index,
				sequence: 0,
				added: []
			}));
			const observer = connectClient(server, viewer.cookie, boardId);
			await Promise.all([...writers.map((writer) => writer.client.synced), observer.synced]);
			for (const writer of writers) {
				putItem(writer.client.doc, 'touchpoints', { ...touchpoint(`counter-${writer.index}`, { x: 0 }), stageId: STAGE, laneId: LANE });
			}

			// What the observer has received from the server (and so what the server had stored). The added
			// items are evidence, whose limit the run cannot reach, however long a slow machine makes it.
			const received = new Set<string>();
			const counters = writers.map(() => 0);
			const touchpoints = observer.doc.getMap('touchpoints');
			observer.doc.getMap('evidence').observe((event) => {
				for (const [id, change] of event.keys) if (change.action !== 'delete') received.add(id);
			});
			let onObserved: (() => void) | null = null;
			observer.doc.on('update', () => {
				for (const writer of writers) {
					const x = (touchpoints.get(`counter-${writer.index}`) as { get(key: string): unknown } | undefined)?.get('x');
					if (typeof x === 'number') counters[writer.index] = Math.max(counters[writer.index], x);
				}
				onObserved?.();
			});

			const editTimer = setInterval(() => {
				for (const writer of writers) {
					const n = ++writer.sequence;
					if (n % 2 === 0) {
						const id = `w${writer.index}-${n}`;
						putItem(
							writer.client.doc,
							'evidence',
							newEvidence({
								id,
								touchpointId: `counter-${writer.index}`,
								type: 'observation',
								text: `Edit ${n}`,
								createdAt: new Date(0).toISOString()
							})
						);
						writer.added.push(id);
					} else {
						patchItem(writer.client.doc, 'touchpoints', `counter-${writer.index}`, { x: n });
					}
				}
			}, 1000 / EDITS_PER_SECOND);

			let compactionKills = 0;
			let checkedEdits = 0;
			const started = performance.now();
			try {
				for (let cycle = 0; cycle < CYCLES; cycle++) {
					await waitFor(() => observer.provider.synced && writers.every((writer) => writer.client.provider.synced), 'everyone to resync');
					const aimAtCompaction = cycle % 3 === 2;
					if (aimAtCompaction) {
						// Kill right after the update that fills the log: the server is compacting then.
						const db = new Database(join(server.dataDir, 'journey.db'), { readonly: true });
						const logRows = db.prepare('SELECT count(*) AS n FROM board_updates WHERE board_id = ?');
						await new Promise<void>((resolveFull) => {
							onObserved = () => {
								if ((logRows.get(boardId) as { n: number }).n >= COMPACT_AFTER_UPDATES) resolveFull();
							};
						});
						onObserved = null;
						// Closed while the server still runs, so this connection never checkpoints the WAL itself.
						db.close();
					} else {
						await new Promise((resolve) => setTimeout(resolve, rng.between(30, 350)));
					}
					await server.kill9();

					// Everything the dead server flushed has arrived once the observer sees the socket gone.
					await waitFor(() => !observer.provider.wsconnected, 'the observer to notice the kill');
					const copy = copyDatabase(server.dataDir);
					try {
						const stored = readStoredBoard(copy, boardId);
						expect(stored.integrity, `cycle ${cycle}: integrity_check`).toBe('ok');
						if (stored.logRows >= COMPACT_AFTER_UPDATES) compactionKills++;
						const storedIds = new Set(stored.doc.getMap('evidence').keys());
						const lost = [...received].filter((id) => !storedIds.has(id));
						expect(lost, `cycle ${cycle}: edits the observer received are stored (seed ${seed})`).toEqual([]);
						for (const writer of writers) {
							const x = (stored.doc.getMap('touchpoints').get(`counter-${writer.index}`) as { get(key: string): unknown } | undefined)?.get(
								'x'
							);
							expect(x ?? 0, `cycle ${cycle}: writer ${writer.index}'s counter as received`).toBeGreaterThanOrEqual(counters[writer.index]);
						}
						checkedEdits = received.size;
						stored.doc.destroy();
					} finally {
						rmSync(copy, { recursive: true, force: true });
					}
					await server.restart();
				}
			} finally {
				clearInterval(editTimer);
			}
			const seconds = (performance.now() - started) / 1000;

			// Once everyone is back, every edit ever made is on the board exactly once.
			await waitFor(() => observer.provider.synced && writers.every((writer) => writer.client.provider.synced), 'everyone to resync');
			await waitFor(
				() => writers.every((writer) => fingerprint(writer.client.doc) === fingerprint(observer.doc)),
				'the writers and the observer to converge',
				60_000
			);
			const fresh = await loadFresh(server, owner, boardId);
			const ids = [...fresh.getMap('evidence').keys()];
			for (const writer of writers) {
				for (const id of writer.added) expect(ids).toContain(id);
				const x = (fresh.getMap('touchpoints').get(`counter-${writer.index}`) as { get(key: string): unknown }).get('x') as number;
				expect(x).toBe(writer.sequence % 2 === 1 ? writer.sequence : writer.sequence - 1);
			}
			const stored = readStoredBoard(server.dataDir, boardId);
			expect(stored.integrity).toBe('ok');
			console.log(
				`[battery] crash durability: ${CYCLES} kill -9 cycles in ${seconds.toFixed(1)} s, ${compactionKills} with the log full (compaction due or running), ` +
					`${checkedEdits} received edits checked after the last kill, ${writers.reduce((sum, writer) => sum + writer.sequence, 0)} edits made (seed ${seed})`
			);
			expect(compactionKills).toBeGreaterThan(0);
			expect(server.stderr).toBe('');
		},
		scaledTimeout(240_000, 1_800_000)
	);
});
