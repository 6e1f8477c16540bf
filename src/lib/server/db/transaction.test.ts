import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { openDb, type Db } from '.';
import { tables } from './tables';
import { transaction } from './transaction';

let dir: string;
let db: Db;

beforeEach(() => {
	dir = mkdtempSync(join(tmpdir(), 'journey-transaction-'));
	db = openDb(dir);
});
afterEach(() => {
	db.$client.close();
	rmSync(dir, { recursive: true, force: true });
});

function addUser(tx: Db, id: string) {
	const { users } = tables(tx);
	return tx.insert(users).values({ id, email: `${id}@example.com`, name: id, passwordHash: 'x', createdAt: 0 });
}

async function userIds(): Promise<string[]> {
	const { users } = tables(db);
	return (await db.select({ id: users.id }).from(users)).map((row) => row.id);
}

describe('transaction on SQLite', () => {
	it('commits what the work wrote and resolves with its result', async () => {
		const result = await transaction(db, async (tx) => {
			await addUser(tx, 'a');
			await addUser(tx, 'b');
			return 'done';
		});
		expect(result).toBe('done');
		expect(await userIds()).toEqual(['a', 'b']);
	});

	it('rolls back everything when the work throws', async () => {
		await expect(
			transaction(db, async (tx) => {
				await addUser(tx, 'a');
				throw new Error('no');
			})
		).rejects.toThrow('no');
		expect(await userIds()).toEqual([]);
		expect(db.$client.inTransaction).toBe(false);
	});

	it('refuses work that waits on something other than SQLite, and rolls it back', async () => {
		await expect(
			transaction(db, async (tx) => {
				await addUser(tx, 'a');
				await new Promise((resolve) => setTimeout(resolve, 5));
			})
		).rejects.toThrow(/waited on something other than SQLite/);
		expect(await userIds()).toEqual([]);
	});

	it('joins a transaction opened inside another', async () => {
		await expect(
			transaction(db, async (tx) => {
				await transaction(tx, async (inner) => addUser(inner, 'a'));
				const { users } = tables(tx);
				await tx.update(users).set({ name: 'A' }).where(eq(users.id, 'a'));
				throw new Error('undo both');
			})
		).rejects.toThrow('undo both');
		expect(await userIds()).toEqual([]);
	});
});
