/**
 * Battery: backup. `npm run backup -- <dir>` (scripts/backup.js) runs while a writer edits; a server
 * started on the copy has every board, every account and every file, and the edited board holds
 * a consistent cut of the writer's edits: a gap-free prefix that includes everything an observer
 * had received before the backup began.
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { putItem, readJourney } from '../../src/lib/journey/document';
import { readStoredBoard } from './battery-helpers';
import {
	api,
	cleanup,
	connectClient,
	createBoard,
	getJourney,
	loadFresh,
	newServer,
	PASSWORD,
	sessionCookie,
	signUp,
	touchpoint,
	waitFor,
	onPostgres
} from './helpers';
import { download, TINY_PNG, tinyPdf, upload } from './http-helpers';
import { setupBoard } from './setup';

const ROOT = resolve(import.meta.dirname, '../..');
/** Edits per second the writer makes while the backup runs. */
const EDITS_PER_SECOND = 50;

/** Runs `node scripts/backup.js <dir>` on a DATA_DIR; resolves with its exit code and output. */
function runBackup(dataDir: string, target: string): Promise<{ code: number | null; output: string }> {
	return new Promise((resolveRun) => {
		const child = spawn(process.execPath, ['scripts/backup.js', target], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir } });
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('close', (code) => resolveRun({ code, output }));
	});
}

afterAll(cleanup);

// `npm run backup` of DATA_DIR's SQLite file and uploads, restored as DATA_DIR.
describe.skipIf(onPostgres)('backup', () => {
	test('a backup taken while people edit restores every board, account and file', async () => {
		const {
			server,
			owner,
			members: { editor },
			boardId: busy
		} = await setupBoard({ members: { editor: 'editor' }, board: { title: 'Busy board', template: 'blank' } });
		const quiet = await createBoard(server, owner, { title: 'Quiet board', template: 'bank-branch' });
		const png = await upload(server, owner.cookie, quiet, { bytes: TINY_PNG, name: 'map.png', type: 'image/png' });
		const pdf = await upload(server, owner.cookie, busy, { bytes: tinyPdf(), name: 'study.pdf', type: 'application/pdf' });
		expect([png.status, pdf.status]).toEqual([201, 201]);
		const comment = await api(server, 'POST', `/api/boards/${quiet}/comments`, { cookie: owner.cookie, body: { body: 'Keep this' } });
		expect(comment.status).toBe(201);

		const writer = connectClient(server, editor.cookie, busy);
		const observer = connectClient(server, owner.cookie, busy);
		await Promise.all([writer.synced, observer.synced]);
		let sequence = 0;
		const timer = setInterval(() => {
			putItem(writer.doc, 'touchpoints', touchpoint(`edit-${String(sequence).padStart(5, '0')}`, { x: sequence }));
			sequence++;
		}, 1000 / EDITS_PER_SECOND);

		let result;
		let seenBefore: string[];
		const target = join(await mkdtemp(join(tmpdir(), 'journey-backup-')), 'backup');
		try {
			await waitFor(() => observer.doc.getMap('touchpoints').size >= 50, 'the writer to get going');
			seenBefore = [...observer.doc.getMap('touchpoints').keys()];
			result = await runBackup(server.dataDir, target);
			const made = sequence;
			await waitFor(() => sequence >= made + 25, 'the writer to go on after the backup');
		} finally {
			clearInterval(timer);
		}
		expect(result.code, result.output).toBe(0);
		expect(result.output).toMatch(/Backed up 2 boards and 2 files/);
		expect((await readdir(join(target, 'uploads'))).sort()).toEqual([png.json.fileId, pdf.json.fileId].sort());
		expect(readStoredBoard(target, busy).integrity).toBe('ok');
		// A second backup into the same place is refused rather than overwriting it.
		expect((await runBackup(server.dataDir, target)).code).toBe(1);

		const quietBefore = await getJourney(server, owner, quiet);
		await server.stop();

		// Restore: a server whose DATA_DIR holds only the backup.
		const restored = await newServer();
		await restored.stop();
		await rm(restored.dataDir, { recursive: true, force: true });
		await cp(target, restored.dataDir, { recursive: true });
		await restored.restart();

		// Accounts: passwords and sessions are in the copy.
		expect((await api(restored, 'POST', '/api/auth/login', { body: { email: editor.email, password: PASSWORD } })).status).toBe(200);
		expect((await api(restored, 'GET', '/api/me', { cookie: owner.cookie })).status).toBe(200);
		const boards = (await api(restored, 'GET', '/api/boards', { cookie: owner.cookie })).body.boards.map(
			(board: { id: string }) => board.id
		);
		expect(boards.sort()).toEqual([busy, quiet].sort());

		expect(await getJourney(restored, owner, quiet)).toEqual(quietBefore);
		const comments = (await api(restored, 'GET', `/api/boards/${quiet}/comments`, { cookie: owner.cookie })).body.comments;
		expect(comments.map((entry: { body: string }) => entry.body)).toEqual(['Keep this']);
		expect((await download(restored, owner.cookie, png.json.url)).bytes).toEqual(TINY_PNG);
		expect((await download(restored, editor.cookie, pdf.json.url)).bytes).toEqual(tinyPdf());

		// The busy board is a consistent cut: edits 0…k, no gaps, everything seen before the backup.
		const fresh = await loadFresh(restored, owner, busy);
		const ids = readJourney(fresh)
			.touchpoints.map((item) => item.id)
			.filter((id) => id.startsWith('edit-'))
			.sort();
		const expected = Array.from({ length: ids.length }, (_, i) => `edit-${String(i).padStart(5, '0')}`);
		expect(ids).toEqual(expected);
		for (const id of seenBefore!) expect(ids).toContain(id);
		expect(ids.length).toBeLessThan(sequence);
		const newcomer = await signUp(restored, 'After restore');
		expect(newcomer.id).toBeTruthy();
		expect(
			sessionCookie((await api(restored, 'POST', '/api/auth/login', { body: { email: owner.email, password: PASSWORD } })).headers)
		).not.toBeNull();
		expect(restored.stderr).toBe('');
	});

	test('it refuses to run without a target or a database', async () => {
		const empty = await mkdtemp(join(tmpdir(), 'journey-backup-empty-'));
		expect((await runBackup(empty, join(empty, 'out'))).code).toBe(1);
		const usage = await new Promise<number | null>((resolveRun) => {
			spawn(process.execPath, ['scripts/backup.js'], { cwd: ROOT, env: { ...process.env, DATA_DIR: empty } }).on('close', resolveRun);
		});
		expect(usage).toBe(2);
		await rm(empty, { recursive: true, force: true });
	});
});
