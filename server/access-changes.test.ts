import { describe, expect, test } from 'vitest';
import { ACCESS_CHANGE_MEMORY_MS, AccessChanges } from './access-changes';
import type { UpgradeIdentity } from './upgrade-auth';

const identity: UpgradeIdentity = { boardId: 'board-1', userId: 'user-1', userName: 'Ada', sessionId: 'session-1', role: 'editor' };

describe('changes of access an upgrade in flight must not miss', () => {
	test('its session ended, its role changed, its board deleted after its check began: it is checked again', () => {
		for (const change of [
			(changes: AccessChanges) => changes.sessionEnded('session-1'),
			(changes: AccessChanges) => changes.memberChanged('board-1', 'user-1'),
			(changes: AccessChanges) => changes.boardDeleted('board-1')
		]) {
			const changes = new AccessChanges();
			const checkedAt = changes.now();
			expect(changes.changedSince(identity, checkedAt)).toBe(false);
			change(changes);
			expect(changes.changedSince(identity, checkedAt)).toBe(true);
			// A check that begins after the change reads the new state: nothing to do again.
			expect(changes.changedSince(identity, changes.now() + 1)).toBe(false);
		}
	});

	test('another session, person or board changing is none of its business', () => {
		const changes = new AccessChanges();
		const checkedAt = changes.now();
		changes.sessionEnded('session-2');
		changes.memberChanged('board-1', 'user-2');
		changes.memberChanged('board-2', 'user-1');
		changes.boardDeleted('board-2');
		expect(changes.changedSince(identity, checkedAt)).toBe(false);
	});

	test(`changes are forgotten after ${ACCESS_CHANGE_MEMORY_MS / 1000} s, and an upgrade older than that is checked again`, () => {
		let now = 1_000;
		const changes = new AccessChanges(() => now);
		const checkedAt = changes.now();
		for (let i = 0; i < 100; i++) changes.sessionEnded(`session-old-${i}`);
		now += ACCESS_CHANGE_MEMORY_MS + 1;
		changes.sessionEnded('session-new');
		expect(changes.size).toBe(1);
		// Its own change forgotten, an upgrade this old cannot know: it is checked again.
		expect(changes.changedSince(identity, checkedAt)).toBe(true);
		expect(changes.changedSince(identity, changes.now())).toBe(false);
	});
});
