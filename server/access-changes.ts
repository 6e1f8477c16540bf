import { performance } from 'node:perf_hooks';
import type { UpgradeIdentity } from './upgrade-auth';

/**
 * How long a change of access is remembered: far longer than an upgrade takes from its session
 * check to its socket. An upgrade that took longer is checked again as if something had changed.
 */
export const ACCESS_CHANGE_MEMORY_MS = 60_000;

/**
 * When sessions ended, members' roles changed and boards were deleted, as this process's hub
 * applied them. An upgrade checks its session and role before its socket exists, and the hub
 * closes or changes only sockets that exist: an upgrade whose check began before such a change
 * (a sign-out, a removal, on this process or heard from another) checks again rather than open a
 * socket on what it read.
 */
export class AccessChanges {
	readonly #changedAt = new Map<string, number>();

	/** `clock`: milliseconds, never going back. */
	constructor(private readonly clock: () => number = () => performance.now()) {}

	/** The time an upgrade's check begins (before it reads anything). */
	now(): number {
		return this.clock();
	}

	/** How many changes are remembered (at most those of the last `ACCESS_CHANGE_MEMORY_MS`, and one). */
	get size(): number {
		return this.#changedAt.size;
	}

	sessionEnded(sessionId: string): void {
		this.#record(`session\n${sessionId}`);
	}

	memberChanged(boardId: string, userId: string): void {
		this.#record(`member\n${boardId}\n${userId}`);
	}

	boardDeleted(boardId: string): void {
		this.#record(`board\n${boardId}`);
	}

	/** Whether the identity's session, role or board may have changed since `checkedAt`. */
	changedSince(identity: UpgradeIdentity, checkedAt: number): boolean {
		if (this.now() - checkedAt > ACCESS_CHANGE_MEMORY_MS) return true;
		return [`session\n${identity.sessionId}`, `member\n${identity.boardId}\n${identity.userId}`, `board\n${identity.boardId}`].some(
			(key) => (this.#changedAt.get(key) ?? -Infinity) >= checkedAt
		);
	}

	/** Entries stay in the order they were recorded (a key recorded again moves to the end): the old ones are at the front. */
	#record(key: string): void {
		const now = this.now();
		this.#changedAt.delete(key);
		this.#changedAt.set(key, now);
		for (const [old, at] of this.#changedAt) {
			if (now - at <= ACCESS_CHANGE_MEMORY_MS) return;
			this.#changedAt.delete(old);
		}
	}
}
