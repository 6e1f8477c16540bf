import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import * as Y from 'yjs';
import { openDb, type Db } from './db';
import { boards, users } from './db/schema';
import { appendUpdates, compact, loadDoc, storedStateKey } from './doc-store';

let dataDir: string;
let db: Db;

beforeEach(() => {
	dataDir = mkdtempSync(join(tmpdir(), 'journey-doc-store-'));
	db = openDb(dataDir);
	db.insert(users).values({ id: 'owner-1', email: 'olga@example.com', name: 'Olga', passwordHash: '', createdAt: 0 }).run();
	db.insert(boards).values({ id: 'board-1', title: 'Board', createdBy: 'owner-1', createdAt: 0, updatedAt: 0 }).run();
});

afterEach(() => {
	vi.restoreAllMocks();
	db.$client.close();
	rmSync(dataDir, { recursive: true, force: true });
});

/** One edit of the board's stored document, logged as a writer's update is. */
async function edit(boardId: string, title: string): Promise<void> {
	const { doc } = await loadDoc(db, boardId);
	const before = Y.encodeStateVector(doc);
	doc.getMap('board').set('title', title);
	appendUpdates(db, [{ boardId, update: Y.encodeStateAsUpdate(doc, before) }]);
	doc.destroy();
}

async function fold(boardId: string): Promise<void> {
	const { doc } = await loadDoc(db, boardId);
	await compact(db, boardId, doc);
	doc.destroy();
}

describe('the stored state key', () => {
	test('names each stored state once, also when compactions fall in one millisecond', async () => {
		vi.spyOn(Date, 'now').mockReturnValue(1_000);
		const seen = new Set<string>();
		const remember = async () => {
			const key = await storedStateKey(db, 'board-1');
			expect(seen.has(key)).toBe(false);
			seen.add(key);
		};
		await fold('board-1');
		await remember();
		for (let i = 0; i < 3; i++) {
			await edit('board-1', `Title ${i}`);
			await remember();
			await fold('board-1');
			await remember();
		}
		expect((await loadDoc(db, 'board-1')).doc.getMap('board').get('title')).toBe('Title 2');
	});
});
