import { roleOf } from './boards';
import type { Db } from './db';
import type { Role } from './db/schema';
import { apiError } from './http';
import { atLeast } from './roles';
import type { SessionUser } from './session';

export interface BoardAccess {
	user: SessionUser;
	role: Role;
}

/**
 * The caller's access to a board: 401 when signed out, 404 when not a member (so a board's
 * existence is not revealed), 403 when the role is below `needed`.
 */
export function boardAccess(db: Db, locals: App.Locals, boardId: string, needed: Role = 'viewer'): BoardAccess | Response {
	if (!locals.user) return apiError(401, 'Sign in first');
	const role = roleOf(db, boardId, locals.user.id);
	if (!role) return apiError(404, 'Board not found');
	if (!atLeast(role, needed)) return apiError(403, `This needs the ${needed} role on the board`);
	return { user: locals.user, role };
}
