import type { Role } from './db/schema';

const RANK: Record<Role, number> = { viewer: 0, commenter: 1, editor: 2, owner: 3 };

/** True when `role` is at least `needed`. */
export function atLeast(role: Role, needed: Role): boolean {
	return RANK[role] >= RANK[needed];
}

/** Roles whose sync writes are applied; viewers and commenters are read-only on the document. */
export function canEditDocument(role: Role): boolean {
	return atLeast(role, 'editor');
}
