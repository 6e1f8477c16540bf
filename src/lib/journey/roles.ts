/** Board roles, strongest first. */
export const ROLES = ['owner', 'editor', 'commenter', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** The roles an invite link can grant: every role but owner. */
export const INVITE_ROLES = ['editor', 'commenter', 'viewer'] as const satisfies readonly Role[];
export type InviteRole = (typeof INVITE_ROLES)[number];

/** The least role each action on a board needs. */
export const LEAST_ROLE = {
	/** See the board, its comments, versions, files and exports. */
	view: 'viewer',
	/** Write, edit, resolve and delete comments. */
	comment: 'commenter',
	/** Place dots while voting is open. */
	vote: 'commenter',
	/** Rate the touchpoint being rated. */
	rate: 'commenter',
	/** Change the journey document (when the board is not locked). */
	editDocument: 'editor',
	/** Change the journey document while the facilitator has locked the board. */
	editLockedDocument: 'owner',
	/** Upload evidence files. */
	uploadFile: 'editor',
	/** Save a named version. */
	saveVersion: 'editor',
	/** Restore a version over the live board. */
	restoreVersion: 'owner',
	/** Run the workshop: lock, timer, follow, spotlight, ratings and voting. */
	facilitate: 'owner',
	/** Add, change and remove members; create and revoke invite links; delete the board. */
	manage: 'owner'
} as const satisfies Record<string, Role>;
export type BoardAction = keyof typeof LEAST_ROLE;

const RANK: Record<Role, number> = { viewer: 0, commenter: 1, editor: 2, owner: 3 };

/** True when `role` is at least `needed`. */
export function atLeast(role: Role, needed: Role): boolean {
	return RANK[role] >= RANK[needed];
}

/** Whether a role may take an action on a board. */
export function may(role: Role, action: BoardAction): boolean {
	return atLeast(role, LEAST_ROLE[action]);
}

/** Whether a value names a role. */
export function isRole(value: unknown): value is Role {
	return (ROLES as readonly unknown[]).includes(value);
}

/** Roles whose document writes are applied; viewers and commenters are read-only on the document. */
export function canEditDocument(role: Role): boolean {
	return may(role, 'editDocument');
}

/** Whether the role's document writes are applied now: while the board is locked only owners' are. */
export function canEditBoard(role: Role, locked: boolean): boolean {
	return canEditDocument(role) && (!locked || may(role, 'editLockedDocument'));
}

/** Whether the role may edit the document in general but not now, because the board is locked. */
export function lockedOut(role: Role, locked: boolean): boolean {
	return canEditDocument(role) && !canEditBoard(role, locked);
}

/** Whether the role may comment, vote and rate. */
export function canComment(role: Role): boolean {
	return may(role, 'comment');
}

/** Whether the role manages the board: its members, invite links, workshop controls and deletion. */
export function canManageBoard(role: Role): boolean {
	return may(role, 'manage');
}

/** Whether the role may save a named version. */
export function canSaveVersion(role: Role): boolean {
	return may(role, 'saveVersion');
}

/** Whether the role may restore a version over the live board. */
export function canRestoreVersion(role: Role): boolean {
	return may(role, 'restoreVersion');
}

/**
 * Whether a board still has an owner after a member's role goes from `current` to `next` (null:
 * not a member), given how many owners it has now: the last owner can be neither demoted nor removed.
 */
export function keepsAnOwner(current: Role | null, next: Role | null, owners: number): boolean {
	return current !== 'owner' || next === 'owner' || owners > 1;
}

/** Roles in the order members are listed: strongest first. */
export function byRank(a: Role, b: Role): number {
	return RANK[b] - RANK[a];
}
