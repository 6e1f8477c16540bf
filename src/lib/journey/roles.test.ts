import { describe, expect, test } from 'vitest';
import {
	atLeast,
	byRank,
	canComment,
	canEditBoard,
	canEditDocument,
	canManageBoard,
	canRestoreVersion,
	canSaveVersion,
	INVITE_ROLES,
	isRole,
	keepsAnOwner,
	LEAST_ROLE,
	lockedOut,
	may,
	ROLES,
	type Role
} from './roles';

describe('roles', () => {
	test('are listed strongest first', () => {
		expect(ROLES).toEqual(['owner', 'editor', 'commenter', 'viewer']);
		expect([...ROLES].reverse().sort(byRank)).toEqual(ROLES);
	});

	test('an invite link grants any role but owner', () => {
		expect(INVITE_ROLES).toEqual(['editor', 'commenter', 'viewer']);
	});

	test('atLeast follows the rank order', () => {
		for (const [index, role] of ROLES.entries()) {
			for (const [neededIndex, needed] of ROLES.entries()) {
				expect(atLeast(role, needed), `${role} at least ${needed}`).toBe(index <= neededIndex);
			}
		}
	});

	test('isRole tells role names from anything else', () => {
		for (const role of ROLES) expect(isRole(role)).toBe(true);
		for (const value of ['admin', 'Owner', '', null, undefined, 3]) expect(isRole(value)).toBe(false);
	});

	const table = (rule: (role: Role) => boolean) => Object.fromEntries(ROLES.map((role) => [role, rule(role)]));

	test('editors and owners edit the document; commenters and viewers read it', () => {
		expect(table(canEditDocument)).toEqual({ owner: true, editor: true, commenter: false, viewer: false });
	});

	test('on a locked board only owners edit, and editors are the ones locked out', () => {
		expect(table((role) => canEditBoard(role, false))).toEqual({ owner: true, editor: true, commenter: false, viewer: false });
		expect(table((role) => canEditBoard(role, true))).toEqual({ owner: true, editor: false, commenter: false, viewer: false });
		expect(table((role) => lockedOut(role, true))).toEqual({ owner: false, editor: true, commenter: false, viewer: false });
		expect(table((role) => lockedOut(role, false))).toEqual({ owner: false, editor: false, commenter: false, viewer: false });
	});

	test('everyone but viewers comments, votes and rates', () => {
		const expected = { owner: true, editor: true, commenter: true, viewer: false };
		expect(table(canComment)).toEqual(expected);
		expect(table((role) => may(role, 'vote'))).toEqual(expected);
		expect(table((role) => may(role, 'rate'))).toEqual(expected);
	});

	test('editors and owners save versions and upload files; only owners restore', () => {
		expect(table(canSaveVersion)).toEqual({ owner: true, editor: true, commenter: false, viewer: false });
		expect(table((role) => may(role, 'uploadFile'))).toEqual({ owner: true, editor: true, commenter: false, viewer: false });
		expect(table(canRestoreVersion)).toEqual({ owner: true, editor: false, commenter: false, viewer: false });
	});

	test('only owners manage the board and run the workshop', () => {
		expect(table(canManageBoard)).toEqual({ owner: true, editor: false, commenter: false, viewer: false });
		expect(table((role) => may(role, 'facilitate'))).toEqual({ owner: true, editor: false, commenter: false, viewer: false });
	});

	test('the last owner can be neither demoted nor removed', () => {
		expect(keepsAnOwner('owner', 'editor', 1)).toBe(false);
		expect(keepsAnOwner('owner', null, 1)).toBe(false);
		expect(keepsAnOwner('owner', 'owner', 1)).toBe(true);
		expect(keepsAnOwner('owner', 'viewer', 2)).toBe(true);
		expect(keepsAnOwner('owner', null, 2)).toBe(true);
		expect(keepsAnOwner('editor', null, 1)).toBe(true);
		expect(keepsAnOwner(null, 'viewer', 1)).toBe(true);
	});

	test('everyone views', () => {
		expect(table((role) => may(role, 'view'))).toEqual({ owner: true, editor: true, commenter: true, viewer: true });
		expect(LEAST_ROLE.view).toBe('viewer');
	});
});
