import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { orderWork, waitsOn, isOpenAction, type WorkItem } from '../journey/actions';
import { nameKey, tidyName } from '../journey/departments';
import { LIMITS } from '../journey/schema';
import type { Db } from './db';
import { tables } from './db/tables';
import { listBoards } from './boards';
import { boardReads } from './reads/board-reads';

/** The most departments one person belongs to. */
export const MAX_DEPARTMENTS = 20;

/** Departments as a person types them: tidied (`tidyName`), empty ones dropped, one spelling per department. */
export const departmentsInput = z
	.array(z.string({ error: 'Each department must be text' }).max(LIMITS.name, `A department name has at most ${LIMITS.name} characters`), {
		error: 'departments must be a list of names'
	})
	.max(MAX_DEPARTMENTS, `At most ${MAX_DEPARTMENTS} departments`)
	.transform((names) => {
		const byKey = new Map<string, string>();
		for (const name of names.map(tidyName)) if (name && !byKey.has(name.toLowerCase())) byKey.set(name.toLowerCase(), name);
		return [...byKey.values()];
	});

/** The departments a person belongs to; none when the stored list cannot be read. */
export async function departmentsOf(db: Db, userId: string): Promise<string[]> {
	const { users } = tables(db);
	const [row] = await db.select({ departments: users.departments }).from(users).where(eq(users.id, userId)).limit(1);
	try {
		const parsed = departmentsInput.safeParse(JSON.parse(row?.departments ?? '[]'));
		return parsed.success ? parsed.data : [];
	} catch {
		return [];
	}
}

/** Sets the departments a person belongs to (already tidied by `departmentsInput`). */
export async function setDepartments(db: Db, userId: string, departments: readonly string[]): Promise<void> {
	const { users } = tables(db);
	await db
		.update(users)
		.set({ departments: JSON.stringify(departments) })
		.where(eq(users.id, userId));
}

/** Today as `YYYY-MM-DD` in UTC: what "overdue" is measured against. */
export function today(now = Date.now()): string {
	return new Date(now).toISOString().slice(0, 10);
}

/**
 * Every action on the person's boards assigned to them or owned by one of their departments, in
 * work order (`orderWork`). Each board's actions come with its kept journey read (derived off the
 * event loop, once per stored state), so a person with many boards never blocks the relay.
 */
export async function myWork(db: Db, userId: string, now = Date.now()): Promise<WorkItem[]> {
	const keys = new Set((await departmentsOf(db, userId)).map(nameKey));
	const items: WorkItem[] = [];
	for (const board of await listBoards(db, userId)) {
		const read = await (await boardReads(db, board.id)).journey();
		for (const action of read.actions) {
			if (!waitsOn(action, userId, keys)) continue;
			items.push({
				boardId: board.id,
				boardTitle: read.title,
				actionId: action.id,
				title: action.title,
				status: action.status,
				owner: action.owner,
				assigneeId: action.assigneeId,
				due: action.due
			});
		}
	}
	return orderWork(items, today(now));
}

/** How many actions wait on the person per board: assigned or owned by their departments, and still open. */
export function waitingCounts(work: readonly WorkItem[]): Map<string, number> {
	const counts = new Map<string, number>();
	for (const item of work) if (isOpenAction(item)) counts.set(item.boardId, (counts.get(item.boardId) ?? 0) + 1);
	return counts;
}
