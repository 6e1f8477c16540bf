import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { keepsAnOwner, ROLES } from '../journey/roles';
import { findUserByEmail } from './accounts';
import { notifyBoard } from './board-notify';
import { roleOf, type BoardMember } from './boards';
import type { Db } from './db';
import { boardMembers, boardRemovals } from './db/schema';
import { refuse, type Refusal } from './service-result';

export const memberInput = z.object({
	email: z.string({ error: 'email is required' }).trim().min(1, 'email is required'),
	role: z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}` })
});

const LAST_OWNER = 'A board needs at least one owner';

function ownerCount(db: Db, boardId: string): number {
	return db
		.select({ userId: boardMembers.userId })
		.from(boardMembers)
		.where(and(eq(boardMembers.boardId, boardId), eq(boardMembers.role, 'owner')))
		.all().length;
}

/**
 * Adds the account with this email to the board, or changes its role; a board always keeps at
 * least one owner. Their open sockets take the new role at once.
 */
export async function addMember(
	db: Db,
	boardId: string,
	input: z.infer<typeof memberInput>
): Promise<{ ok: true; member: BoardMember } | Refusal> {
	const user = await findUserByEmail(db, input.email);
	if (!user) return refuse(404, `No account with the email ${input.email}`);
	const stored = db.transaction((tx) => {
		const db_ = tx as unknown as Db;
		if (!keepsAnOwner(roleOf(db_, boardId, user.id), input.role, ownerCount(db_, boardId))) return false;
		tx.insert(boardMembers)
			.values({ boardId, userId: user.id, role: input.role, addedAt: Date.now() })
			.onConflictDoUpdate({ target: [boardMembers.boardId, boardMembers.userId], set: { role: input.role } })
			.run();
		return true;
	});
	if (!stored) return refuse(400, LAST_OWNER);
	notifyBoard(boardId, { live: (hub) => hub.setMemberRole(boardId, user.id, input.role), event: 'members' });
	return { ok: true, member: { userId: user.id, email: user.email, name: user.name, role: input.role } };
}

/**
 * Removes a member, closing their sockets and event streams; the last owner cannot be removed.
 * Invite links made before now no longer let them back in.
 */
export function removeMember(db: Db, boardId: string, userId: string): { ok: true } | Refusal {
	const removed = db.transaction((tx) => {
		const db_ = tx as unknown as Db;
		const role = roleOf(db_, boardId, userId);
		if (role === null) return refuse(404, 'Not a member of this board');
		if (!keepsAnOwner(role, null, ownerCount(db_, boardId))) return refuse(400, LAST_OWNER);
		tx.delete(boardMembers)
			.where(and(eq(boardMembers.boardId, boardId), eq(boardMembers.userId, userId)))
			.run();
		const removedAt = Date.now();
		tx.insert(boardRemovals)
			.values({ boardId, userId, removedAt })
			.onConflictDoUpdate({ target: [boardRemovals.boardId, boardRemovals.userId], set: { removedAt } })
			.run();
		return { ok: true } as const;
	});
	if (removed.ok) {
		notifyBoard(boardId, { live: (hub) => hub.setMemberRole(boardId, userId, null), closeStreams: { userId }, event: 'members' });
	}
	return removed;
}
