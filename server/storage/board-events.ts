import { renameBoard } from '../../src/lib/server/boards';
import type { Db } from '../../src/lib/server/db';
import { queueDigestItems } from '../../src/lib/server/mail-digest';
import type { BoardEvents } from './board-store';

/** Board events written to the product's database (SQLite or PostgreSQL): the board's title, and assignments queued for mail digests. */
export function boardEvents(db: Db): BoardEvents {
	return {
		async titleChanged(boardId, title) {
			await renameBoard(db, boardId, title);
		},
		async actionAssigned(boardId, actionId, assigneeId) {
			await queueDigestItems(db, 'assignment', boardId, actionId, [assigneeId]);
		}
	};
}
