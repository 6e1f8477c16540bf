import { LEAST_ROLE, may, type BoardAction, type Role } from '../journey/roles';
import { roleOf } from './boards';
import type { Db } from './db';
import { apiError } from './http';
import type { SessionUser } from './session';

export interface BoardAccess {
	user: SessionUser;
	role: Role;
}

/**
 * The caller's access to a board for an action: 401 when signed out, 404 when not a member (so a
 * board's existence is not revealed), 403 when their role is below the one the action needs.
 */
export async function boardAccess(
	db: Db,
	locals: App.Locals,
	boardId: string,
	action: BoardAction = 'view'
): Promise<BoardAccess | Response> {
	if (!locals.user) return apiError(401, 'Sign in first');
	const role = await roleOf(db, boardId, locals.user.id);
	if (!role) return apiError(404, 'Board not found');
	if (!may(role, action)) return apiError(403, `This needs the ${LEAST_ROLE[action]} role on the board`);
	return { user: locals.user, role };
}
