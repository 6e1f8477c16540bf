import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from './db';
import { roleOf } from './boards';
import { ROLES, type Role } from '../journey/roles';
import { boardMembers } from './db/schema';

export const memberInput = z.object({
	email: z.string({ error: 'email is required' }).trim().min(1, 'email is required'),
	role: z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}` })
});

export type MemberChange = { ok: true } | { ok: false; error: 'last-owner' };

function ownerCount(db: Db, boardId: string): number {
	return db
		.select({ userId: boardMembers.userId })
		.from(boardMembers)
		.where(and(eq(boardMembers.boardId, boardId), eq(boardMembers.role, 'owner')))
		.all().length;
}

/** Adds a member or changes their role; a board always keeps at least one owner. */
export function setMemberRole(db: Db, boardId: string, userId: string, role: Role): MemberChange {
	return db.transaction((tx) => {
		const db_ = tx as unknown as Db;
		if (roleOf(db_, boardId, userId) === 'owner' && role !== 'owner' && ownerCount(db_, boardId) <= 1) {
			return { ok: false, error: 'last-owner' } as const;
		}
		tx.insert(boardMembers)
			.values({ boardId, userId, role, addedAt: Date.now() })
			.onConflictDoUpdate({ target: [boardMembers.boardId, boardMembers.userId], set: { role } })
			.run();
		return { ok: true } as const;
	});
}

/** Removes a member; the last owner cannot be removed. Returns false when they were not a member. */
export function removeMember(db: Db, boardId: string, userId: string): MemberChange | null {
	return db.transaction((tx) => {
		const db_ = tx as unknown as Db;
		const role = roleOf(db_, boardId, userId);
		if (role === null) return null;
		if (role === 'owner' && ownerCount(db_, boardId) <= 1) return { ok: false, error: 'last-owner' } as const;
		tx.delete(boardMembers).where(and(eq(boardMembers.boardId, boardId), eq(boardMembers.userId, userId))).run();
		return { ok: true } as const;
	});
}
