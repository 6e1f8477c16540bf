import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { keepsAnOwner, ROLES } from '../journey/roles';
import { findUserByEmail } from './accounts';
import { notifyBoard } from './board-notify';
import { roleOf, type BoardMember } from './boards';
import type { Db } from './db';
import { tables } from './db/tables';
import { transaction } from './db/transaction';
import { refuse, type Refusal } from './service-result';

export const memberInput = z.object({
	email: z.string({ error: 'email is required' }).trim().min(1, 'email is required'),
	role: z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}` })
});

const LAST_OWNER = 'A board needs at least one owner';

async function ownerCount(db: Db, boardId: string): Promise<number> {
	const { boardMembers } = tables(db);
	const owners = await db
		.select({ userId: boardMembers.userId })
		.from(boardMembers)
		.where(and(eq(boardMembers.boardId, boardId), eq(boardMembers.role, 'owner')));
	return owners.length;
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
	const stored = await transaction(db, async (tx) => {
		const { boardMembers } = tables(tx);
		if (!keepsAnOwner(await roleOf(tx, boardId, user.id), input.role, await ownerCount(tx, boardId))) return false;
		await tx
			.insert(boardMembers)
			.values({ boardId, userId: user.id, role: input.role, addedAt: Date.now() })
			.onConflictDoUpdate({ target: [boardMembers.boardId, boardMembers.userId], set: { role: input.role } });
		return true;
	});
	if (!stored) return refuse(400, LAST_OWNER);
	await notifyBoard(boardId, { live: (hub) => hub.setMemberRole(boardId, user.id, input.role), event: 'members' });
	return { ok: true, member: { userId: user.id, email: user.email, name: user.name, role: input.role } };
}

/**
 * Removes a member, closing their sockets and event streams; the last owner cannot be removed.
 * Invite links made before now no longer let them back in.
 */
export async function removeMember(db: Db, boardId: string, userId: string): Promise<{ ok: true } | Refusal> {
	const removed = await transaction(db, async (tx) => {
		const { boardMembers, boardRemovals } = tables(tx);
		const role = await roleOf(tx, boardId, userId);
		if (role === null) return refuse(404, 'Not a member of this board');
		if (!keepsAnOwner(role, null, await ownerCount(tx, boardId))) return refuse(400, LAST_OWNER);
		await tx.delete(boardMembers).where(and(eq(boardMembers.boardId, boardId), eq(boardMembers.userId, userId)));
		const removedAt = Date.now();
		await tx
			.insert(boardRemovals)
			.values({ boardId, userId, removedAt })
			.onConflictDoUpdate({ target: [boardRemovals.boardId, boardRemovals.userId], set: { removedAt } });
		return { ok: true } as const;
	});
	if (removed.ok) {
		await notifyBoard(boardId, { live: (hub) => hub.setMemberRole(boardId, userId, null), closeStreams: { userId }, event: 'members' });
	}
	return removed;
}
